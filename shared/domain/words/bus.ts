import type { Template } from '../said';

/** rs485.offline.*: the bus doctor's diagnosis with the workstation as the bus master, and the second-master check. */
export const BUS_WORDS = {
  'bus.module.power': { en: 'Power', vi: 'Nguồn' },
  'bus.module.safety': { en: 'Safety', vi: 'An toàn' },
  'bus.module.travel': { en: 'Travel motor', vi: 'Động cơ di chuyển' },
  'bus.module.dock': { en: 'Dock & location', vi: 'Sạc/đỗ và định vị' },
  'bus.group.error': { en: 'own status and error registers', vi: 'thanh ghi trạng thái và lỗi riêng' },
  'bus.group.battery': { en: 'battery', vi: 'pin' },
  'bus.group.cells': { en: 'cells', vi: 'các cell pin' },
  'bus.group.temperature': { en: 'temperatures', vi: 'nhiệt độ' },
  'bus.group.faults': { en: 'fault registers', vi: 'thanh ghi lỗi' },
  'bus.group.status': { en: 'status', vi: 'trạng thái' },
  'bus.group.estop': { en: 'E-Stop', vi: 'dừng khẩn cấp (E-Stop)' },
  'bus.label': { en: '{module} {address}', vi: '{module} {address}' },
  'bus.title': { en: '{module} {group}', vi: '{group} của {module}' },
  'bus.notRead': { en: 'not read: {label} did not answer', vi: 'chưa đọc: {label} không trả lời' },
  'bus.moduleOk': { en: '{label} answered; {count} checks OK', vi: '{label} đã trả lời; {count} mục kiểm tra OK' },
  'bus.moduleProblems': { en: '{label}: {problems}', vi: '{label}: {problems}' },
  'bus.noRegister': {
    en: '{label}: the map {map} has no register to ask',
    vi: '{label}: bản đồ {map} không có thanh ghi nào để hỏi',
  },
  'bus.wrongModule': {
    en: '{label} answers, but not at {address} ({register}): the module does not match the map {map}',
    vi: '{label} có trả lời, nhưng không ở {address} ({register}): mô-đun không khớp với bản đồ {map}',
  },
  'bus.refusesIdentity': {
    en: '{label} refuses the identity read: {failure}',
    vi: '{label} từ chối lệnh đọc định danh: {failure}',
  },
  'bus.absent': {
    en: '{label} did not answer ({failure}): not on the bus, another address, baud rate or wiring; {policy}',
    vi: '{label} không trả lời ({failure}): không có trên bus, sai địa chỉ, tốc độ baud hoặc dây nối; {policy}',
  },
  'bus.policy': {
    en: 'losing it means {action} for the firmware',
    vi: 'mất mô-đun này thì firmware sẽ {action}',
  },
  'bus.idDisagrees': {
    en: 'its device ID register says {said}, not {address}: its address setting and its ID disagree',
    vi: 'thanh ghi mã thiết bị báo {said}, không phải {address}: địa chỉ cài đặt và mã không khớp nhau',
  },
  'bus.typeDisagrees': {
    en: 'it says it is module type {said}, not {expected}: another module on this address, or the wrong map',
    vi: 'mô-đun báo loại {said}, không phải {expected}: có mô-đun khác ở địa chỉ này, hoặc sai bản đồ',
  },
  'bus.typeIs': { en: 'type {type}', vi: 'loại {type}' },
  'bus.firmwareIs': { en: 'firmware {version}', vi: 'phiên bản firmware {version}' },
  'bus.answersBut': { en: '{label} answers, but {findings}', vi: '{label} có trả lời, nhưng {findings}' },
  'bus.answers': { en: '{label} answers{facts}', vi: '{label} có trả lời{facts}' },
  'bus.facts': { en: ' ({facts})', vi: ' ({facts})' },
  'bus.reading': { en: '{label} {value}', vi: '{label} {value}' },
  'bus.group': { en: '{title}: {parts}{more}', vi: '{title}: {parts}{more}' },
  'bus.groupNotRead': { en: '{title} not read', vi: 'chưa đọc được {title}' },
  'bus.andMore': { en: ', and {count} more', vi: ', và {count} thanh ghi khác' },
  'bus.registersNotRead': {
    en: '{count#register|registers} not read ({failures}): is {map} the map this module has?',
    vi: '{count} thanh ghi không đọc được ({failures}): mô-đun này có đúng bản đồ {map} không?',
  },
  'bus.registerFailed': { en: '{address} {label}: {failure}', vi: '{address} {label}: {failure}' },
  'bus.groupAndFailed': { en: '{group}; {failed}', vi: '{group}; {failed}' },
  'bus.isEnum': { en: '{label} is {value}', vi: '{label} là {value}' },
  'bus.unnamedValue': {
    en: '{label} is {value}, which the map does not name',
    vi: '{label} là {value}, giá trị mà bản đồ không đặt tên',
  },
  'bus.unnamedBit': {
    en: '{label}: bit {bit} is set, which the map does not name',
    vi: '{label}: bit {bit} được bật, bit mà bản đồ không đặt tên',
  },
  'bus.bit': { en: '{label}: {bit}', vi: '{label}: {bit}' },
  'bus.below': { en: '{label} {value} is below {limit}', vi: '{label} {value} thấp hơn {limit}' },
  'bus.above': { en: '{label} {value} is above {limit}', vi: '{label} {value} cao hơn {limit}' },
  'bus.hexIs': { en: '{label} is {value}', vi: '{label} là {value}' },
  'bus.outOfRange': {
    en: "{label} {value} is outside the map's range {min}..{max}: a wrong map variant or a bad reading",
    vi: '{label} {value} nằm ngoài khoảng {min}..{max} của bản đồ: sai biến thể bản đồ hoặc đọc sai',
  },
  'bus.timeouts': {
    en: '{timeouts#timeout|timeouts} in {requests#request|requests}',
    vi: '{timeouts} lần hết thời gian chờ trên {requests} yêu cầu',
  },
  'bus.crc': {
    en: '{crc#CRC error|CRC errors} in {requests#request|requests}: noise, termination (120 Ω at both ends) or bias',
    vi: '{crc} lỗi CRC trên {requests} yêu cầu: nhiễu, điện trở đầu cuối (120 Ω ở hai đầu) hoặc phân cực',
  },
  'bus.slow': {
    en: 'slow: p95 {p95} ms, above the {max} ms the firmware allows this module (it expects {expected} ms)',
    vi: 'chậm: p95 {p95} ms, vượt {max} ms mà firmware cho phép mô-đun này (mong đợi {expected} ms)',
  },
  'bus.noTiming': { en: 'no reply timed', vi: 'không đo được phản hồi nào' },
  'bus.latency': {
    en: 'latency p50 {p50} ms, p95 {p95} ms, p99 {p99} ms',
    vi: 'độ trễ p50 {p50} ms, p95 {p95} ms, p99 {p99} ms',
  },
  'bus.lineProblems': {
    en: 'line to {module}: {problems} ({latency})',
    vi: 'đường truyền tới {module}: {problems} ({latency})',
  },
  'bus.lineClean': {
    en: 'line to {module} clean: {requests#request|requests}, no timeout or CRC error, {latency}',
    vi: 'đường truyền tới {module} sạch: {requests} yêu cầu, không hết thời gian chờ hay lỗi CRC, {latency}',
  },
  'bus.silent': {
    en: "no module answered: check the adapter, that the bus runs at the port's settings (115200 8N1 on OHT-50), the A/B wiring and that the modules are powered",
    vi: 'không mô-đun nào trả lời: kiểm tra bộ chuyển đổi, tốc độ bus đúng cài đặt cổng (115200 8N1 trên OHT-50), dây A/B và nguồn cấp cho các mô-đun',
  },
  'bus.someMissing': {
    en: '{answered} of {expected} expected modules answered (missing: {missing})',
    vi: '{answered} trên {expected} mô-đun cần có đã trả lời (thiếu: {missing})',
  },
  'bus.allAnswered': { en: 'all {count} expected modules answered', vi: 'cả {count} mô-đun cần có đều trả lời' },
  'bus.errors': {
    en: '{crc#CRC error|CRC errors} and {timeouts#timeout|timeouts} in {requests#request|requests}',
    vi: '{crc} lỗi CRC và {timeouts} lần hết thời gian chờ trên {requests} yêu cầu',
  },
  'bus.summary': { en: '{who}; {errors}', vi: '{who}; {errors}' },
  'bus.failNoAnswer': { en: 'no answer', vi: 'không trả lời' },
  'bus.failCrc': { en: 'reply failed its CRC check', vi: 'phản hồi sai CRC' },
  'bus.refusedException': { en: 'refused with exception {code}{name}', vi: 'bị từ chối với ngoại lệ {code}{name}' },
  'bus.exceptionName': { en: ' ({name})', vi: ' ({name})' },

  'master.theVehicle': { en: 'the vehicle', vi: 'xe' },
  'master.running': {
    en: "{service} is running on {where} and polls this bus: the workstation would be a second master, and its requests would collide with the firmware's (CRC errors, timeouts, writes between its reads). Stop the service first, or continue only on a bench bus",
    vi: '{service} đang chạy trên {where} và hỏi vòng bus này: trạm làm việc sẽ thành master thứ hai, và yêu cầu của nó sẽ va chạm với firmware (lỗi CRC, hết thời gian chờ, ghi xen giữa các lần đọc). Hãy dừng dịch vụ trước, hoặc chỉ tiếp tục trên bus thử nghiệm',
  },
  'master.stopped': {
    en: '{service} is stopped on {where}: the workstation is the only master on the bus',
    vi: '{service} đã dừng trên {where}: trạm làm việc là master duy nhất trên bus',
  },
  'master.unknown': {
    en: '{where} answers over SSH but whether {service} runs could not be told: if it does, it polls this bus and the workstation would be a second master',
    vi: '{where} trả lời qua SSH nhưng không biết {service} có chạy không: nếu có, nó hỏi vòng bus này và trạm làm việc sẽ thành master thứ hai',
  },
  'master.unreachable': {
    en: '{where} does not answer over SSH, so its firmware is taken to be down; if the vehicle computer is on, stop {service} before using the bus',
    vi: '{where} không trả lời qua SSH nên coi như firmware đã ngừng; nếu máy tính của xe đang bật, hãy dừng {service} trước khi dùng bus',
  },
  'master.noUnit': {
    en: 'no unit to ask over SSH; if a vehicle computer is on this bus, stop {service} on it before using the bus',
    vi: 'không có xe nào để hỏi qua SSH; nếu có máy tính xe trên bus này, hãy dừng {service} trên đó trước khi dùng bus',
  },
} as const satisfies Record<string, Template>;
