/** Timers are injected next to the Clock, so that sampling, coalescing and backoff run under fake time in tests. */
export type TimerHandle = { readonly id: unknown };

export type Timers = {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
};

export const systemTimers: Timers = {
  setTimeout: (callback, delayMs) => ({ id: setTimeout(callback, Math.max(0, delayMs)) }),
  clearTimeout: (handle) => clearTimeout(handle.id as ReturnType<typeof setTimeout>),
};
