import { formatMoment } from '../../i18n/format';

const HOUR_MS = 3_600_000;

const TICK_STEPS_MS = [
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1_800,
  3_600,
  3 * 3_600,
  6 * 3_600,
  12 * 3_600,
  24 * 3_600,
].map((seconds) => seconds * 1000);

/** Where the time axis has its ticks and how long apart they are. */
export type TimeTicks = { ticks: number[]; stepMs: number };

/**
 * Ticks a technician reads at a glance: round times (every 10 s, every 3 hours, each local midnight…), the
 * step chosen so that about six fit.
 */
export function timeTicks(fromMs: number, toMs: number): TimeTicks {
  const span = Math.max(1, toMs - fromMs);
  const stepMs = TICK_STEPS_MS.find((candidate) => span / candidate <= 7) ?? 24 * HOUR_MS;
  const ticks: number[] = [];
  if (stepMs < HOUR_MS) {
    for (let at = Math.ceil(fromMs / stepMs) * stepMs; at <= toMs; at += stepMs) {
      ticks.push(at);
    }
    return { ticks, stepMs };
  }
  // Whole hours and days are counted on the local clock, where midnight is.
  const stepHours = stepMs / HOUR_MS;
  const at = new Date(fromMs);
  at.setMinutes(0, 0, 0);
  at.setHours(Math.ceil(at.getHours() / stepHours) * stepHours);
  for (; at.getTime() <= toMs; at.setHours(at.getHours() + stepHours)) {
    if (at.getTime() >= fromMs) {
      ticks.push(at.getTime());
    }
  }
  return { ticks, stepMs };
}

/**
 * How the ticks and the tooltip word a time: by the tick step, so that a week zoomed in to an hour shows
 * minutes, and a span of several days names the day of each tick. The tooltip is the ISO-like local moment.
 */
export function timeFormats(
  locale: string,
  fromMs: number,
  toMs: number,
  stepMs: number,
): { tick: (ms: number) => string; full: (ms: number) => string } {
  const isSeveralDays = toMs - fromMs > 36 * HOUR_MS;
  const tick =
    stepMs >= 24 * HOUR_MS
      ? new Intl.DateTimeFormat(locale, { weekday: 'short', day: '2-digit', month: '2-digit' })
      : isSeveralDays
        ? new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' })
        : stepMs >= 60_000
          ? new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })
          : new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return { tick: (ms) => tick.format(ms), full: (ms) => formatMoment(ms, true) };
}
