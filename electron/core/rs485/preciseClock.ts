import { performance } from 'node:perf_hooks';

import type { Clock } from '../ports/Clock';

/**
 * Wall-clock milliseconds with sub-millisecond resolution: replies on a pty or a fast bus come back in well
 * under a millisecond, which Date.now() would round to 0 or 1.
 */
export const preciseClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  nowIso: () => new Date(performance.timeOrigin + performance.now()).toISOString(),
};
