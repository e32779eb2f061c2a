import { useState, type KeyboardEvent } from 'react';

import type { ChartGestures } from './useChartGestures';
import { panByMs, shownSpan, viewportForKey, zoomBy, type TimeSpan } from './viewport';

/**
 * The zoom the charts of one window share, and what changes it: the mouse's gestures and the chart's keys.
 * Null is the whole window; a new window (another view) starts from it.
 */
export function useChartZoom(full: TimeSpan): {
  zoom: TimeSpan | null;
  setZoom: (next: TimeSpan | null) => void;
  shown: TimeSpan;
  gestures: ChartGestures;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
} {
  const [zoom, setZoom] = useState<TimeSpan | null>(null);
  // Each change from the state as it is by then: several wheel notches, drag moves or key repeats may come
  // before the next render.
  const gestures: ChartGestures = {
    zoomAt: (factor, anchorMs) => setZoom((was) => zoomBy(full, was, factor, anchorMs)),
    panByMs: (deltaMs) => setZoom((was) => panByMs(full, was, deltaMs)),
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const key = event.key;
    if (event.ctrlKey || event.metaKey || event.altKey || viewportForKey(key, full, zoom) === undefined) {
      return;
    }
    event.preventDefault();
    setZoom((was) => {
      const next = viewportForKey(key, full, was);
      return next === undefined ? was : next;
    });
  };
  return { zoom, setZoom, shown: shownSpan(full, zoom), gestures, onKeyDown };
}
