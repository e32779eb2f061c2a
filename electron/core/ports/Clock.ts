/** Time is injected so that tests can control it. */
export type Clock = {
  now(): number;
  nowIso(): string;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  nowIso: () => new Date().toISOString(),
};

/** A test clock that starts at startMs and moves stepMs on every reading, ISO or not. */
export function fixedClock(startMs: number, stepMs = 0): Clock {
  let t = startMs;
  const now = (): number => {
    const v = t;
    t += stepMs;
    return v;
  };
  return { now, nowIso: () => new Date(now()).toISOString() };
}
