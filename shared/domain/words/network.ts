import type { Template } from '../said';

/** network.interfaces, network.route, network.center and network.ports. */
export const NETWORK_WORDS = {
  'net.interfacesUnreadable': {
    en: 'network interfaces could not be read: {reason}',
    vi: 'không đọc được các giao diện mạng: {reason}',
  },
  'net.ipNothing': { en: 'ip printed nothing', vi: 'ip không in ra gì' },
  'net.addressesUnreadable': {
    en: 'network addresses could not be read: {reason}',
    vi: 'không đọc được các địa chỉ mạng: {reason}',
  },
  'net.linkUp': { en: '{name} up, {addresses}', vi: '{name} hoạt động, {addresses}' },
  'net.linkNoIpv4': { en: '{name} up without an IPv4 address', vi: '{name} hoạt động nhưng không có địa chỉ IPv4' },
  'net.linkNoCarrier': { en: '{name} no carrier', vi: '{name} không có tín hiệu' },
  'net.linkDown': { en: '{name} down', vi: '{name} tắt' },
  'net.onlyLoopback': { en: 'no interface besides loopback', vi: 'không có giao diện nào ngoài loopback' },
  'net.offNetwork': {
    en: 'no network interface is up with an IPv4 address ({summary}): the vehicle is off the network',
    vi: 'không có giao diện mạng nào hoạt động với địa chỉ IPv4 ({summary}): xe đang mất mạng',
  },
  'net.hotspotOnly': {
    en: "only the vehicle's own hotspot is up ({summary}): it could not join the site network",
    vi: 'chỉ có điểm phát Wi-Fi riêng của xe hoạt động ({summary}): xe không vào được mạng của nhà máy',
  },
  'net.summary': { en: '{links}', vi: '{links}' },
  'net.routesUnreadable': { en: 'routes could not be read: {reason}', vi: 'không đọc được bảng định tuyến: {reason}' },
  'net.exit': { en: 'exit {exit}', vi: 'mã thoát {exit}' },
  'net.noDefaultRoute': {
    en: 'no default route: hosts beyond the local subnet (the center server, the internet) cannot be reached',
    vi: 'không có tuyến mặc định: không tới được các máy ngoài mạng con cục bộ (máy chủ trung tâm, internet)',
  },
  'net.via': { en: 'via {gateway}', vi: 'qua {gateway}' },
  'net.onLink': { en: 'on-link', vi: 'trực tiếp' },
  'net.routeOn': { en: '{how} on {dev}', vi: '{how} trên {dev}' },
  'net.defaultRoute': { en: 'default route {routes}', vi: 'tuyến mặc định {routes}' },
  'net.configUnreadable': { en: '{path} could not be read: {reason}', vi: 'không đọc được {path}: {reason}' },
  'net.configMissing': {
    en: '{path} is missing: the center client has no center server to connect to',
    vi: 'thiếu {path}: trình kết nối trung tâm không có máy chủ trung tâm để kết nối',
  },
  'net.notYaml': { en: '{path} does not read as YAML: {line}', vi: '{path} không đọc được dạng YAML: {line}' },
  'net.noCenter': { en: 'no center server configured in {path}', vi: '{path} không cấu hình máy chủ trung tâm nào' },
  'net.badCenter': {
    en: '{path} names the center server "{value}" ({key}), which is not a host name or address',
    vi: '{path} ghi máy chủ trung tâm là "{value}" ({key}), không phải tên máy hay địa chỉ',
  },
  'net.centerName': { en: 'center server {host}{port}', vi: 'máy chủ trung tâm {host}{port}' },
  'net.port': { en: ':{port}', vi: ':{port}' },
  'net.resolved': { en: ' ({address})', vi: ' ({address})' },
  'net.cannotTest': {
    en: '{name} ({key}) could not be tested: {reason}',
    vi: 'không kiểm tra được {name} ({key}): {reason}',
  },
  'net.pingOk': { en: '{name}{resolved} answers ping{rtt}', vi: '{name}{resolved} trả lời ping{rtt}' },
  'net.rtt': { en: ' in {ms} ms', vi: ' sau {ms} ms' },
  'net.pingNotPermitted': {
    en: '{name} could not be tested: ping is not permitted for this user ({line})',
    vi: 'không kiểm tra được {name}: tài khoản này không được phép dùng ping ({line})',
  },
  'net.pingSilent': {
    en: '{name}{resolved} does not answer ping: the vehicle cannot reach its center',
    vi: '{name}{resolved} không trả lời ping: xe không tới được trung tâm',
  },
  'net.unreachable': { en: '{name} cannot be reached: {reason}', vi: 'không tới được {name}: {reason}' },
  'net.pingFailed': { en: 'ping failed', vi: 'ping thất bại' },
  'net.pingUntested': { en: '{name} could not be tested: {reason}', vi: 'không kiểm tra được {name}: {reason}' },
  'net.pingExited': { en: 'ping exited {exit}', vi: 'ping thoát với mã {exit}' },
  'net.portsUnreadable': {
    en: 'listening ports could not be read: {reason}',
    vi: 'không đọc được các cổng đang lắng nghe: {reason}',
  },
  'net.noSocket': {
    en: 'no listening socket at all (exit {exit})',
    vi: 'không có socket nào đang lắng nghe (mã thoát {exit})',
  },
  'net.nothingListens': {
    en: 'nothing listens on :{port}: the {service} API is not answering',
    vi: 'không có gì lắng nghe ở cổng :{port}: API {service} không trả lời',
  },
  'net.loopbackOnly': {
    en: '{service} listens on :{port} only on {addresses}: the network cannot reach it',
    vi: '{service} chỉ lắng nghe cổng :{port} trên {addresses}: mạng không tới được',
  },
  'net.listens': { en: '{service} listens on :{port} ({where})', vi: '{service} lắng nghe cổng :{port} ({where})' },
  'net.allAddresses': { en: 'all addresses', vi: 'mọi địa chỉ' },
  'net.servicePort': { en: '{service} :{port}', vi: '{service} :{port}' },
  'net.listening': { en: '{services} listening', vi: '{services} đang lắng nghe' },
} as const satisfies Record<string, Template>;
