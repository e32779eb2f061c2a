import type { Template } from '../said';

/** api.backend and api.firmware: the vehicle's HTTP APIs asked with curl on the vehicle. */
export const API_WORDS = {
  'curl.refused': {
    en: 'connection refused on :{port}: nothing listens there',
    vi: 'kết nối bị từ chối ở cổng :{port}: không có gì lắng nghe ở đó',
  },
  'curl.timedOut': {
    en: 'no answer on :{port} within {seconds} s (curl timed out)',
    vi: 'cổng :{port} không trả lời trong {seconds} s (curl hết thời gian chờ)',
  },
  'curl.emptyReply': {
    en: ':{port} closed the connection without an answer (empty reply)',
    vi: 'cổng :{port} đóng kết nối mà không trả lời (phản hồi rỗng)',
  },
  'curl.broke': {
    en: 'the connection on :{port} broke while the answer was coming in',
    vi: 'kết nối ở cổng :{port} bị đứt khi đang nhận câu trả lời',
  },
  'curl.failed': { en: 'curl failed on :{port} (exit {exit})', vi: 'curl thất bại ở cổng :{port} (mã thoát {exit})' },
  'curl.failedSaying': {
    en: 'curl failed on :{port} (exit {exit}: {error})',
    vi: 'curl thất bại ở cổng :{port} (mã thoát {exit}: {error})',
  },
  'curl.missing': {
    en: 'curl is not installed on the vehicle, so its APIs cannot be asked from there',
    vi: 'xe chưa cài curl nên không hỏi được các API từ trên xe',
  },
  'curl.didNotParse': { en: 'the answer to curl did not parse', vi: 'không đọc được câu trả lời của curl' },
  'api.stale': { en: '{what} could not be judged: {reason}', vi: 'không đánh giá được {what}: {reason}' },
  'api.backendOn': { en: 'the backend API on :{port}', vi: 'API backend ở cổng :{port}' },
  'api.firmwareApi': { en: 'the firmware API', vi: 'API firmware' },
  'api.backendName': { en: 'backend API', vi: 'API backend' },
  'api.firmwareName': { en: 'firmware API', vi: 'API firmware' },
  'api.curlUnreadable': {
    en: '{name}: the answer to curl could not be read',
    vi: '{name}: không đọc được câu trả lời của curl',
  },
  'api.failure': { en: '{name}: {failure}', vi: '{name}: {failure}' },
  'api.wrongPort': {
    en: '{name}: :{port} answers but has no {path} (HTTP 404): is this the right port?',
    vi: '{name}: cổng :{port} có trả lời nhưng không có {path} (HTTP 404): có đúng cổng không?',
  },
  'api.http': { en: 'HTTP {status}', vi: 'HTTP {status}' },
  'api.failedRequests': {
    en: '{failed} of {sent} requests failed ({rate} % error rate: {what})',
    vi: '{failed} trên {sent} yêu cầu thất bại (tỉ lệ lỗi {rate} %: {what})',
  },
  'api.fast': { en: 'median {median} (slowest {slowest})', vi: 'trung vị {median} (chậm nhất {slowest})' },
  'api.slow': {
    en: 'slow: median {median}, slowest {slowest} (warning at {warning} ms, critical at {critical} ms)',
    vi: 'chậm: trung vị {median}, chậm nhất {slowest} (cảnh báo từ {warning} ms, nghiêm trọng từ {critical} ms)',
  },
  'api.ms': { en: '{ms} ms', vi: '{ms} ms' },
  'api.ms1': { en: '{ms:1} ms', vi: '{ms:1} ms' },
  'api.answersOk': {
    en: '{name} answers on :{port}: {ok} of {sent} requests OK, {findings}',
    vi: '{name} trả lời ở cổng :{port}: {ok} trên {sent} yêu cầu OK, {findings}',
  },
  'api.on': { en: '{name} on :{port}: {findings}', vi: '{name} ở cổng :{port}: {findings}' },
  'api.movedPort': {
    en: '{message} [answers on :{port}, not on :{expected} as the profile says{others}]',
    vi: '{message} [trả lời ở cổng :{port}, không phải :{expected} như hồ sơ xe ghi{others}]',
  },
  'api.withOthers': { en: '{message}{others}', vi: '{message}{others}' },
  'api.others': { en: ' ({notes})', vi: ' ({notes})' },
  'api.portNotAsked': { en: ':{port} not asked', vi: 'chưa hỏi cổng :{port}' },
  'api.portRefuses': { en: ':{port} refuses connections', vi: 'cổng :{port} từ chối kết nối' },
  'api.portSilent': { en: ':{port} does not answer', vi: 'cổng :{port} không trả lời' },
  'api.portAnswersToo': { en: ':{port} answers too', vi: 'cổng :{port} cũng trả lời' },
  'api.portNotFirmware': {
    en: ':{port} answers HTTP {status} but not as the firmware',
    vi: 'cổng :{port} trả lời HTTP {status} nhưng không phải firmware',
  },
  'api.noPortAsked': { en: 'no firmware port was asked', vi: 'chưa hỏi cổng firmware nào' },
  'api.healthNotJson': {
    en: 'its health answer is not JSON ("{body}")',
    vi: 'câu trả lời health không phải JSON ("{body}")',
  },
  'api.healthNoStatus': {
    en: 'its health answer has no status{suffix}',
    vi: 'câu trả lời health không có status{suffix}',
  },
  'api.status': { en: 'status {status}{score}', vi: 'trạng thái {status}{score}' },
  'api.score': { en: ' (score {score})', vi: ' (điểm {score})' },
  'api.reportsStatus': { en: 'it reports status "{status}"{suffix}', vi: 'báo trạng thái "{status}"{suffix}' },
  'api.firmwareHealthy': { en: '{status}{suffix}', vi: '{status}{suffix}' },
  'api.stateAndVersion': { en: ' ({facts})', vi: ' ({facts})' },
  'api.stateIs': { en: 'state {state}', vi: 'trạng thái {state}' },
  'api.versionIs': { en: 'version {version}', vi: 'phiên bản {version}' },
  'api.notOfferedPath': {
    en: '{path}: not offered by this build (HTTP 404)',
    vi: '{path}: bản này không cung cấp (HTTP 404)',
  },
  'api.pathAnswered': { en: '{path} answered HTTP {status}{body}', vi: '{path} trả lời HTTP {status}{body}' },
  'api.quotedBody': { en: ' ("{body}")', vi: ' ("{body}")' },
  'api.pathNotJson': {
    en: '{path} did not answer with JSON ("{body}")',
    vi: '{path} không trả lời bằng JSON ("{body}")',
  },
  'api.noCurrentState': { en: '{path} names no current_state', vi: '{path} không có current_state' },
  'api.firmwareState': {
    en: 'the firmware is {state}{since}{fault}{why}{flags}',
    vi: 'firmware ở trạng thái {state}{since}{fault}{why}{flags}',
  },
  'api.forSeconds': { en: ' for {s} s', vi: ' trong {s} s' },
  'api.forMinutes': { en: ' for {min} min', vi: ' trong {min} phút' },
  'api.forHours': { en: ' for {h} h {min} min', vi: ' trong {h} giờ {min} phút' },
  'api.fault': { en: ' (fault {fault})', vi: ' (lỗi {fault})' },
  'api.whyEstop': {
    en: ': the E-Stop is engaged and the vehicle will not move',
    vi: ': E-Stop đang kích hoạt và xe sẽ không di chuyển',
  },
  'api.whyStarting': { en: ': still starting', vi: ': vẫn đang khởi động' },
  'api.whyUnknownState': {
    en: ': a state this workstation does not know',
    vi: ': trạng thái mà trạm làm việc này không biết',
  },
  'api.falseFlags': { en: '; {flags} false', vi: '; {flags} = false' },
  'api.detailedNotJson': {
    en: '{path} answered HTTP {status} but not with JSON ("{body}")',
    vi: '{path} trả lời HTTP {status} nhưng không bằng JSON ("{body}")',
  },
  'api.detailedHealth': { en: 'detailed health', vi: 'sức khỏe chi tiết' },
  'api.notOfferedOn': {
    en: '{what}: not offered by this build (HTTP 404) on {paths}',
    vi: '{what}: bản này không cung cấp (HTTP 404) ở {paths}',
  },
  'api.answeredStatuses': {
    en: '{what}: {paths} answered HTTP {statuses}',
    vi: '{what}: {paths} trả lời HTTP {statuses}',
  },
  'api.rateLimitedNotChecked': {
    en: '{what}: not checked, the backend is rate-limiting (HTTP 429)',
    vi: '{what}: chưa kiểm tra, backend đang giới hạn tần suất (HTTP 429)',
  },
  'api.needsLogin': {
    en: '{what}: needs a login on this build, not checked (HTTP {statuses})',
    vi: '{what}: bản này yêu cầu đăng nhập, chưa kiểm tra (HTTP {statuses})',
  },
  'api.unexpectedStatus': {
    en: '{what}: unexpected HTTP {statuses} from {paths}',
    vi: '{what}: {paths} trả về HTTP {statuses} không mong đợi',
  },
  'api.detailedEmpty': {
    en: '{path} has neither a status nor components',
    vi: '{path} không có status lẫn components',
  },
  'api.databaseIs': { en: 'its database is {status}', vi: 'cơ sở dữ liệu của nó đang {status}' },
  'api.noteDatabase': { en: 'database {status}', vi: 'cơ sở dữ liệu {status}' },
  'api.componentConnected': { en: 'connected', vi: 'đã kết nối' },
  'api.componentDisconnected': { en: 'disconnected', vi: 'mất kết nối' },
  'api.noteFirmwareConnected': { en: 'firmware connected', vi: 'đã kết nối firmware' },
  'api.noteFirmwareNotConnected': { en: 'firmware not connected', vi: 'chưa kết nối firmware' },
  'api.noteUsage': { en: '{name} {percent} %', vi: '{name} {percent} %' },
  'api.backendNoFirmware': {
    en: 'the backend cannot reach the firmware API',
    vi: 'backend không kết nối được tới API firmware',
  },
  'api.backendReports': { en: 'the backend reports itself {status}', vi: 'backend tự báo trạng thái {status}' },
  'api.noOverallStatus': { en: 'no overall status', vi: 'không có trạng thái tổng' },
  'api.detailedOk': { en: '{path}: {overall}{details}', vi: '{path}: {overall}{details}' },
  'api.detailedProblems': { en: '{path}: {problems}{details}', vi: '{path}: {problems}{details}' },
  'api.details': { en: ' ({notes})', vi: ' ({notes})' },
  'api.authNotEnforced': {
    en: "authentication is not enforced: {path} answered HTTP {status} {how} (is BYPASS_AUTH or TESTING set in the backend's .env?)",
    vi: 'xác thực không được thực thi: {path} trả lời HTTP {status} {how} (BYPASS_AUTH hoặc TESTING có đang bật trong .env của backend không?)',
  },
  'api.withoutToken': { en: 'without a token', vi: 'khi không có token' },
  'api.withInvalidToken': { en: 'with an invalid token', vi: 'với token không hợp lệ' },
  'api.and': { en: '{a} and {b}', vi: '{a} và {b}' },
  'api.authEnforced': {
    en: 'protected endpoints refuse requests without a valid token ({path}: HTTP {statuses})',
    vi: 'các endpoint được bảo vệ từ chối yêu cầu không có token hợp lệ ({path}: HTTP {statuses})',
  },
  'api.authNotOffered': {
    en: '{path}: not offered by this build (HTTP 404), authentication not checked',
    vi: '{path}: bản này không cung cấp (HTTP 404), chưa kiểm tra xác thực',
  },
  'api.authNotVerified': {
    en: 'authentication not verified: {path} answered HTTP {statuses} instead of 401/403',
    vi: 'chưa xác minh được xác thực: {path} trả lời HTTP {statuses} thay vì 401/403',
  },
  'api.corsNotOffered': {
    en: '{path}: not offered by this build (HTTP 404), CORS not checked',
    vi: '{path}: bản này không cung cấp (HTTP 404), chưa kiểm tra CORS',
  },
  'api.corsNotChecked': {
    en: 'CORS not checked: {path} answered HTTP {status}',
    vi: 'chưa kiểm tra CORS: {path} trả lời HTTP {status}',
  },
  'api.corsMissing': {
    en: 'no Access-Control-Allow-Origin for Origin {origin}: a browser page served from another origin cannot use the API',
    vi: 'không có Access-Control-Allow-Origin cho Origin {origin}: trang web từ nguồn khác không dùng được API',
  },
  'api.corsAllowed': {
    en: 'cross-origin requests allowed for {allowed}{note}',
    vi: 'cho phép yêu cầu khác nguồn từ {allowed}{note}',
  },
  'api.corsNotRunbook': { en: " (not the runbook's {origin})", vi: ' (không phải {origin} như sổ tay vận hành)' },
  'api.rateLimitNote': {
    en: '; limit {limit}, {remaining} left in this window',
    vi: '; giới hạn {limit}, còn {remaining} trong khung này',
  },
  'api.rateLimited': {
    en: 'the backend answered 429 Too Many Requests to {limited} of {sent} requests: its rate limit (1000 per 60 s) is used up, so other clients are refused too{note}',
    vi: 'backend trả lời 429 Too Many Requests cho {limited} trên {sent} yêu cầu: đã dùng hết giới hạn tần suất (1000 mỗi 60 s), nên các máy khác cũng bị từ chối{note}',
  },
  'api.rateLimitClose': {
    en: 'close to the rate limit: {remaining} of {limit} requests left in this window',
    vi: 'gần chạm giới hạn tần suất: còn {remaining} trên {limit} yêu cầu trong khung này',
  },
  'api.rateLimitOk': { en: 'no 429 in {sent} requests{note}', vi: 'không có 429 trong {sent} yêu cầu{note}' },
} as const satisfies Record<string, Template>;
