import { useEffect, useState } from 'react';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { TimeSpan } from './viewport';

/** Reads the stored samples of a stretch of time, thinned to about a chart's width. */
export type LoadDetail = (span: TimeSpan) => Promise<readonly TelemetrySample[]>;

/** How long the zoom must rest before the finer samples are asked for: a wheel turn is many steps. */
const SETTLE_MS = 300;

/**
 * The samples to draw for what is shown: a history window is read thinned to its whole width, so once zoomed
 * in, the zoomed stretch is read again at its own, finer resolution. Until it comes (or if it cannot be read)
 * the window's samples are drawn, which are right, only coarser.
 */
export function useZoomDetail(
  samples: readonly TelemetrySample[],
  shown: TimeSpan,
  isZoomed: boolean,
  loadDetail: LoadDetail | undefined,
): readonly TelemetrySample[] {
  const [detail, setDetail] = useState<{ span: TimeSpan; samples: readonly TelemetrySample[] } | null>(null);
  const fromMs = Math.floor(shown.fromMs);
  const toMs = Math.ceil(shown.toMs);
  useEffect(() => {
    if (!isZoomed || !loadDetail) {
      return;
    }
    let isCurrent = true;
    const timer = setTimeout(() => {
      loadDetail({ fromMs, toMs }).then(
        (got) => {
          if (isCurrent) {
            setDetail({ span: { fromMs, toMs }, samples: got });
          }
        },
        // The coarser samples stay on screen: they are the same data, and the next zoom asks again.
        () => undefined,
      );
    }, SETTLE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [fromMs, toMs, isZoomed, loadDetail]);
  return isZoomed && detail && covers(detail.span, shown) ? detail.samples : samples;
}

export function covers(outer: TimeSpan, inner: TimeSpan): boolean {
  return outer.fromMs <= inner.fromMs && outer.toMs >= inner.toMs;
}
