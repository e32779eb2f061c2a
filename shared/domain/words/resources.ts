import type { Template } from '../said';

/** resources.cpu, resources.memory and resources.disk. */
export const RESOURCES_WORDS = {
  'resources.above': { en: ': above the {at}{unit} {name}', vi: ': vượt {name} {at}{unit}' },
  'resources.at': { en: ': at the {at}{unit} {name}', vi: ': chạm {name} {at}{unit}' },
  'resources.critical': { en: 'critical level', vi: 'mức nghiêm trọng' },
  'resources.warning': { en: 'warning', vi: 'mức cảnh báo' },
  'resources.gib': { en: '{n:1} GiB', vi: '{n:1} GiB' },
  'resources.mib': { en: '{n} MiB', vi: '{n} MiB' },
  'resources.kib': { en: '{n} KiB', vi: '{n} KiB' },
  'cpu.unreadable': { en: 'CPU load could not be read: {reason}', vi: 'không đọc được tải CPU: {reason}' },
  'cpu.noTwoReadings': {
    en: '/proc/stat did not give two readings ({line})',
    vi: '/proc/stat không cho đủ hai lần đọc ({line})',
  },
  'cpu.emptyAnswer': { en: 'empty answer', vi: 'câu trả lời rỗng' },
  'cpu.counters': {
    en: 'the CPU counters did not advance between the two readings',
    vi: 'bộ đếm CPU không tăng giữa hai lần đọc',
  },
  'cpu.load': {
    en: '; load average {one:2} {five:2} {fifteen:2}',
    vi: '; tải trung bình {one:2} {five:2} {fifteen:2}',
  },
  'cpu.busy': { en: 'CPU {percent} % busy{limit}{load}', vi: 'CPU bận {percent} %{limit}{load}' },
  'memory.unreadable': { en: 'memory use could not be read: {reason}', vi: 'không đọc được mức dùng bộ nhớ: {reason}' },
  'memory.noTotal': { en: 'no MemTotal in the answer ({line})', vi: 'câu trả lời không có MemTotal ({line})' },
  'memory.used': {
    en: 'memory {percent} % used{limit}; {available} of {total} available',
    vi: 'bộ nhớ đã dùng {percent} %{limit}; còn trống {available} trên {total}',
  },
  'disk.unreadable': { en: 'disk use could not be read: {reason}', vi: 'không đọc được mức dùng ổ đĩa: {reason}' },
  'disk.dfNothing': { en: 'df printed nothing', vi: 'df không in ra gì' },
  'disk.mount': {
    en: 'disk {percent} % on {mount} ({device}){limit}',
    vi: 'ổ đĩa {percent} % tại {mount} ({device}){limit}',
  },
  'disk.mountFull': {
    en: '{use}; {free} free of {size}{holds}',
    vi: '{use}; trống {free} trên {size}{holds}',
  },
  'disk.holds': { en: '; holds {paths}', vi: '; chứa {paths}' },
  'disk.allOk': { en: '{mounts}; {logs}', vi: '{mounts}; {logs}' },
  'logsSize.unreadable': {
    en: 'size of {dir} could not be read: {reason}',
    vi: 'không đọc được dung lượng {dir}: {reason}',
  },
  'logsSize.duNothing': { en: 'du printed nothing', vi: 'du không in ra gì' },
  'logsSize.none': {
    en: '{dir} does not exist: no log files to measure',
    vi: '{dir} không tồn tại: không có tệp nhật ký để đo',
  },
  'logsSize.partial': {
    en: ' (at least: some of it could not be read)',
    vi: ' (ít nhất: một phần không đọc được)',
  },
  'logsSize.holds': { en: '{dir} holds {size}{partial}{limit}', vi: '{dir} chiếm {size}{partial}{limit}' },
} as const satisfies Record<string, Template>;
