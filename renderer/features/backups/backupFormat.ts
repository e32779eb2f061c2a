import { LOCALES, type Language } from '../../i18n/languages';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** A size as people read it (1 KB = 1024 B), with one decimal once it is past bytes. */
export function formatBytes(bytes: number, language: Language): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${value.toLocaleString(LOCALES[language], { maximumFractionDigits: digits })} ${UNITS[unit]}`;
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** How long ago: "5 minutes ago", "3 giờ trước"… in the page's language; "now" inside a minute. */
export function formatAge(iso: string, nowMs: number, language: Language): string {
  const thenMs = new Date(iso).getTime();
  if (Number.isNaN(thenMs)) {
    return iso;
  }
  let value = Math.max(0, (nowMs - thenMs) / 1000);
  const format = new Intl.RelativeTimeFormat(LOCALES[language], { numeric: 'auto' });
  for (const [unit, size] of STEPS) {
    if (value < size) {
      return format.format(-Math.floor(value), unit);
    }
    value /= size;
  }
  return format.format(-Math.floor(value), 'year');
}
