/** Time is injected so that tests can control it. */
export type Clock = {
  now(): number;
  nowIso(): string;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  nowIso: () => new Date().toISOString(),
};

export function fixedClock(startMs: number, stepMs = 0): Clock {
  let t = startMs;
  return {
    now: () => {
      const v = t;
      t += stepMs;
      return v;
    },
    nowIso: () => new Date(t).toISOString(),
  };
}
