import { useEffect, useLayoutEffect, useRef, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';

import type { TimeSpan } from './viewport';

/** What the mouse asks of the charts' time axis; the charts share one, so both follow either. */
export type ChartGestures = {
  /** Zoom by a factor (above 1 closer) around a moment, as under the mouse wheel. */
  zoomAt: (factor: number, anchorMs: number) => void;
  /** Move in time by this much (negative: back). */
  panByMs: (deltaMs: number) => void;
};

/** One notch of the wheel zooms by this much. */
const WHEEL_ZOOM = 1.25;

/**
 * Wheel and drag on a chart: the wheel zooms around the time under the pointer, a drag pulls the time axis along
 * with the pointer. `plot` is where the plot area lies inside the element, in pixels from its left edge.
 */
export function useChartGestures(
  element: RefObject<HTMLDivElement | null>,
  shown: TimeSpan,
  plot: { left: number; width: number },
  gestures: ChartGestures | undefined,
): { onPointerDown: (event: ReactPointerEvent<HTMLDivElement>) => void } {
  // The listeners read the newest values without being attached again on each render.
  const latest = useRef({ shown, plot, gestures });
  useLayoutEffect(() => {
    latest.current = { shown, plot, gestures };
  });

  useEffect(() => {
    const target = element.current;
    if (!target) {
      return;
    }
    // Not through React's onWheel: its listener is passive, and the page must not scroll while the chart zooms.
    const onWheel = (event: WheelEvent): void => {
      const zoom = latest.current.gestures?.zoomAt;
      if (!zoom || event.deltaY === 0) {
        return;
      }
      event.preventDefault();
      const { shown: span, plot: area } = latest.current;
      const x = event.clientX - target.getBoundingClientRect().left - area.left;
      const share = Math.min(1, Math.max(0, x / area.width));
      zoom(event.deltaY < 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM, span.fromMs + share * (span.toMs - span.fromMs));
    };
    target.addEventListener('wheel', onWheel, { passive: false });
    return () => target.removeEventListener('wheel', onWheel);
  }, [element]);

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>): void => {
    if (!latest.current.gestures || event.button !== 0) {
      return;
    }
    const target = event.currentTarget;
    let lastX = event.clientX;
    target.setPointerCapture(event.pointerId);
    const onMove = (move: PointerEvent): void => {
      const { shown: span, plot: area, gestures: now } = latest.current;
      const deltaMs = -((move.clientX - lastX) / area.width) * (span.toMs - span.fromMs);
      lastX = move.clientX;
      if (deltaMs !== 0) {
        now?.panByMs(deltaMs);
      }
    };
    const onUp = (): void => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
      target.removeEventListener('pointercancel', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
    target.addEventListener('pointercancel', onUp);
  };

  return { onPointerDown };
}
