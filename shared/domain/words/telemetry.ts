import type { Template } from '../said';

/** Why a telemetry sample lacks some of its values: a probe that did not answer, a reading that did not parse. */
export const TELEMETRY_WORDS = {
  'telemetry.noAnswer': { en: '{tool}: no answer from the vehicle', vi: '{tool}: xe không trả lời' },
  'telemetry.cutOff': { en: '{tool}: the answer was cut off', vi: '{tool}: câu trả lời bị cắt ngang' },
  'telemetry.timedOut': { en: '{tool}: timed out on the vehicle', vi: '{tool}: hết thời gian chờ trên xe' },
  'telemetry.toolMissing': {
    en: '{tool}: a tool is missing on the vehicle ({detail})',
    vi: '{tool}: xe thiếu một công cụ ({detail})',
  },
  'telemetry.commandNotFound': { en: 'command not found', vi: 'không tìm thấy lệnh' },
  'telemetry.exit': { en: '{tool}: exit {exit}{reason}', vi: '{tool}: mã thoát {exit}{reason}' },
  'telemetry.because': { en: ' ({reason})', vi: ' ({reason})' },
  'telemetry.curlResolve': { en: 'host not resolved', vi: 'không phân giải được tên máy' },
  'telemetry.curlRefused': { en: 'connection refused', vi: 'kết nối bị từ chối' },
  'telemetry.curlTimeout': { en: 'no answer within 2 s', vi: 'không trả lời trong 2 s' },
  'telemetry.curlEmpty': { en: 'empty reply', vi: 'trả lời rỗng' },
  'telemetry.curlReset': { en: 'connection reset', vi: 'kết nối bị ngắt' },
  'telemetry.noCpuLine': { en: 'cpu: /proc/stat has no cpu line', vi: 'cpu: /proc/stat không có dòng cpu' },
  'telemetry.noMemTotal': {
    en: 'memory: /proc/meminfo has no MemTotal',
    vi: 'bộ nhớ: /proc/meminfo không có MemTotal',
  },
  'telemetry.dfUnusable': {
    en: 'disk: df printed nothing usable for {dir} ({output})',
    vi: 'ổ đĩa: df không in ra gì dùng được cho {dir} ({output})',
  },
  'telemetry.noOutput': { en: 'no output', vi: 'không có kết quả in ra' },
  'telemetry.notJson': {
    en: '{what}: /api/v1/telemetry/current did not answer JSON ({body})',
    vi: '{what}: /api/v1/telemetry/current không trả lời bằng JSON ({body})',
  },
  'telemetry.empty': { en: 'empty', vi: 'rỗng' },
  'telemetry.answered': {
    en: '{what}: /api/v1/telemetry/current answered {body}',
    vi: '{what}: /api/v1/telemetry/current trả lời {body}',
  },
  'telemetry.refused': {
    en: '{what}: /api/v1/telemetry/current refused: {detail}',
    vi: '{what}: /api/v1/telemetry/current từ chối: {detail}',
  },
  'telemetry.notNumeric': {
    en: '{what}: /api/v1/telemetry/current has no numeric {fields}',
    vi: '{what}: /api/v1/telemetry/current không có giá trị số cho {fields}',
  },
  'telemetry.oddState': {
    en: 'firmware: systemctl is-active {service} answered "{state}"',
    vi: 'firmware: systemctl is-active {service} trả lời "{state}"',
  },
  'telemetry.nothing': { en: 'nothing', vi: 'không gì cả' },
  'telemetry.samplingFailed': { en: 'sampling failed: {error}', vi: 'lấy mẫu thất bại: {error}' },
  'telemetry.connection': { en: 'connection: {problem}', vi: 'kết nối: {problem}' },
  'telemetry.reconnectingIn': {
    en: 'not connected; reconnecting in {seconds} s',
    vi: 'chưa kết nối; sẽ kết nối lại sau {seconds} s',
  },
  'telemetry.cannotReconnect': { en: 'cannot reconnect: {error}', vi: 'không kết nối lại được: {error}' },
  'telemetry.retryingIn': { en: '{reason}; retrying in {seconds} s', vi: '{reason}; thử lại sau {seconds} s' },
} as const satisfies Record<string, Template>;
