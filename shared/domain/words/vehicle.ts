import type { Template } from '../said';

/** safety.estop, config.env, data.database and clock. */
export const VEHICLE_WORDS = {
  'estop.noFile': {
    en: '{path} does not exist (is gpio59 exported?)',
    vi: '{path} không tồn tại (gpio59 đã được export chưa?)',
  },
  'estop.notReadable': {
    en: '{path} is not readable by the login user',
    vi: 'tài khoản đăng nhập không đọc được {path}',
  },
  'estop.catFailed': { en: 'cat failed (exit {exit})', vi: 'cat thất bại (mã thoát {exit})' },
  'estop.oddValue': { en: '{path} reads "{value}", not 0 or 1', vi: '{path} đọc được "{value}", không phải 0 hay 1' },
  'estop.curlResolve': { en: 'the host name did not resolve', vi: 'không phân giải được tên máy' },
  'estop.curlRefused': {
    en: 'nothing listens there (firmware API down?)',
    vi: 'không có gì lắng nghe ở đó (API firmware ngừng?)',
  },
  'estop.curlTimeout': { en: 'no answer within 2 s', vi: 'không trả lời trong 2 s' },
  'estop.curlEmpty': {
    en: 'the firmware closed the connection without answering',
    vi: 'firmware đóng kết nối mà không trả lời',
  },
  'estop.curlBroke': {
    en: 'the connection broke while reading the answer',
    vi: 'kết nối bị đứt khi đang đọc câu trả lời',
  },
  'estop.curlFailed': { en: 'curl failed (exit {exit})', vi: 'curl thất bại (mã thoát {exit})' },
  'estop.at': { en: '127.0.0.1:{port}: {why}', vi: '127.0.0.1:{port}: {why}' },
  'estop.notJson': {
    en: '127.0.0.1:{port} did not answer JSON: "{body}"',
    vi: '127.0.0.1:{port} không trả lời bằng JSON: "{body}"',
  },
  'estop.noCurrentState': {
    en: 'the answer of 127.0.0.1:{port} has no data.current_state',
    vi: 'câu trả lời của 127.0.0.1:{port} không có data.current_state',
  },
  'estop.portChanged': {
    en: "the firmware's port changed to {port} in this sweep; the next sweep asks it",
    vi: 'cổng của firmware đổi sang {port} trong lần quét này; lần quét sau sẽ hỏi cổng đó',
  },
  'estop.stateUnknown': {
    en: "the firmware's state could not be read ({reason})",
    vi: 'không đọc được trạng thái của firmware ({reason})',
  },
  'estop.stateKnown': { en: 'the firmware reports {state}{fault}{event}', vi: 'firmware báo {state}{fault}{event}' },
  'estop.fault': { en: ', fault {fault}', vi: ', lỗi {fault}' },
  'estop.event': { en: ', last event {event}', vi: ', sự kiện gần nhất {event}' },
  'estop.pin': { en: 'E-Stop input {path}', vi: 'đầu vào E-Stop {path}' },
  'estop.pinUnknown': {
    en: 'the E-Stop input cannot be read: {reason}; {state}',
    vi: 'không đọc được đầu vào E-Stop: {reason}; {state}',
  },
  'estop.pressedUnregistered': {
    en: 'E-Stop is pressed ({pin} reads 0) but {state}: the firmware has not registered the stop; check the E-Stop wiring and the firmware before anything moves',
    vi: 'E-Stop đang bị nhấn ({pin} đọc 0) nhưng {state}: firmware chưa ghi nhận lệnh dừng; kiểm tra dây E-Stop và firmware trước khi cho bất cứ thứ gì di chuyển',
  },
  'estop.pressed': {
    en: 'E-Stop is pressed ({pin} reads 0, active-low); {state}. Find out why it was pressed before releasing it',
    vi: 'E-Stop đang bị nhấn ({pin} đọc 0, mức thấp tích cực); {state}. Tìm hiểu lý do bị nhấn trước khi nhả ra',
  },
  'estop.releasedUnknown': {
    en: 'E-Stop is released ({pin} reads 1), but {state}: whether it is still latched is unknown',
    vi: 'E-Stop đã nhả ({pin} đọc 1), nhưng {state}: chưa rõ còn bị chốt hay không',
  },
  'estop.latched': {
    en: 'E-Stop released but still latched: reset needed ({pin} reads 1, {state})',
    vi: 'E-Stop đã nhả nhưng vẫn bị chốt: cần reset ({pin} đọc 1, {state})',
  },
  'estop.releasedFault': {
    en: 'E-Stop is released but {state}: the fault must be cleared before the vehicle moves',
    vi: 'E-Stop đã nhả nhưng {state}: phải xóa lỗi trước khi xe di chuyển',
  },
  'estop.releasedShutdown': { en: 'E-Stop is released; {state}', vi: 'E-Stop đã nhả; {state}' },
  'estop.released': { en: 'E-Stop is released ({pin} reads 1); {state}', vi: 'E-Stop đã nhả ({pin} đọc 1); {state}' },

  'env.sudoPassword': {
    en: 'the login user cannot see {path} and sudo -n wants a password (the backup needs passwordless sudo too)',
    vi: 'tài khoản đăng nhập không thấy {path} và sudo -n đòi mật khẩu (việc sao lưu cũng cần sudo không mật khẩu)',
  },
  'env.unclear': { en: 'the answer did not say: "{line}"', vi: 'câu trả lời không rõ: "{line}"' },
  'env.present': {
    en: '{path} is present (its content is not read){sudo}',
    vi: '{path} có mặt (không đọc nội dung){sudo}',
  },
  'env.viaSudo': {
    en: '; seen through sudo -n: the login user cannot',
    vi: '; thấy được qua sudo -n: tài khoản đăng nhập thì không',
  },
  'env.missing': {
    en: "the backend's configuration {path} is missing: the backend falls back to its built-in defaults, and a production build refuses the default JWT_SECRET",
    vi: 'thiếu tệp cấu hình {path} của backend: backend dùng giá trị mặc định có sẵn, và bản production từ chối JWT_SECRET mặc định',
  },
  'env.stale': {
    en: 'whether {path} is present could not be told: {reason}',
    vi: 'không xác định được {path} có tồn tại không: {reason}',
  },

  'db.timedOut': {
    en: 'the check timed out on the vehicle (a very large or busy database?)',
    vi: 'việc kiểm tra hết thời gian chờ trên xe (cơ sở dữ liệu quá lớn hoặc đang bận?)',
  },
  'db.sudoPassword': {
    en: 'the login user cannot read {path} and sudo -n wants a password (the backup needs passwordless sudo too)',
    vi: 'tài khoản đăng nhập không đọc được {path} và sudo -n đòi mật khẩu (việc sao lưu cũng cần sudo không mật khẩu)',
  },
  'db.cannotRead': {
    en: 'the login user cannot read {path} ({detail})',
    vi: 'tài khoản đăng nhập không đọc được {path} ({detail})',
  },
  'db.locked': {
    en: 'the database stayed locked by a writer for over a second ({error})',
    vi: 'cơ sở dữ liệu bị một tiến trình ghi khóa quá một giây ({error})',
  },
  'db.cannotOpen': { en: '{tool} could not open the file ({error})', vi: '{tool} không mở được tệp ({error})' },
  'db.toolSaid': { en: '{tool}: {error}', vi: '{tool}: {error}' },
  'db.noTools': {
    en: 'neither sqlite3 nor python3 is installed on the vehicle: nothing can read the database',
    vi: 'xe không có sqlite3 lẫn python3: không gì đọc được cơ sở dữ liệu',
  },
  'db.didNotParse': { en: 'the answer did not parse: "{line}"', vi: 'không đọc được câu trả lời: "{line}"' },
  'db.ok': {
    en: '{path} is intact (PRAGMA quick_check: ok, read with {tool}){note}',
    vi: '{path} nguyên vẹn (PRAGMA quick_check: ok, đọc bằng {tool}){note}',
  },
  'db.missing': {
    en: 'the backend database {path} is missing: the backend has no users, settings or history{note}',
    vi: 'thiếu cơ sở dữ liệu {path} của backend: backend không có người dùng, cài đặt hay lịch sử{note}',
  },
  'db.corrupt': {
    en: 'the backend database {path} is damaged: {first}{more}; restore it from a backup{note}',
    vi: 'cơ sở dữ liệu {path} của backend bị hỏng: {first}{more}; hãy khôi phục từ bản sao lưu{note}',
  },
  'db.notOk': { en: 'quick_check did not say ok', vi: 'quick_check không báo ok' },
  'db.more': { en: ' (+{count} more)', vi: ' (+{count} lỗi khác)' },
  'db.stale': {
    en: 'the backend database could not be checked: {reason}{note}',
    vi: 'không kiểm tra được cơ sở dữ liệu backend: {reason}{note}',
  },
  'db.viaSudo': {
    en: ' (read through sudo -n: the login user cannot)',
    vi: ' (đọc qua sudo -n: tài khoản đăng nhập thì không đọc được)',
  },

  'clock.ahead': { en: '{skew} ahead of', vi: 'nhanh hơn {skew} so với' },
  'clock.behind': { en: '{skew} behind', vi: 'chậm hơn {skew} so với' },
  'clock.seconds0': { en: '{s:0} s', vi: '{s:0} s' },
  'clock.seconds1': { en: '{s:1} s', vi: '{s:1} s' },
  'clock.tooSlow': {
    en: "the vehicle took {took} to answer, too long to tell whether its clock is within {limit} s of this laptop's ({skew} this laptop's, ±{within})",
    vi: 'xe mất {took} để trả lời, quá lâu để biết đồng hồ của xe có lệch dưới {limit} s so với máy tính này không ({skew} máy tính này, ±{within})',
  },
  'clock.ok': {
    en: "the vehicle's clock agrees with this laptop's ({skew} this laptop's, ±{within})",
    vi: 'đồng hồ của xe khớp với máy tính này ({skew} máy tính này, ±{within})',
  },
  'clock.skewed': {
    en: "the vehicle's clock is {atLeast}{skew} this laptop's (±{within}): time sync is not keeping it right; check that the vehicle reaches its time server (and that this laptop's clock is right)",
    vi: 'đồng hồ của xe {atLeast}{skew} máy tính này (±{within}): đồng bộ thời gian không giữ đúng giờ; kiểm tra xe có kết nối được máy chủ thời gian không (và đồng hồ máy tính này có đúng không)',
  },
  'clock.atLeast': { en: 'at least ', vi: 'ít nhất ' },
  'clock.unreadable': {
    en: "the vehicle's clock could not be read: {reason}",
    vi: 'không đọc được đồng hồ của xe: {reason}',
  },
  'clock.dateSaid': { en: 'date said "{said}"', vi: 'date trả về "{said}"' },
} as const satisfies Record<string, Template>;
