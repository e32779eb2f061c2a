/** A stretch of time on the charts' axis, in epoch milliseconds. */
export type TimeSpan = { fromMs: number; toMs: number };

/** How far one press of + or - zooms, and one arrow press pans (a share of what is on screen). */
export const ZOOM_STEP = 2;
export const PAN_STEP = 0.2;
/** The closest zoom: ten seconds, or a five-hundredth of the whole window, whichever is longer. */
const MIN_SPAN_MS = 10_000;

export function minSpanMs(full: TimeSpan): number {
  return Math.min(full.toMs - full.fromMs, Math.max(MIN_SPAN_MS, (full.toMs - full.fromMs) / 500));
}

/**
 * The part of the window shown: the zoomed stretch kept inside the window (a live window moves on under it),
 * or the whole window when nothing is zoomed. A zoom no longer narrower than the window is no zoom.
 */
export function shownSpan(full: TimeSpan, zoom: TimeSpan | null): TimeSpan {
  if (!zoom) {
    return full;
  }
  const span = Math.max(minSpanMs(full), zoom.toMs - zoom.fromMs);
  if (span >= full.toMs - full.fromMs) {
    return full;
  }
  const fromMs = Math.min(Math.max(zoom.fromMs, full.fromMs), full.toMs - span);
  return { fromMs, toMs: fromMs + span };
}

/**
 * Zooms by `factor` (above 1 closer, below 1 farther) keeping the time under `anchorMs` where it is on screen,
 * as a map does under the mouse wheel. Null when the result is the whole window again.
 */
export function zoomBy(full: TimeSpan, zoom: TimeSpan | null, factor: number, anchorMs?: number): TimeSpan | null {
  const shown = shownSpan(full, zoom);
  const span = shown.toMs - shown.fromMs;
  const anchor = Math.min(Math.max(anchorMs ?? (shown.fromMs + shown.toMs) / 2, shown.fromMs), shown.toMs);
  const share = span > 0 ? (anchor - shown.fromMs) / span : 0.5;
  const nextSpan = Math.max(minSpanMs(full), span / factor);
  if (nextSpan >= full.toMs - full.fromMs) {
    return null;
  }
  const fromMs = anchor - share * nextSpan;
  return shownSpan(full, { fromMs, toMs: fromMs + nextSpan });
}

/** Moves what is shown by `share` of its own width (negative: back in time), never out of the window. */
export function panBy(full: TimeSpan, zoom: TimeSpan | null, share: number): TimeSpan | null {
  const shown = shownSpan(full, zoom);
  return panByMs(full, zoom, share * (shown.toMs - shown.fromMs));
}

export function panByMs(full: TimeSpan, zoom: TimeSpan | null, deltaMs: number): TimeSpan | null {
  if (!zoom) {
    return null;
  }
  const shown = shownSpan(full, zoom);
  return shownSpan(full, { fromMs: shown.fromMs + deltaMs, toMs: shown.toMs + deltaMs });
}

/** What a key does to the charts' time axis; undefined for keys the charts leave to the page. */
export function viewportForKey(key: string, full: TimeSpan, zoom: TimeSpan | null): TimeSpan | null | undefined {
  switch (key) {
    case '+':
    case '=':
      return zoomBy(full, zoom, ZOOM_STEP);
    case '-':
    case '_':
      return zoomBy(full, zoom, 1 / ZOOM_STEP);
    case 'ArrowLeft':
      return panBy(full, zoom, -PAN_STEP);
    case 'ArrowRight':
      return panBy(full, zoom, PAN_STEP);
    case '0':
    case 'Home':
      return null;
    default:
      return undefined;
  }
}
