import type { LogbookLanguage } from '../../../../shared/domain/logbook';
import type { AttemptStatus, StepViewStatus } from '../../../../shared/ipc/contracts/procedureRuns';

/** The signed procedure report's labels in both languages; the outcomes themselves are the core's words. */
const EN = {
  unit: 'Unit',
  run: 'Run',
  procedure: 'Procedure',
  state: 'State',
  started: 'Started',
  ended: 'Ended',
  by: 'by',
  parameters: 'Parameters',
  notReached: 'not reached',
  green: '● green',
  red: '● RED',
  override: 'Override of {gate} by {by}: {reason}',
  bytes: 'bytes',
  signedBy: 'Signed by',
  at: 'at',
  recordHash: 'Record SHA-256',
  auditRow: 'audit log row',
  notSigned: 'Not signed',
  generated: 'report generated',
  auditHead: 'Audit chain head when printed',
  moreCharacters: '… ({count} more characters in the JSON report)',
} as const;

type Label = keyof typeof EN;

const VI: Record<Label, string> = {
  unit: 'Xe',
  run: 'Lần chạy',
  procedure: 'Quy trình',
  state: 'Trạng thái',
  started: 'Bắt đầu',
  ended: 'Kết thúc',
  by: 'bởi',
  parameters: 'Tham số',
  notReached: 'chưa tới bước này',
  green: '● xanh',
  red: '● ĐỎ',
  override: 'Bỏ qua điều kiện {gate} bởi {by}: {reason}',
  bytes: 'byte',
  signedBy: 'Đã ký bởi',
  at: 'lúc',
  recordHash: 'SHA-256 của bản ghi',
  auditRow: 'dòng nhật ký kiểm toán',
  notSigned: 'Chưa ký',
  generated: 'báo cáo tạo lúc',
  auditHead: 'Đầu chuỗi nhật ký kiểm toán khi in',
  moreCharacters: '… (còn {count} ký tự trong báo cáo JSON)',
};

const STEP_STATUS: Record<LogbookLanguage, Record<StepViewStatus | AttemptStatus, string>> = {
  en: {
    pending: 'pending',
    current: 'current',
    started: 'started',
    done: 'done',
    failed: 'failed',
    blocked: 'blocked',
    interrupted: 'interrupted',
    skipped: 'skipped',
  },
  vi: {
    pending: 'chưa làm',
    current: 'đang làm',
    started: 'đã bắt đầu',
    done: 'xong',
    failed: 'thất bại',
    blocked: 'bị chặn',
    interrupted: 'bị gián đoạn',
    skipped: 'đã bỏ qua',
  },
};

export type RunReportWords = {
  label: (key: Label, params?: Record<string, string | number>) => string;
  status: (status: string) => string;
};

export function runReportWords(language: LogbookLanguage): RunReportWords {
  const labels = language === 'vi' ? VI : EN;
  return {
    label: (key, params) => labels[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole)),
    status: (status) => STEP_STATUS[language][status as StepViewStatus] ?? status,
  };
}
