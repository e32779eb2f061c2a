import type { Template } from '../said';

/** rs485.modules and rs485.bus: the module bus as the vehicle's firmware and backend see it. */
export const RS485_WORDS = {
  'rs485.notOffered': {
    en: '{path}: not offered by this build (HTTP 404), not checked',
    vi: '{path}: bản này không cung cấp (HTTP 404), chưa kiểm tra',
  },
  'rs485.needsLogin': {
    en: '{path} needs a login (HTTP {status}), not checked',
    vi: '{path} yêu cầu đăng nhập (HTTP {status}), chưa kiểm tra',
  },
  'rs485.noModuleList': { en: 'has no module list', vi: 'không có danh sách mô-đun' },
  'rs485.notJson': { en: 'is not JSON ("{body}")', vi: 'không phải JSON ("{body}")' },
  'rs485.firmwareAnswer': {
    en: "the firmware's answer to {path} {what}",
    vi: 'câu trả lời của firmware cho {path} {what}',
  },
  'rs485.module': { en: '{name} {address}', vi: '{name} {address}' },
  'rs485.neverFound': {
    en: "{label} is not on the firmware's module list: it was never found on the bus",
    vi: '{label} không có trong danh sách mô-đun của firmware: chưa từng được tìm thấy trên bus',
  },
  'rs485.lastSeen': { en: ', last seen {at}', vi: ', thấy lần cuối lúc {at}' },
  'rs485.online': { en: '{label} online{seen}', vi: '{label} trực tuyến{seen}' },
  'rs485.offline': { en: '{label} is offline{seen}', vi: '{label} mất kết nối{seen}' },
  'rs485.unknownOnline': {
    en: '{label}: the firmware does not say whether it is online',
    vi: '{label}: firmware không cho biết mô-đun có trực tuyến không',
  },
  'rs485.extra': { en: '{type} {address}{offline}', vi: '{type} {address}{offline}' },
  'rs485.extraOffline': { en: ' (offline)', vi: ' (mất kết nối)' },
  'rs485.moduleWord': { en: 'module', vi: 'mô-đun' },
  'rs485.also': { en: '; also {modules}', vi: '; ngoài ra còn {modules}' },
  'rs485.allOnline': {
    en: 'all {online} expected modules online (Power, Safety, Travel, Dock){extra}',
    vi: 'cả {online} mô-đun cần có đều trực tuyến (Power, Safety, Travel, Dock){extra}',
  },
  'rs485.statsNotJson': {
    en: 'the firmware\'s answer to {path} is not JSON ("{body}")',
    vi: 'câu trả lời của firmware cho {path} không phải JSON ("{body}")',
  },
  'rs485.noStats': { en: '{path} holds none of the bus statistics', vi: '{path} không có số liệu nào về bus' },
  'rs485.timeouts': {
    en: '{count#health-check timeout|health-check timeouts}',
    vi: '{count} lần hết thời gian chờ khi kiểm tra',
  },
  'rs485.crcErrors': { en: '{count#CRC/frame error|CRC/frame errors}', vi: '{count} lỗi CRC/khung' },
  'rs485.slowModules': {
    en: 'modules answer slowly: p95 {p95} ms{p99} (warning at {warning} ms, critical at {critical} ms)',
    vi: 'các mô-đun trả lời chậm: p95 {p95} ms{p99} (cảnh báo từ {warning} ms, nghiêm trọng từ {critical} ms)',
  },
  'rs485.p99': { en: ', p99 {p99} ms', vi: ', p99 {p99} ms' },
  'rs485.modulesOnline': { en: '{online} of {total} modules online', vi: '{online} trên {total} mô-đun trực tuyến' },
  'rs485.noTimeouts': { en: 'no health-check timeouts', vi: 'không có lần hết thời gian chờ' },
  'rs485.noCrc': { en: 'no CRC errors', vi: 'không có lỗi CRC' },
  'rs485.latency': { en: 'p95 {p95} ms{p99}', vi: 'p95 {p95} ms{p99}' },
  'rs485.sinceStart': { en: 'since the firmware started: {facts}', vi: 'từ khi firmware khởi động: {facts}' },
  'rs485.facts': { en: '{facts}', vi: '{facts}' },
  'rs485.backendNotJson': {
    en: 'the backend\'s answer to {path} is not JSON ("{body}")',
    vi: 'câu trả lời của backend cho {path} không phải JSON ("{body}")',
  },
  'rs485.busStatus': { en: 'bus status "{status}"', vi: 'trạng thái bus "{status}"' },
  'rs485.errorRate': { en: 'error rate {rate} %', vi: 'tỉ lệ lỗi {rate} %' },
  'rs485.p95': { en: 'p95 {p95} ms', vi: 'p95 {p95} ms' },
  'rs485.backendNothing': {
    en: '{path} holds no status, error rate or p95',
    vi: '{path} không có trạng thái, tỉ lệ lỗi hay p95',
  },
  'rs485.backendSees': { en: 'the backend sees the {findings}', vi: 'backend thấy {findings}' },
  'rs485.backendStale': {
    en: "the backend's bus health could not be judged: {reason}",
    vi: 'không đánh giá được tình trạng bus theo backend: {reason}',
  },
  'rs485.viewStale': {
    en: "the firmware's module view could not be judged: {reason}",
    vi: 'không đánh giá được danh sách mô-đun theo firmware: {reason}',
  },
  'rs485.viewLost': {
    en: "the vehicle's view of the modules is lost: the firmware API gave no answer ({why}){others}",
    vi: 'xe mất thông tin về các mô-đun: API firmware không trả lời ({why}){others}',
  },
  'rs485.noStatsBecause': { en: 'no bus statistics: {why}', vi: 'không có số liệu bus: {why}' },
  'rs485.noStatsAtAll': {
    en: 'no bus statistics came back from the firmware',
    vi: 'firmware không trả về số liệu bus nào',
  },
  'rs485.list': { en: '{items}', vi: '{items}' },
} as const satisfies Record<string, Template>;
