import { LOCALES, type Language } from '../../i18n/languages';

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
