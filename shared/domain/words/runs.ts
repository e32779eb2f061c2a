import type { Template } from '../said';

/**
 * What a procedure run records: each step's outcome, the live gate readings before an action, and the run's state.
 * A technician's own words (a reason, a note) and the vehicle's (a command line, a state) are parameters quoted as
 * they were typed or printed.
 */
export const RUN_WORDS = {
  'runState.running': { en: 'running', vi: 'đang chạy' },
  'runState.completed': { en: 'completed', vi: 'hoàn thành' },
  'runState.aborted': { en: 'aborted', vi: 'đã hủy' },
  'runState.escalated': { en: 'escalated', vi: 'đã báo cáo cấp trên' },
  'runState.abortedBecause': { en: 'aborted ({reason})', vi: 'đã hủy ({reason})' },
  'runState.escalatedTo': { en: 'escalated (level {level})', vi: 'đã báo cáo cấp trên (cấp {level})' },

  'step.skipped': { en: 'skipped: {reason}', vi: 'đã bỏ qua: {reason}' },
  'step.read': { en: 'read', vi: 'đã đọc' },
  'step.confirmed': { en: 'confirmed', vi: 'đã xác nhận' },
  'step.confirmedNote': { en: 'confirmed: {note}', vi: 'đã xác nhận: {note}' },
  'step.chose': { en: 'chose: {option}', vi: 'đã chọn: {option}' },
  'step.allAnswered': { en: 'every item answered', vi: 'mọi mục đã được trả lời' },
  'step.itemsOpen': { en: '{count} item(s) not done', vi: '{count} mục chưa làm' },
  'step.escalated': { en: 'escalated to level {level}{note}', vi: 'đã báo cáo lên cấp {level}{note}' },
  'step.withNote': { en: ': {note}', vi: ': {note}' },
  'step.checkCouldNotRun': { en: 'the check could not run: {error}', vi: 'không chạy được bước kiểm tra: {error}' },
  'step.notAvailable': { en: 'not available', vi: 'không khả dụng' },
  'step.refused': { en: 'refused', vi: 'bị từ chối' },
  'step.running': { en: 'running', vi: 'đang chạy' },
  'step.notReported': {
    en: 'the diagnosis did not report {check}',
    vi: 'lần chẩn đoán không báo kết quả cho {check}',
  },
  'step.checkIs': { en: '{check} is {level}: {message}', vi: '{check} ở mức {level}: {message}' },
  'step.asExpected': { en: '{command}: as expected', vi: '{command}: đúng như mong đợi' },
  'step.notAsExpected': { en: '{command}: {problems}', vi: '{command}: {problems}' },
  'step.exitWas': { en: 'exit code {exit} (expected {wanted})', vi: 'mã thoát {exit} (mong đợi {wanted})' },
  'step.outputNoMatch': { en: 'the output does not match /{pattern}/', vi: 'kết quả in ra không khớp /{pattern}/' },
  'step.outputMatches': { en: 'the output matches /{pattern}/', vi: 'kết quả in ra khớp /{pattern}/' },
  'step.done': { en: '{command}: done', vi: '{command}: xong' },
  'step.failedExit': { en: '{command}: failed (exit {exit})', vi: '{command}: thất bại (mã thoát {exit})' },
  'step.blocked': { en: 'blocked: {gates}', vi: 'bị chặn: {gates}' },
  'step.gateRed': { en: '{gate} is red ({reading})', vi: '{gate} đang đỏ ({reading})' },
  'step.interrupted': {
    en: 'interrupted: {error}; whether it finished on the unit is unknown, so it must be confirmed again',
    vi: 'bị gián đoạn: {error}; không rõ lệnh đã xong trên xe hay chưa, nên phải xác nhận lại',
  },
  'step.failed': { en: 'failed: {error}', vi: 'thất bại: {error}' },

  'operation.backupFailed': { en: 'backup of {unit} failed: {error}', vi: 'sao lưu {unit} thất bại: {error}' },
  'operation.noBackupCommitted': { en: 'no backup was committed', vi: 'không có bản sao lưu nào được ghi' },
  'operation.backupDone': {
    en: 'backup {backup} of {unit}: {files} files, {bytes} bytes read, {newBytes} new{warnings}',
    vi: 'bản sao lưu {backup} của {unit}: {files} tệp, đã đọc {bytes} byte, {newBytes} byte mới{warnings}',
  },
  'operation.warnings': { en: '; {count} warning(s)', vi: '; {count} cảnh báo' },
  'operation.resetAccepted': {
    en: 'the firmware accepted the reset; it now reports {state}',
    vi: 'firmware đã chấp nhận lệnh reset; giờ báo {state}',
  },
  'operation.resetAcceptedBut': {
    en: 'the firmware accepted the reset but reports {state}',
    vi: 'firmware đã chấp nhận lệnh reset nhưng báo {state}',
  },
  'operation.resetRefused': {
    en: 'the firmware refused the reset or did not answer; it reports {state}',
    vi: 'firmware từ chối lệnh reset hoặc không trả lời; nó báo {state}',
  },
  'operation.serviceDone': {
    en: '{service}: {verb} done; it is {state}',
    vi: '{service}: systemctl {verb} xong; giờ ở trạng thái {state}',
  },
  'operation.serviceFailed': {
    en: '{service}: systemctl {verb} failed (exit {exit}); it is {state}',
    vi: '{service}: systemctl {verb} thất bại (mã thoát {exit}); giờ ở trạng thái {state}',
  },
  'operation.serviceReturned': {
    en: '{service}: systemctl {verb} returned, but it is {state}',
    vi: '{service}: systemctl {verb} đã xong, nhưng dịch vụ ở trạng thái {state}',
  },
  'operation.stateUnknown': { en: 'unknown ({reason})', vi: 'không rõ ({reason})' },

  'plan.diagnosisCheck': {
    en: 'run the diagnosis check {check} on {unit} (expects {level} or better)',
    vi: 'chạy mục kiểm tra chẩn đoán {check} trên {unit} (mong đợi {level} hoặc tốt hơn)',
  },
  'plan.run': { en: 'run {command} on {unit}', vi: 'chạy {command} trên {unit}' },
  'plan.operation': { en: '{operation} on {unit}', vi: '{operation} trên {unit}' },
  'plan.service': {
    en: '{verb} {service} on {unit} through systemctl, then read its state',
    vi: '{verb} {service} trên {unit} qua systemctl, rồi đọc lại trạng thái của nó',
  },
  'plan.verb.start': { en: 'start', vi: 'khởi động' },
  'plan.verb.stop': { en: 'stop', vi: 'dừng' },
  'plan.verb.restart': { en: 'restart', vi: 'khởi động lại' },
  'plan.verb.enable': { en: 'enable', vi: 'bật tự khởi động cho' },
  'plan.estopReset': {
    en: 'reset the latched E-Stop through the firmware API on {unit} (:{port}, ESTOP → IDLE), then read the state back',
    vi: 'reset E-Stop đang chốt qua API firmware trên {unit} (:{port}, ESTOP → IDLE), rồi đọc lại trạng thái',
  },
  'plan.backup': {
    en: "back up {unit} into the workstation's backup store (asked for: {scope}; the unit's backup profile is taken whole): files read through sudo over SSH, the database copied with SQLite’s own backup, nothing on the unit changed",
    vi: 'sao lưu {unit} vào kho sao lưu của workstation (yêu cầu: {scope}; lấy trọn hồ sơ sao lưu của xe): tệp được đọc qua sudo trên SSH, cơ sở dữ liệu được chép bằng cơ chế sao lưu của SQLite, không thay đổi gì trên xe',
  },
  'plan.cannot': { en: 'cannot be planned', vi: 'không lập được kế hoạch' },

  'gate.unreachable': { en: 'the unit cannot be reached: {error}', vi: 'không kết nối được tới xe: {error}' },
  'gate.noConnection': { en: 'no connection', vi: 'không có kết nối' },
  'gate.unreadable': { en: 'could not be read: {error}', vi: 'không đọc được: {error}' },
  'gate.answers': { en: 'the unit answers over SSH', vi: 'xe trả lời qua SSH' },
  'gate.noAnswer': {
    en: 'the unit did not answer as expected (exit {exit})',
    vi: 'xe không trả lời như mong đợi (mã thoát {exit})',
  },
  'gate.estopReleased': { en: 'E-Stop input {path} reads 1: released', vi: 'đầu vào E-Stop {path} đọc 1: đã nhả' },
  'gate.estopPressed': {
    en: 'E-Stop input {path} reads 0: PRESSED (active-low)',
    vi: 'đầu vào E-Stop {path} đọc 0: ĐANG NHẤN (mức thấp là tác động)',
  },
  'gate.estopUnreadable': {
    en: 'E-Stop input cannot be read: {reason}',
    vi: 'không đọc được đầu vào E-Stop: {reason}',
  },
  'gate.moving': {
    en: 'the firmware reports {state}: the vehicle is moving or may resume',
    vi: 'firmware báo {state}: xe đang chạy hoặc có thể chạy tiếp',
  },
  'gate.notMoving': {
    en: 'the firmware reports {state}: the vehicle is not moving',
    vi: 'firmware báo {state}: xe không chuyển động',
  },
  'gate.stateUnreadableStopped': {
    en: "the firmware's state cannot be read ({reason}) and {service} is {state}: nothing drives the vehicle",
    vi: 'không đọc được trạng thái firmware ({reason}) và {service} đang ở trạng thái {state}: không có gì điều khiển xe',
  },
  'gate.stateUnreadableRunning': {
    en: "the firmware's state cannot be read ({reason}) while {service} is {state}",
    vi: 'không đọc được trạng thái firmware ({reason}) trong khi {service} đang ở trạng thái {state}',
  },
  'gate.serviceStopped': { en: '{service} is {state}: not running', vi: '{service} ở trạng thái {state}: không chạy' },
  'gate.serviceState': { en: '{service} is {state}', vi: '{service} ở trạng thái {state}' },
  'gate.unknownState': { en: 'of unknown state', vi: 'không rõ' },
} as const satisfies Record<string, Template>;
