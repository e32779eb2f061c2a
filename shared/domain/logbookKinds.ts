import type { LogbookEntry, LogbookFacts, LogbookLanguage } from './logbook';
import {
  bytes,
  fact,
  line,
  num,
  outcomeTail,
  procedureTitle,
  saidFact,
  shortId,
  stepTitle,
  type Say,
  type Words,
} from './logbookWords';

/*
 * Every kind of logbook entry, registered once: its id, the source codes it claims, its words in English and
 * Vietnamese, and what its detail view opens. A new kind (terminal sessions, syncs…) is one more object in
 * LOGBOOK_KINDS; the history, the filters, the pages, the CLI and the exports pick it up from here.
 */

/** Where an entry's detail view can take the technician. */
export type LogbookLink =
  | { target: 'diagnosis'; unit: string; runId: string }
  | { target: 'run'; runId: string }
  | { target: 'report'; runId: string }
  | { target: 'backups'; unit: string }
  | { target: 'unit'; unit: string }
  | { target: 'bus' }
  | { target: 'settings' }
  | { target: 'session'; unit: string; sessionId: string }
  | { target: 'logView'; unit: string; viewId: string }
  | { target: 'files'; unit: string; path: string };

export type LogbookKind = {
  id: string;
  label: Record<LogbookLanguage, string>;
  /** The codes this kind claims: exact, or every code under a prefix written as 'restore.*'. */
  codes: readonly string[];
  /** Words by code (or by the prefix pattern in `codes`). */
  words: Record<string, Words>;
  links(entry: LogbookEntry): LogbookLink[];
};

const both = (en: Say, vi: Say): Words => ({ en, vi });

const unitLink = (entry: LogbookEntry): LogbookLink[] => (entry.unit ? [{ target: 'unit', unit: entry.unit }] : []);
const runLinks = (entry: LogbookEntry): LogbookLink[] =>
  entry.ref
    ? [
        { target: 'run', runId: entry.ref },
        { target: 'report', runId: entry.ref },
      ]
    : [];
const backupLinks = (entry: LogbookEntry): LogbookLink[] =>
  entry.unit ? [{ target: 'backups', unit: entry.unit }] : [];

/** "4 min 12 s", "38 s", "1 h 05 min". */
function duration(ms: number, language: LogbookLanguage): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const [hours, minutes] = language === 'vi' ? ['giờ', 'phút'] : ['h', 'min'];
  if (h > 0) {
    return `${h} ${hours} ${String(m).padStart(2, '0')} ${minutes}`;
  }
  return m > 0 ? `${m} ${minutes} ${rest} s` : `${rest} s`;
}

/** What an action did: its plan's line, else its message, in the reader's language where they were kept as words. */
function actionWords(facts: LogbookFacts, language: LogbookLanguage): string {
  return fact(facts, 'plan') !== '' ? saidFact(facts, 'planSay', 'plan', language) : fact(facts, 'message');
}

const consoleLinks =
  (target: 'session' | 'logView', idFact: string) =>
  (entry: LogbookEntry): LogbookLink[] => {
    const id = typeof entry.facts[idFact] === 'string' ? entry.facts[idFact] : '';
    const own: LogbookLink[] =
      entry.unit && id !== ''
        ? [
            target === 'session'
              ? { target, unit: entry.unit, sessionId: id }
              : { target, unit: entry.unit, viewId: id },
          ]
        : [];
    return [...own, ...(entry.ref ? [{ target: 'run' as const, runId: entry.ref }] : [])];
  };

const RESTORE_PHASES: Record<string, Record<LogbookLanguage, string>> = {
  verify: { en: 'verifying the backup', vi: 'kiểm tra bản sao lưu' },
  plan: { en: 'planning the changes', vi: 'lập kế hoạch thay đổi' },
  preconditions: { en: 'checking the unit is safe to restore', vi: 'kiểm tra điều kiện an toàn' },
  snapshot: { en: 'taking a snapshot of the unit', vi: 'chụp trạng thái hiện tại của xe' },
  apply: { en: 'writing the files', vi: 'ghi các tệp' },
  restart: { en: 'restarting the services', vi: 'khởi động lại dịch vụ' },
  health: { en: 'checking health after the restore', vi: 'kiểm tra sức khỏe sau khôi phục' },
  commit: { en: 'committing', vi: 'xác nhận hoàn tất' },
  rollback: { en: 'rolling back to the snapshot', vi: 'quay lại trạng thái đã chụp' },
};

