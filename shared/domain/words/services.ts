import type { Template } from '../said';

/** services.backend, services.firmware and services.failed. */
export const SERVICES_WORDS = {
  'services.stale': { en: 'services could not be judged: {reason}', vi: 'không đánh giá được các dịch vụ: {reason}' },
  'service.unreadable': {
    en: "{service}: the vehicle's answer to systemctl could not be read",
    vi: '{service}: không đọc được câu trả lời của systemctl trên xe',
  },
  'service.notInstalled': {
    en: '{service} is not installed on the vehicle (no such systemd unit)',
    vi: '{service} chưa được cài trên xe (không có systemd unit này)',
  },
  'service.since': { en: ' since {at}', vi: ' từ {at}' },
  'service.restarted': { en: '; restarted {restarts#time|times}', vi: '; đã khởi động lại {restarts} lần' },
  'service.crashing': {
    en: '{service} is running{since}{restarted}: it has been crashing',
    vi: '{service} đang chạy{since}{restarted}: dịch vụ đã bị sập nhiều lần',
  },
  'service.notEnabled': {
    en: '{service} is running but {enabled} at boot: it will not come back after a power cycle',
    vi: '{service} đang chạy nhưng ở trạng thái {enabled} khi khởi động: sẽ không tự chạy lại sau khi tắt/bật nguồn',
  },
  'service.running': { en: '{service} is running{since}{restarted}', vi: '{service} đang chạy{since}{restarted}' },
  'service.failed': {
    en: '{service} has failed ({result}, exit status {status}){since}{restarted}',
    vi: '{service} đã bị lỗi dừng ({result}, mã thoát {status}){since}{restarted}',
  },
  'service.unknownResult': { en: 'unknown result', vi: 'kết quả không rõ' },
  'service.autoRestart': {
    en: '{service} keeps crashing and systemd keeps restarting it{restarted}',
    vi: '{service} liên tục bị sập và systemd liên tục khởi động lại{restarted}',
  },
  'service.starting': { en: '{service} is starting', vi: '{service} đang khởi động' },
  'service.changing': { en: '{service} is {state}', vi: '{service} đang ở trạng thái {state}' },
  'service.stopped': { en: '{service} is stopped{since}', vi: '{service} đã dừng{since}' },
  'service.unexpected': {
    en: '{service}: unexpected state "{state}"',
    vi: '{service}: trạng thái không mong đợi "{state}"',
  },

  'failed.dependenciesStale': {
    en: 'PostgreSQL and Redis could not be looked up: {reason}',
    vi: 'không tra cứu được PostgreSQL và Redis: {reason}',
  },
  'failed.dependencyState': { en: '{label} ({unit}) is {state}', vi: '{label} ({unit}) đang {state}' },
  'failed.dependencyFailed': {
    en: '{label} ({unit}) has failed ({result}): the backend cannot reach it',
    vi: '{label} ({unit}) đã bị lỗi dừng ({result}): backend không kết nối được tới nó',
  },
  'failed.dependencyNotRunning': {
    en: '{label} ({unit}) is installed but not running: {state}, {enabled} at boot',
    vi: '{label} ({unit}) đã cài nhưng không chạy: {state}, {enabled} khi khởi động',
  },
  'failed.stale': {
    en: 'failed units could not be listed: {reason}',
    vi: 'không liệt kê được các unit bị lỗi: {reason}',
  },
  'failed.noneBut': { en: 'no failed systemd units, but {worst}', vi: 'không có systemd unit nào lỗi, nhưng {worst}' },
  'failed.none': { en: 'no failed systemd units', vi: 'không có systemd unit nào lỗi' },
  'failed.some': {
    en: '{count#failed systemd unit|failed systemd units}: {units}',
    vi: '{count} systemd unit bị lỗi: {units}',
  },
  'failed.unit': { en: '{unit} ({description})', vi: '{unit} ({description})' },
} as const satisfies Record<string, Template>;
