import { LOCALES, type Language } from './languages';

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * A moment as technicians read it beside a vehicle, the same in every language: local date and time, ISO-like
 * (2026-12-07 14:50), so that "07/12" is never read as July in one language and December in the other. The exact
 * instant stays in the ISO value (the <Time> element's title). Unparseable input is shown as is.
 */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return formatMoment(date.getTime());
}

/** Epoch milliseconds as local `YYYY-MM-DD HH:mm`, or with seconds (`…:ss`) where a second matters. */
export function formatMoment(ms: number, withSeconds = false): string {
  const d = new Date(ms);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}${withSeconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${day} ${clock}`;
}

export function formatSeconds(durationMs: number, language: Language): string {
  return (durationMs / 1000).toLocaleString(LOCALES[language], { maximumFractionDigits: 1 });
}