const RESTORE_RESULTS: Record<string, Record<LogbookLanguage, string>> = {
  committed: { en: 'Restore finished and committed', vi: 'Khôi phục hoàn tất' },
  'rolled-back': { en: 'Restore rolled back to the snapshot', vi: 'Khôi phục đã quay lại trạng thái trước' },
  failed: { en: 'Restore failed', vi: 'Khôi phục thất bại' },
  refused: { en: 'Restore refused', vi: 'Khôi phục bị từ chối' },
};

const STEP_STATUS: Record<string, Record<LogbookLanguage, string>> = {
  done: { en: 'done', vi: 'đã xong' },
  failed: { en: 'failed', vi: 'thất bại' },
  blocked: { en: 'blocked', vi: 'bị chặn' },
  interrupted: { en: 'interrupted', vi: 'bị gián đoạn' },
  skipped: { en: 'skipped', vi: 'bỏ qua' },
};

const RUN_STATES: Record<string, Record<LogbookLanguage, string>> = {
  completed: { en: 'completed', vi: 'hoàn thành' },
  escalated: { en: 'escalated', vi: 'đã chuyển cấp' },
  aborted: { en: 'aborted', vi: 'đã hủy' },
};

const MODULES: Record<string, Record<LogbookLanguage, string>> = {
  power: { en: 'power', vi: 'nguồn' },
  safety: { en: 'safety', vi: 'an toàn' },
  travel: { en: 'travel', vi: 'di chuyển' },
  dock: { en: 'dock', vi: 'sạc/đỗ' },
};

function lookup(table: Record<string, Record<LogbookLanguage, string>>, key: string, language: LogbookLanguage) {
  return table[key]?.[language] ?? key;
}

const diagnosisWords = both(
  (f, e) =>
    e.level === 'OK'
      ? `Diagnosis: all ${num(f, 'checks')} checks OK`
      : `Diagnosis ${e.level ?? ''}: ${num(f, 'findings')} finding(s); ${fact(f, 'first')} — ${line(saidFact(f, 'firstSay', 'firstMessage', 'en'))}`,
  (f, e) =>
    e.level === 'OK'
      ? `Chẩn đoán: cả ${num(f, 'checks')} mục kiểm tra đều OK`
      : `Chẩn đoán ${e.level ?? ''}: ${num(f, 'findings')} phát hiện; ${fact(f, 'first')} — ${line(saidFact(f, 'firstSay', 'firstMessage', 'vi'))}`,
);

const registerWrite = (verbEn: string, verbVi: string): Words =>
  both(
    (f, e) =>
      `${verbEn} ${fact(f, 'register', '?')} (${fact(f, 'address')}) on the ${lookup(MODULES, fact(f, 'module'), 'en')} module ${fact(f, 'slave')}: ${fact(f, 'oldText', '?')} → ${fact(f, 'newText', '?')}${outcomeTail(e, 'en')}`,
    (f, e) =>
      `${verbVi} ${fact(f, 'register', '?')} (${fact(f, 'address')}) trên mô-đun ${lookup(MODULES, fact(f, 'module'), 'vi')} ${fact(f, 'slave')}: ${fact(f, 'oldText', '?')} → ${fact(f, 'newText', '?')}${outcomeTail(e, 'vi')}`,
  );

