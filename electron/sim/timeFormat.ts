/**
 * Time as a vehicle prints it. The simulated vehicles run in UTC, so every format here is UTC and `%Z` is
 * always "UTC"; that is also what the workstation's parsers see on real units set up by the deploy scripts.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const two = (n: number): string => String(n).padStart(2, '0');

/** The subset of strftime(3) that `date +FORMAT` is used with; unknown conversions are printed as written. */
export function strftimeUtc(ms: number, format: string): string {
  const d = new Date(ms);
  const day = DAYS[d.getUTCDay()] ?? '';
  const month = MONTHS[d.getUTCMonth()] ?? '';
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  const hour12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const conversions: Record<string, () => string> = {
    a: () => day.slice(0, 3),
    A: () => day,
    b: () => month.slice(0, 3),
    h: () => month.slice(0, 3),
    B: () => month,
    d: () => two(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2, ' '),
    H: () => two(d.getUTCHours()),
    I: () => two(hour12),
    M: () => two(d.getUTCMinutes()),
    S: () => two(d.getUTCSeconds()),
    s: () => String(Math.floor(ms / 1000)),
    N: () => String((((ms % 1000) + 1000) % 1000) * 1_000_000).padStart(9, '0'),
    y: () => two(d.getUTCFullYear() % 100),
    Y: () => String(d.getUTCFullYear()),
    m: () => two(d.getUTCMonth() + 1),
    j: () => String(Math.floor((ms - startOfYear) / 86_400_000) + 1).padStart(3, '0'),
    u: () => String(d.getUTCDay() === 0 ? 7 : d.getUTCDay()),
    w: () => String(d.getUTCDay()),
    p: () => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
    Z: () => 'UTC',
    z: () => '+0000',
    T: () => strftimeUtc(ms, '%H:%M:%S'),
    F: () => strftimeUtc(ms, '%Y-%m-%d'),
    D: () => strftimeUtc(ms, '%m/%d/%y'),
    R: () => strftimeUtc(ms, '%H:%M'),
    c: () => strftimeUtc(ms, '%a %b %e %H:%M:%S %Y'),
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  return format.replace(/%(.)/gs, (whole, c: string) => conversions[c]?.() ?? whole);
}

/** How systemd prints a timestamp property: `Sat 2026-11-28 15:49:15 UTC`. */
export function systemdTimestamp(ms: number): string {
  return strftimeUtc(ms, '%a %Y-%m-%d %H:%M:%S UTC');
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 2_629_800 * SECOND;
const YEAR = 31_557_600 * SECOND;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** systemd's "2h 3min ago", with the same unit thresholds as its format_timestamp_relative. */
export function systemdRelative(ms: number, nowMs: number): string {
  const d = nowMs - ms;
  if (d <= 0) {
    return 'now';
  }
  const q = (unit: number): number => Math.floor(d / unit);
  const r = (unit: number, sub: number): number => Math.floor((d % unit) / sub);
  if (d >= YEAR) {
    return `${plural(q(YEAR), 'year')} ${plural(r(YEAR, MONTH), 'month')} ago`;
  }
  if (d >= MONTH) {
    return `${plural(q(MONTH), 'month')} ${plural(r(MONTH, DAY), 'day')} ago`;
  }
  if (d >= WEEK) {
    return `${plural(q(WEEK), 'week')} ${plural(r(WEEK, DAY), 'day')} ago`;
  }
  if (d >= 2 * DAY) {
    return `${q(DAY)} days ago`;
  }
  if (d >= 25 * HOUR) {
    return `1 day ${r(DAY, HOUR)}h ago`;
  }
  if (d >= 6 * HOUR) {
    return `${q(HOUR)}h ago`;
  }
  if (d >= HOUR) {
    return `${q(HOUR)}h ${r(HOUR, MINUTE)}min ago`;
  }
  if (d >= 5 * MINUTE) {
    return `${q(MINUTE)}min ago`;
  }
  if (d >= MINUTE) {
    return `${q(MINUTE)}min ${r(MINUTE, SECOND)}s ago`;
  }
  if (d >= SECOND) {
    return `${q(SECOND)}s ago`;
  }
  return `${d}ms ago`;
}
