/** A recorded session's length, as the console pages show it: `2 min 5 s`, `40 s`, or a dash when unknown. */
export function durationText(ms: number | null): string {
  if (ms === null) {
    return '—';
  }
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}