export const LOGBOOK_KINDS: readonly LogbookKind[] = [
  {
    id: 'diagnosis',
    label: { en: 'Diagnoses', vi: 'Chẩn đoán' },
    codes: ['diagnosis'],
    words: { diagnosis: diagnosisWords },
    links: (e) => (e.unit && e.ref ? [{ target: 'diagnosis', unit: e.unit, runId: e.ref }] : []),
  },
  {
    id: 'finding',
    label: { en: 'New findings', vi: 'Phát hiện mới' },
    codes: ['finding'],
    words: {
      finding: both(
        (f, e) =>
          `New finding ${fact(f, 'checkId', '?')} ${e.level ?? ''}: ${line(saidFact(f, 'say', 'message', 'en'))}`,
        (f, e) =>
          `Phát hiện mới ${fact(f, 'checkId', '?')} ${e.level ?? ''}: ${line(saidFact(f, 'say', 'message', 'vi'))}`,
      ),
    },
    links: (e) => (e.unit && e.ref ? [{ target: 'diagnosis', unit: e.unit, runId: e.ref }] : []),
  },
  {
    id: 'procedure-run',
    label: { en: 'Procedure runs', vi: 'Lần chạy quy trình' },
    codes: ['procedure.run.*'],
    words: {
      'procedure.run.start': both(
        (f) => `Started the procedure “${procedureTitle(f, 'en')}” (version ${fact(f, 'procedureVersion', '?')})`,
        (f) => `Bắt đầu quy trình “${procedureTitle(f, 'vi')}” (phiên bản ${fact(f, 'procedureVersion', '?')})`,
      ),
      'procedure.run.end': both(
        (f) => `Finished the procedure “${procedureTitle(f, 'en')}”: ${lookup(RUN_STATES, fact(f, 'state'), 'en')}`,
        (f) => `Kết thúc quy trình “${procedureTitle(f, 'vi')}”: ${lookup(RUN_STATES, fact(f, 'state'), 'vi')}`,
      ),
      'procedure.run.abort': both(
        (f) => `Aborted the procedure “${procedureTitle(f, 'en')}”: ${fact(f, 'reason')}`,
        (f) => `Hủy quy trình “${procedureTitle(f, 'vi')}”: ${fact(f, 'reason')}`,
      ),
      'procedure.run.escalate': both(
        (f) => `Escalated the procedure “${procedureTitle(f, 'en')}” to level ${fact(f, 'level', '?')}`,
        (f) => `Chuyển cấp quy trình “${procedureTitle(f, 'vi')}” lên cấp ${fact(f, 'level', '?')}`,
      ),
      'procedure.run.signed': both(
        (f) => `Signed the record of “${procedureTitle(f, 'en')}” as ${fact(f, 'signedBy', '?')}`,
        (f) => `Ký xác nhận biên bản “${procedureTitle(f, 'vi')}” với tên ${fact(f, 'signedBy', '?')}`,
      ),
      'procedure.run.*': both(
        (f) => `Procedure “${procedureTitle(f, 'en')}” recorded a change`,
        (f) => `Quy trình “${procedureTitle(f, 'vi')}” ghi nhận một thay đổi`,
      ),
    },
    links: runLinks,
  },
  {
    id: 'procedure-step',
    label: { en: 'Procedure steps and notes', vi: 'Bước quy trình và ghi chú' },
    codes: ['procedure.step', 'procedure.step.*', 'procedure.note', 'procedure.attachment'],
    words: {
      'procedure.step': both(
        (f, e) =>
          `Step “${stepTitle(f, 'en')}” of “${procedureTitle(f, 'en')}”: ${lookup(STEP_STATUS, e.outcome ?? '', 'en')}${f.message ? ` — ${line(saidFact(f, 'say', 'message', 'en'))}` : ''}`,
        (f, e) =>
          `Bước “${stepTitle(f, 'vi')}” của “${procedureTitle(f, 'vi')}”: ${lookup(STEP_STATUS, e.outcome ?? '', 'vi')}${f.message ? ` — ${line(saidFact(f, 'say', 'message', 'vi'))}` : ''}`,
      ),
      'procedure.step.action': both(
        (f, e) =>
          `Action “${stepTitle(f, 'en')}” of “${procedureTitle(f, 'en')}”: ${line(actionWords(f, 'en'))}${outcomeTail(e, 'en')}`,
        (f, e) =>
          `Thao tác “${stepTitle(f, 'vi')}” của “${procedureTitle(f, 'vi')}”: ${line(actionWords(f, 'vi'))}${outcomeTail(e, 'vi')}`,
      ),
      'procedure.step.skip': both(
        (f) => `Skipped the step “${stepTitle(f, 'en')}” of “${procedureTitle(f, 'en')}”: ${fact(f, 'reason')}`,
        (f) => `Bỏ qua bước “${stepTitle(f, 'vi')}” của “${procedureTitle(f, 'vi')}”: ${fact(f, 'reason')}`,
      ),
      'procedure.step.*': both(
        (f) => `Step “${stepTitle(f, 'en')}” of “${procedureTitle(f, 'en')}” was recorded`,
        (f) => `Bước “${stepTitle(f, 'vi')}” của “${procedureTitle(f, 'vi')}” đã được ghi nhận`,
      ),
      'procedure.note': both(
        (f) => `Note on “${stepTitle(f, 'en')}” of “${procedureTitle(f, 'en')}”: “${line(fact(f, 'text'))}”`,
        (f) => `Ghi chú ở bước “${stepTitle(f, 'vi')}” của “${procedureTitle(f, 'vi')}”: “${line(fact(f, 'text'))}”`,
      ),
      'procedure.attachment': both(
        (f) => `Attached ${fact(f, 'name', 'a file')} to “${stepTitle(f, 'en')}” of “${procedureTitle(f, 'en')}”`,
        (f) => `Đính kèm ${fact(f, 'name', 'tệp')} vào bước “${stepTitle(f, 'vi')}” của “${procedureTitle(f, 'vi')}”`,
      ),
    },
    links: runLinks,
  },
  {
    id: 'backup',
    label: { en: 'Backups', vi: 'Sao lưu' },
    codes: [
      'backup.run',
      'backup.prune',
      'backup.profile',
      'backup.serviceStop',
      'backup.serviceStart',
      'backup.push',
      'backup.pull',
      'backup.setTarget',
      'backup.trustTarget',
    ],
    words: {
      'backup.run': both(
        (f, e) =>
          e.outcome === 'failed'
            ? `Backup failed: ${line(fact(f, 'message'))}`
            : `Backed up ${num(f, 'files')} files (${bytes(num(f, 'bytes'))}, ${bytes(num(f, 'newBytes'))} new) as backup ${shortId(fact(f, 'backupId'))}`,
        (f, e) =>
          e.outcome === 'failed'
            ? `Sao lưu thất bại: ${line(fact(f, 'message'))}`
            : `Đã sao lưu ${num(f, 'files')} tệp (${bytes(num(f, 'bytes'))}, mới ${bytes(num(f, 'newBytes'))}) thành bản ${shortId(fact(f, 'backupId'))}`,
      ),
      'backup.prune': both(
        (f) => `Pruned old backups: ${num(f, 'removedBackups')} removed, ${bytes(num(f, 'freedBytes'))} freed`,
        (f) => `Dọn bản sao lưu cũ: xóa ${num(f, 'removedBackups')}, giải phóng ${bytes(num(f, 'freedBytes'))}`,
      ),
      'backup.push': both(
        (f, e) =>
          e.outcome === 'failed'
            ? `Copying backups to ${line(fact(f, 'target'))} failed: ${line(fact(f, 'message'))}`
            : `Copied ${num(f, 'pushed')} backup(s) to ${line(fact(f, 'target'))} (${bytes(num(f, 'bytesCopied'))}; ${num(f, 'alreadyThere')} already there)`,
        (f, e) =>
          e.outcome === 'failed'
            ? `Sao chép bản sao lưu tới ${line(fact(f, 'target'))} thất bại: ${line(fact(f, 'message'))}`
            : `Đã sao chép ${num(f, 'pushed')} bản sao lưu tới ${line(fact(f, 'target'))} (${bytes(num(f, 'bytesCopied'))}; ${num(f, 'alreadyThere')} đã có)`,
      ),
      'backup.pull': both(
        (f, e) =>
          e.outcome === 'failed'
            ? `Fetching a backup from ${line(fact(f, 'target'))} failed: ${line(fact(f, 'message'))}`
            : `Fetched backup ${shortId(fact(f, 'backupId'))} from ${line(fact(f, 'target'))} (${bytes(num(f, 'bytesCopied'))})`,
        (f, e) =>
          e.outcome === 'failed'
            ? `Lấy bản sao lưu từ ${line(fact(f, 'target'))} thất bại: ${line(fact(f, 'message'))}`
            : `Đã lấy bản ${shortId(fact(f, 'backupId'))} từ ${line(fact(f, 'target'))} (${bytes(num(f, 'bytesCopied'))})`,
      ),
      'backup.setTarget': both(
        () => 'Changed where backups are copied',
        () => 'Thay đổi nơi sao chép bản sao lưu',
      ),
      'backup.trustTarget': both(
        () => 'Pinned the host key of a backup target',
        () => 'Ghim khóa máy chủ của nơi sao chép bản sao lưu',
      ),
      'backup.profile': both(
        (f) => `Changed the backup profile (${fact(f, 'scope') === 'unit' ? 'this unit' : 'whole fleet'})`,
        (f) => `Thay đổi cấu hình sao lưu (${fact(f, 'scope') === 'unit' ? 'xe này' : 'toàn đội xe'})`,
      ),
      'backup.serviceStop': both(
        (f, e) => `Stopped ${fact(f, 'service', '?')} to copy its database${outcomeTail(e, 'en')}`,
        (f, e) => `Dừng ${fact(f, 'service', '?')} để sao chép cơ sở dữ liệu${outcomeTail(e, 'vi')}`,
      ),
      'backup.serviceStart': both(
        (f, e) => `Started ${fact(f, 'service', '?')} again after the copy${outcomeTail(e, 'en')}`,
        (f, e) => `Khởi động lại ${fact(f, 'service', '?')} sau khi sao chép${outcomeTail(e, 'vi')}`,
      ),
    },
    links: backupLinks,
  },
  {
    id: 'verify',
    label: { en: 'Backup verifies', vi: 'Kiểm tra bản sao lưu' },
    codes: ['backup.verify', 'backup.check', 'backup.checkAt'],
    words: {
      'backup.check': both(
        (f, e) =>
          e.outcome === 'ok'
            ? `Checked the backup store${f.readData === true ? ', every byte read' : ''}: no damage`
            : `The backup store is damaged: ${num(f, 'problems')} problem(s), first ${line(fact(f, 'firstProblem'))}`,
        (f, e) =>
          e.outcome === 'ok'
            ? `Đã kiểm tra kho sao lưu${f.readData === true ? ', đọc từng byte' : ''}: không hỏng`
            : `Kho sao lưu bị hỏng: ${num(f, 'problems')} lỗi, đầu tiên ${line(fact(f, 'firstProblem'))}`,
      ),
      'backup.checkAt': both(
        (f, e) =>
          e.outcome === 'ok'
            ? `Checked the backup copy at ${line(fact(f, 'target'))}${f.readData === true ? ', every byte read' : ''}: no damage`
            : `The backup copy at ${line(fact(f, 'target'))} is damaged or unreachable: ${line(fact(f, 'firstProblem', fact(f, 'message')))}`,
        (f, e) =>
          e.outcome === 'ok'
            ? `Đã kiểm tra bản sao tại ${line(fact(f, 'target'))}${f.readData === true ? ', đọc từng byte' : ''}: không hỏng`
            : `Bản sao tại ${line(fact(f, 'target'))} bị hỏng hoặc không truy cập được: ${line(fact(f, 'firstProblem', fact(f, 'message')))}`,
      ),
      'backup.verify': both(
        (f, e) =>
          e.outcome === 'ok'
            ? `Verified backup ${shortId(fact(f, 'backupId'))}: ${num(f, 'checkedFiles')} files intact`
            : `Backup ${shortId(fact(f, 'backupId'))} is damaged: ${num(f, 'problems')} problem(s), first ${line(fact(f, 'firstProblem'))}`,
        (f, e) =>
          e.outcome === 'ok'
            ? `Đã kiểm tra bản ${shortId(fact(f, 'backupId'))}: ${num(f, 'checkedFiles')} tệp nguyên vẹn`
            : `Bản ${shortId(fact(f, 'backupId'))} bị hỏng: ${num(f, 'problems')} lỗi, đầu tiên ${line(fact(f, 'firstProblem'))}`,
      ),
    },
    links: backupLinks,
  },
  {
    id: 'restore',
    label: { en: 'Restores', vi: 'Khôi phục' },
    codes: ['restore.*', 'backup.restoreToFolder'],
    words: {
      'backup.restoreToFolder': both(
        (f, e) =>
          `Saved a copy of backup ${shortId(fact(f, 'backupId'))} into ${line(fact(f, 'dir'))} (${num(f, 'files')} files${e.outcome === 'ok' ? '' : `, ${num(f, 'problems')} not written`}); no unit touched`,
        (f, e) =>
          `Lưu bản sao của bản ${shortId(fact(f, 'backupId'))} vào ${line(fact(f, 'dir'))} (${num(f, 'files')} tệp${e.outcome === 'ok' ? '' : `, ${num(f, 'problems')} tệp không ghi được`}); không chạm vào xe`,
      ),
      'restore.begin': both(
        (f) =>
          `Restore started from backup ${shortId(fact(f, 'backupId'))}${f.replacement === true ? ' onto a replacement board' : ''}`,
        (f) =>
          `Bắt đầu khôi phục từ bản ${shortId(fact(f, 'backupId'))}${f.replacement === true ? ' lên bo mạch thay thế' : ''}`,
      ),
      'restore.end': both(
        (f) => `${lookup(RESTORE_RESULTS, fact(f, 'result'), 'en')}${f.reason ? `: ${line(fact(f, 'reason'))}` : ''}`,
        (f) => `${lookup(RESTORE_RESULTS, fact(f, 'result'), 'vi')}${f.reason ? `: ${line(fact(f, 'reason'))}` : ''}`,
      ),
      'restore.*': both(
        (f, e) =>
          `Restore, ${lookup(RESTORE_PHASES, fact(f, 'phase'), 'en')}: ${line(fact(f, 'detail'))}${outcomeTail(e, 'en')}`,
        (f, e) =>
          `Khôi phục, ${lookup(RESTORE_PHASES, fact(f, 'phase'), 'vi')}: ${line(fact(f, 'detail'))}${outcomeTail(e, 'vi')}`,
      ),
    },
    links: backupLinks,
  },
  {
    id: 'register-write',
    label: { en: 'Register writes', vi: 'Ghi thanh ghi' },
    codes: ['rs485.write', 'rs485.clearErrors', 'rs485.restore'],
    words: {
      'rs485.write': registerWrite('Wrote', 'Ghi'),
      'rs485.restore': registerWrite('Restored', 'Khôi phục'),
      'rs485.clearErrors': both(
        (f, e) =>
          `Cleared the errors of the ${lookup(MODULES, fact(f, 'module'), 'en')} module ${fact(f, 'slave')}${outcomeTail(e, 'en')}`,
        (f, e) =>
          `Xóa lỗi của mô-đun ${lookup(MODULES, fact(f, 'module'), 'vi')} ${fact(f, 'slave')}${outcomeTail(e, 'vi')}`,
      ),
    },
    links: () => [{ target: 'bus' }],
  },
  {
    id: 'bus',
    label: { en: 'RS485 bus', vi: 'Bus RS485' },
    codes: ['rs485.backup', 'services.*'],
    words: {
      'rs485.backup': both(
        (f, e) =>
          `Saved ${num(f, 'registers')} module parameters from the RS485 bus (${num(f, 'unread')} unread)${outcomeTail(e, 'en')}`,
        (f, e) =>
          `Lưu ${num(f, 'registers')} tham số mô-đun từ bus RS485 (${num(f, 'unread')} không đọc được)${outcomeTail(e, 'vi')}`,
      ),
      'services.*': both(
        (f, e) => `Stopped ${fact(f, 'service', 'the firmware service')} to free the RS485 bus${outcomeTail(e, 'en')}`,
        (f, e) => `Dừng ${fact(f, 'service', 'dịch vụ firmware')} để giải phóng bus RS485${outcomeTail(e, 'vi')}`,
      ),
    },
    links: () => [{ target: 'bus' }],
  },
  {
    id: 'settings',
    label: { en: 'Settings', vi: 'Cài đặt' },
    codes: ['settings.*', 'procedures.save', 'audit.*'],
    words: {
      'settings.technician': both(
        (f) => `Set the technician's name to ${fact(f, 'after', '?')}`,
        (f) => `Đặt tên kỹ thuật viên là ${fact(f, 'after', '?')}`,
      ),
      'audit.anchor': both(
        (f) => `Keyed the audit log; the ${num(f, 'legacyRows')} rows written before are anchored to it`,
        (f) => `Khóa nhật ký kiểm toán; ${num(f, 'legacyRows')} dòng ghi trước đó được neo vào chuỗi`,
      ),
      'audit.*': both(
        () => 'Changed the audit log',
        () => 'Thay đổi nhật ký kiểm toán',
      ),
      'settings.thresholds': both(
        () => 'Changed the alert thresholds',
        () => 'Thay đổi ngưỡng cảnh báo',
      ),
      'settings.escalationContacts': both(
        () => 'Changed the escalation contacts',
        () => 'Thay đổi danh bạ chuyển cấp',
      ),
      'procedures.save': both(
        (f) => `Saved procedure ${fact(f, 'id', '?')} as version ${fact(f, 'version', '?')}`,
        (f) => `Lưu quy trình ${fact(f, 'id', '?')} thành phiên bản ${fact(f, 'version', '?')}`,
      ),
      'settings.*': both(
        () => 'Changed a setting',
        () => 'Thay đổi một cài đặt',
      ),
    },
    links: () => [{ target: 'settings' }],
  },
  {
    id: 'terminal',
    label: { en: 'Terminal sessions', vi: 'Phiên dòng lệnh' },
    codes: ['terminal.session'],
    words: {
      'terminal.session': both(
        (f) =>
          `Terminal session of ${duration(num(f, 'durationMs'), 'en')}${f.interactive === false ? ' (a piped script)' : ''}, recorded (${bytes(num(f, 'bytes'))}, SHA-256 ${shortId(fact(f, 'sha256'))}): ${line(fact(f, 'endReason'))}`,
        (f) =>
          `Phiên dòng lệnh ${duration(num(f, 'durationMs'), 'vi')}${f.interactive === false ? ' (một kịch bản)' : ''}, đã ghi lại (${bytes(num(f, 'bytes'))}, SHA-256 ${shortId(fact(f, 'sha256'))}): ${line(fact(f, 'endReason'))}`,
      ),
    },
    links: consoleLinks('session', 'sessionId'),
  },
  {
    id: 'log-view',
    label: { en: 'Saved log views', vi: 'Nhật ký đã lưu' },
    codes: ['logs.view'],
    words: {
      'logs.view': both(
        (f) => `Kept ${num(f, 'lines')} log lines as evidence (SHA-256 ${shortId(fact(f, 'sha256'))})`,
        (f) => `Lưu ${num(f, 'lines')} dòng nhật ký làm bằng chứng (SHA-256 ${shortId(fact(f, 'sha256'))})`,
      ),
    },
    links: consoleLinks('logView', 'viewId'),
  },
  {
    id: 'file-edit',
    label: { en: 'File edits', vi: 'Sửa tệp' },
    codes: ['files.edit'],
    words: {
      'files.edit': both(
        (f, e) =>
          e.outcome === 'ok'
            ? `Edited ${fact(f, 'path', '?')} (+${num(f, 'added')} −${num(f, 'removed')} lines); the previous version is kept in backup ${shortId(fact(f, 'backupId'))}`
            : `Did not edit ${fact(f, 'path', '?')}: ${line(fact(f, 'reason'))}${outcomeTail(e, 'en')}`,
        (f, e) =>
          e.outcome === 'ok'
            ? `Sửa ${fact(f, 'path', '?')} (+${num(f, 'added')} −${num(f, 'removed')} dòng); bản trước được giữ trong bản sao lưu ${shortId(fact(f, 'backupId'))}`
            : `Không sửa ${fact(f, 'path', '?')}: ${line(fact(f, 'reason'))}${outcomeTail(e, 'vi')}`,
      ),
    },
    links: (e) =>
      e.unit && typeof e.facts.path === 'string'
        ? [
            { target: 'files', unit: e.unit, path: e.facts.path },
            { target: 'backups', unit: e.unit },
          ]
        : [],
  },
  {
    id: 'sync',
    label: { en: 'Team sync', vi: 'Đồng bộ nhóm' },
    codes: ['sync.*', 'team.*'],
    words: {
      'team.join': both(
        (f) => `Joined the team server ${fact(f, 'url', '?')} as ${fact(f, 'device', '?')}`,
        (f) => `Tham gia máy chủ nhóm ${fact(f, 'url', '?')} với tên ${fact(f, 'device', '?')}`,
      ),
      'team.leave': both(
        (f) => `Left the team server ${fact(f, 'url', '?')}`,
        (f) => `Rời máy chủ nhóm ${fact(f, 'url', '?')}`,
      ),
      'sync.conflict': both(
        (f) =>
          `Host key conflict: laptops pinned different keys for this unit (${fact(f, 'fingerprints', '?')}); a replaced or spoofed board`,
        (f) =>
          `Xung đột khóa máy chủ: các máy tính đã ghim khóa khác nhau cho xe này (${fact(f, 'fingerprints', '?')}); bo mạch bị thay hoặc giả mạo`,
      ),
      'sync.setting': both(
        (f) =>
          `Team setting ${fact(f, 'key', '?')} edited by ${fact(f, 'by', '?')} on ${fact(f, 'device', '?')} is now in force`,
        (f) =>
          `Cài đặt nhóm ${fact(f, 'key', '?')} do ${fact(f, 'by', '?')} sửa trên ${fact(f, 'device', '?')} nay có hiệu lực`,
      ),
      'sync.*': both(
        () => 'Recorded a team sync event',
        () => 'Ghi nhận một sự kiện đồng bộ nhóm',
      ),
      'team.*': both(
        () => 'Changed the team server',
        () => 'Thay đổi máy chủ nhóm',
      ),
    },
    links: (e) => (e.code === 'sync.setting' ? [{ target: 'settings' }] : unitLink(e)),
  },
  {
    id: 'unit',
    label: { en: 'Unit changes', vi: 'Thay đổi xe' },
    codes: ['unit.*', 'hostkey.*'],
    words: {
      'unit.add': both(
        (f) => `Added the unit (${fact(f, 'host', '?')}:${fact(f, 'port', '22')}, user ${fact(f, 'user', '?')})`,
        (f) => `Thêm xe (${fact(f, 'host', '?')}:${fact(f, 'port', '22')}, người dùng ${fact(f, 'user', '?')})`,
      ),
      'unit.remove': both(
        () => 'Removed the unit (its history is kept)',
        () => 'Gỡ xe khỏi danh sách (lịch sử vẫn được giữ)',
      ),
      'hostkey.trust': both(
        (f, e) =>
          e.outcome === 'refused'
            ? `Refused a host key that does not match (${fact(f, 'fingerprint', '?')})`
            : `Trusted the host key ${fact(f, 'fingerprint', '?')}`,
        (f, e) =>
          e.outcome === 'refused'
            ? `Từ chối khóa máy chủ không khớp (${fact(f, 'fingerprint', '?')})`
            : `Tin cậy khóa máy chủ ${fact(f, 'fingerprint', '?')}`,
      ),
      'hostkey.repin': both(
        (f) => `Pinned a new host key ${fact(f, 'fingerprint', '?')} (a replaced board)`,
        (f) => `Ghim khóa máy chủ mới ${fact(f, 'fingerprint', '?')} (bo mạch đã thay)`,
      ),
      'unit.*': both(
        () => 'Changed the unit',
        () => 'Thay đổi thông tin xe',
      ),
      'hostkey.*': both(
        () => 'Changed the host key pin',
        () => 'Thay đổi khóa máy chủ đã ghim',
      ),
    },
    links: unitLink,
  },
];

