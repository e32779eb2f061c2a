import type { Template } from '../said';

/** Why an answer could not be judged, and what every area says when it cannot be judged at all. */
export const COMMON_WORDS = {
  'probe.noAnswer': { en: 'no answer from the vehicle', vi: 'xe không trả lời' },
  'probe.cutOff': { en: 'the answer was cut off', vi: 'câu trả lời bị cắt ngang' },
  'probe.timedOut': { en: 'the command timed out on the vehicle', vi: 'lệnh hết thời gian chờ trên xe' },
  'probe.timedOutAfter': {
    en: 'the command timed out on the vehicle after {seconds} s',
    vi: 'lệnh hết thời gian chờ trên xe sau {seconds} s',
  },
  'probe.toolMissing': {
    en: 'a tool is missing on the vehicle ({detail})',
    vi: 'xe thiếu một công cụ ({detail})',
  },
  'probe.didNotParse': { en: 'the answer did not parse', vi: 'không đọc được câu trả lời' },
  'probe.commandFailed': { en: '{tool} failed (exit {exit})', vi: '{tool} thất bại (mã thoát {exit})' },
  'sweep.moduleFailed': {
    en: '{module} could not be judged: {error}',
    vi: 'không đánh giá được {module}: {error}',
  },
  'sweep.unreachable': {
    en: 'not checked: the unit could not be reached',
    vi: 'chưa kiểm tra: không kết nối được tới xe',
  },
  'sweep.connectionFailed': { en: '{error}', vi: 'Không kết nối được tới xe: {error}' },
  'words.none': { en: 'none', vi: 'không có' },
  'words.unknown': { en: 'unknown', vi: 'không rõ' },
} as const satisfies Record<string, Template>;
