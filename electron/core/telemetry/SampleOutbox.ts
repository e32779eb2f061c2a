import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { Clock } from '../ports/Clock';
import type { TimerHandle, Timers } from '../ports/Timers';

export type OutboxOptions = {
  /** The shortest time between two batches (default 250 ms). */
  flushEveryMs?: number;
  /** The most samples waiting for the next batch; older ones are dropped and counted beyond it (default 200). */
  maxPending?: number;
};

export const DEFAULT_FLUSH_EVERY_MS = 250;
export const DEFAULT_MAX_PENDING = 200;

export type OutboxBatch = { samples: TelemetrySample[]; dropped: number };

/**
 * Coalesces one stream's samples into batches sent at most every flushEveryMs. It never holds more than
 * maxPending samples: when the event loop or the receiver falls behind, the oldest are dropped (a live view
 * wants the newest) and the next batch says how many.
 */
export class SampleOutbox {
  private pending: TelemetrySample[] = [];
  private dropped = 0;
  private timer: TimerHandle | null = null;
  private lastFlushMs = Number.NEGATIVE_INFINITY;
  private isClosed = false;
  private readonly flushEveryMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly send: (batch: OutboxBatch) => void,
    private readonly clock: Clock,
    private readonly timers: Timers,
    options: OutboxOptions = {},
  ) {
    this.flushEveryMs = options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS;
    this.maxPending = Math.max(1, options.maxPending ?? DEFAULT_MAX_PENDING);
  }

  push(sample: TelemetrySample): void {
    if (this.isClosed) {
      return;
    }
    if (this.pending.length >= this.maxPending) {
      const excess = this.pending.length - this.maxPending + 1;
      this.pending.splice(0, excess);
      this.dropped += excess;
    }
    this.pending.push(sample);
    if (this.timer === null) {
      const delayMs = Math.max(0, this.lastFlushMs + this.flushEveryMs - this.clock.now());
      this.timer = this.timers.setTimeout(() => this.flush(), delayMs);
    }
  }

  /** Samples waiting now (for tests and diagnostics). */
  get size(): number {
    return this.pending.length;
  }

  /** Discards what is pending; nothing is sent after this. */
  close(): void {
    this.isClosed = true;
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    this.pending = [];
  }

  private flush(): void {
    this.timer = null;
    if (this.isClosed || this.pending.length === 0) {
      return;
    }
    const batch = { samples: this.pending, dropped: this.dropped };
    this.pending = [];
    this.dropped = 0;
    this.lastFlushMs = this.clock.now();
    this.send(batch);
  }
}