/** A code no kind claims (written by a newer build, say) still reads as words, never as a bare code. */
export const OTHER_KIND = 'other';

const OTHER_WORDS = both(
  (_f, e) => `Recorded an action this version does not describe${outcomeTail(e, 'en')}`,
  (_f, e) => `Ghi nhận một thao tác mà phiên bản này chưa mô tả${outcomeTail(e, 'vi')}`,
);

function claims(pattern: string, code: string): boolean {
  return pattern.endsWith('.*') ? code.startsWith(pattern.slice(0, -1)) : pattern === code;
}

export function kindOfCode(code: string): LogbookKind | undefined {
  return LOGBOOK_KINDS.find((kind) => kind.codes.some((pattern) => claims(pattern, code)));
}

export function findKind(id: string): LogbookKind | undefined {
  return LOGBOOK_KINDS.find((kind) => kind.id === id);
}

/** The entry in words, in the reader's language. */
export function describeEntry(entry: LogbookEntry, language: LogbookLanguage): string {
  const kind = findKind(entry.kind) ?? kindOfCode(entry.code);
  const words =
    kind?.words[entry.code] ??
    Object.entries(kind?.words ?? {}).find(([pattern]) => claims(pattern, entry.code))?.[1] ??
    OTHER_WORDS;
  return words[language](entry.facts, entry);
}

export function kindLabel(id: string, language: LogbookLanguage): string {
  return findKind(id)?.label[language] ?? (language === 'vi' ? 'Khác' : 'Other');
}

export function entryLinks(entry: LogbookEntry): LogbookLink[] {
  return findKind(entry.kind)?.links(entry) ?? [];
}
