import type { Clock } from '../../../electron/core/ports/Clock';
import type { TimerHandle, Timers } from '../../../electron/core/ports/Timers';

export type ManualTime = {
  clock: Clock;
  timers: Timers;
  /** Moves time on, firing due timers in order and letting promises and I/O callbacks run after each. */
  advance(ms: number): Promise<void>;
  /** Timers still set. */
  pending(): number;
};

export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A clock and timers that move only when the test says so. */
export function manualTime(startMs = 1_000_000): ManualTime {
  let now = startMs;
  let seq = 0;
  const due = new Map<number, { at: number; callback: () => void }>();
  return {
    clock: { now: () => now, nowIso: () => new Date(now).toISOString() },
    timers: {
      setTimeout(callback, delayMs): TimerHandle {
        seq += 1;
        due.set(seq, { at: now + Math.max(0, delayMs), callback });
        return { id: seq };
      },
      clearTimeout(handle) {
        due.delete(handle.id as number);
      },
    },
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (;;) {
        let next: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of due) {
          if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) {
            next = entry;
          }
        }
        if (!next) {
          break;
        }
        due.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].callback();
        await settle();
      }
      now = end;
    },
    pending: () => due.size,
  };
}
