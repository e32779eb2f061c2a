import type { LineStats } from './modbusTypes';

/** LineStats plus what the RTU master can also tell apart. */
export type RtuLineStats = LineStats & {
  /** Replies that carried another slave's address while this one was asked. */
  wrongSlaveReplies: number;
  /** Replies of the wrong shape, and bursts of bytes that formed no frame. */
  badFrames: number;
  /** Requests read back from an echoing adapter. */
  echoes: number;
  /** Replies that came after their request's wait had ended (a slow module). */
  lateReplies: number;
};

export function emptyStats(): RtuLineStats {
  return {
    requests: 0,
    timeouts: 0,
    crcErrors: 0,
    exceptions: 0,
    latenciesMs: [],
    wrongSlaveReplies: 0,
    badFrames: 0,
    echoes: 0,
    lateReplies: 0,
  };
}

/** Each slave's line quality, with the newest `latencySamples` round trips. */
export class LineStatsBook {
  private readonly bySlave = new Map<number, RtuLineStats>();

  constructor(private readonly latencySamples: number) {}

  /** The live record of a slave, to count into. */
  of(slave: number): RtuLineStats {
    let stats = this.bySlave.get(slave);
    if (!stats) {
      stats = emptyStats();
      this.bySlave.set(slave, stats);
    }
    return stats;
  }

  /** A copy of a slave's stats. */
  copy(slave: number): RtuLineStats {
    const stats = this.bySlave.get(slave);
    return stats ? { ...stats, latenciesMs: [...stats.latenciesMs] } : emptyStats();
  }

  all(): Map<number, RtuLineStats> {
    return new Map([...this.bySlave.keys()].map((slave) => [slave, this.copy(slave)]));
  }

  reset(): void {
    this.bySlave.clear();
  }

  recordLatency(stats: RtuLineStats, latencyMs: number): void {
    stats.latenciesMs.push(Math.max(0, latencyMs));
    if (stats.latenciesMs.length > this.latencySamples) {
      stats.latenciesMs.splice(0, stats.latenciesMs.length - this.latencySamples);
    }
  }
}
