import type { Clock } from '../../../electron/core/ports/Clock';
import type { TimerHandle, Timers } from '../../../electron/core/ports/Timers';

type Entry = { at: number; seq: number; callback: () => void };

export type FakeTime = {
  clock: Clock;
  timers: Timers;
  /** Moves time forward, running due timers in order and letting promises settle after each. */
  advance(ms: number): Promise<void>;
  /** Timers still scheduled (a test that ends with none left has leaked nothing). */
  pending(): number;
};

/** Lets microtasks and I/O callbacks queued by the code under test run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A clock and timers that move only when the test says so. */
export function fakeTime(startMs: number): FakeTime {
  let now = startMs;
  let seq = 0;
  const queue = new Map<number, Entry>();
  const timers: Timers = {
    setTimeout(callback, delayMs): TimerHandle {
      seq += 1;
      queue.set(seq, { at: now + Math.max(0, delayMs), seq, callback });
      return { id: seq };
    },
    clearTimeout(handle) {
      queue.delete(handle.id as number);
    },
  };
  const nextDue = (end: number): Entry | undefined => {
    let best: Entry | undefined;
    for (const entry of queue.values()) {
      if (entry.at <= end && (!best || entry.at < best.at || (entry.at === best.at && entry.seq < best.seq))) {
        best = entry;
      }
    }
    return best;
  };
  return {
    clock: { now: () => now, nowIso: () => new Date(now).toISOString() },
    timers,
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (let entry = nextDue(end); entry; entry = nextDue(end)) {
        queue.delete(entry.seq);
        now = Math.max(now, entry.at);
        entry.callback();
        await settle();
      }
      now = end;
    },
    pending: () => queue.size,
  };
}
