import type { Template } from '../said';

/** logs.backend and logs.firmware: the services' journals over the log window. */
export const LOGS_WORDS = {
  'logs.noPermission': {
    en: 'the login user may not read the system journal and sudo -n was refused (add the user to the systemd-journal group)',
    vi: 'tài khoản đăng nhập không được đọc journal hệ thống và sudo -n bị từ chối (thêm tài khoản vào nhóm systemd-journal)',
  },
  'logs.noEntries': {
    en: 'journalctl did not answer with entries: {detail}',
    vi: 'journalctl không trả về mục nhật ký nào: {detail}',
  },
  'logs.mangled': { en: '(mangled JSON)', vi: '(JSON hỏng)' },
  'logs.unreadable': {
    en: '{service}: the journal could not be read: {reason}',
    vi: '{service}: không đọc được journal: {reason}',
  },
  'logs.quiet': {
    en: 'no errors or warnings in the last {window} min',
    vi: 'không có lỗi hay cảnh báo trong {window} phút qua',
  },
  'logs.counted': {
    en: '{errors#error|errors} and {warnings#warning|warnings} in the last {window} min',
    vi: '{errors} lỗi và {warnings} cảnh báo trong {window} phút qua',
  },
  'logs.textNotSearched': {
    en: ' (error lines by text not searched: {reason})',
    vi: ' (chưa tìm được các dòng lỗi theo nội dung: {reason})',
  },
  'logs.configError': { en: '; configuration error: {line}', vi: '; lỗi cấu hình: {line}' },
  'logs.lastError': { en: '; last: {line}', vi: '; lỗi gần nhất: {line}' },
  'logs.summary': { en: '{service}: {counted}{detail}{textNote}', vi: '{service}: {counted}{detail}{textNote}' },
} as const satisfies Record<string, Template>;
