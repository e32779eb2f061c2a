import { randomUUID } from 'node:crypto';

import { AppError } from '../../../shared/errors/AppError';
import type { TelemetrySample, TelemetrySeries } from '../../../shared/domain/telemetry';
import type { EventHub } from '../ports/EventHub';
import type { Database } from '../history/openDatabase';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { UnitConnector } from '../units/unitConnection';
import { SampleOutbox, type OutboxOptions } from './SampleOutbox';
import { DEFAULT_RETENTION, HOUR_MS, TelemetryStore, type RetentionPolicy, type StoredSample } from './TelemetryStore';
import { systemTimers, type TimerHandle, type Timers } from '../ports/Timers';
import { DEFAULT_BACKOFF, UnitSampler, type BackoffPolicy } from './UnitSampler';

export type TelemetryOptions = {
  retention?: RetentionPolicy;
  /** How often retention runs while anything is sampled (default hourly, and once at the first start). */
  pruneEveryMs?: number;
  /** Samples are written in batches: at most this long after they were taken (default 10 s)… */
  writeEveryMs?: number;
  /** …or as soon as this many wait (default 50). */
  writeBatchSize?: number;
  outbox?: OutboxOptions;
  backoff?: BackoffPolicy;
  /** Streams alive at once; starting one more ends the oldest (a page that vanished without stopping its own). */
  maxStreams?: number;
};

export type TelemetryDeps = {
  db: Database;
  history: HistoryRepository;
  connector: UnitConnector;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  options?: TelemetryOptions;
};

const DAY_MS = 24 * HOUR_MS;

type Stream = {
  id: string;
  unit: string;
  intervalMs: number;
  lastDeliveredAt: number;
  outbox: SampleOutbox;
};

/** Live sampling of a unit while a page (or `ohtw telemetry`) watches it, stored with a retention policy. */
export class TelemetryService {
  private readonly store: TelemetryStore;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly streams = new Map<string, Stream>();
  /** One sampler per unit; the promise settles once its first connection is made (or refused). */
  private readonly samplers = new Map<string, { sampler: UnitSampler; opened: Promise<void> }>();
  private unwritten: StoredSample[] = [];
  private writeTimer: TimerHandle | null = null;
  private pruneTimer: TimerHandle | null = null;
  private isClosed = false;

  constructor(private readonly deps: TelemetryDeps) {
    this.store = new TelemetryStore(deps.db);
    this.timers = deps.timers ?? systemTimers;
    this.logger = deps.logger.child({ subsystem: 'telemetry' });
  }

  private get options(): TelemetryOptions {
    return this.deps.options ?? {};
  }

  async start(unitName: string, intervalMs: number): Promise<{ streamId: string }> {
    this.assertOpen();
    const unit = this.deps.history.getUnit(unitName);
    if (!unit) {
      throw new AppError('NOT_FOUND', `unit ${unitName} not found (see: ohtw units list)`, {
        details: { unit: unitName },
      });
    }
    let entry = this.samplers.get(unitName);
    if (!entry) {
      const sampler = new UnitSampler(unit, intervalMs, {
        connector: this.deps.connector,
        loadUnit: () => this.deps.history.getUnit(unitName) ?? null,
        clock: this.deps.clock,
        timers: this.timers,
        logger: this.logger.child({ unit: unitName }),
        backoff: this.options.backoff ?? DEFAULT_BACKOFF,
        onSample: (sample) => this.onSample(unitName, sample),
      });
      const created = { sampler, opened: sampler.open() };
      entry = created;
      this.samplers.set(unitName, created);
      // The first start of a sampler owns its failure: forget it so that the next start tries afresh.
      created.opened.catch(() => {
        if (this.samplers.get(unitName) === created) {
          this.samplers.delete(unitName);
        }
      });
      this.startPruning();
    }
    await entry.opened;
    this.assertOpen();
    if (this.samplers.get(unitName) !== entry) {
      throw new AppError('CANCELLED', `${unitName}: telemetry was stopped while it started`);
    }

    const id = randomUUID();
    const outbox = new SampleOutbox(
      ({ samples, dropped }) =>
        this.deps.events.emit('telemetry.samples', { streamId: id, unit: unitName, samples, dropped }),
      this.deps.clock,
      this.timers,
      this.options.outbox,
    );
    this.streams.set(id, { id, unit: unitName, intervalMs, lastDeliveredAt: Number.NEGATIVE_INFINITY, outbox });
    this.retune(unitName);
    entry.sampler.sampleNow();
    await this.endExcessStreams();
    return { streamId: id };
  }

  async stop(streamId: string): Promise<{ stopped: boolean }> {
    const stream = this.streams.get(streamId);
    if (!stream) {
      return { stopped: false };
    }
    this.streams.delete(streamId);
    stream.outbox.close();
    const hasOthers = [...this.streams.values()].some((s) => s.unit === stream.unit);
    if (hasOthers) {
      this.retune(stream.unit);
    } else {
      await this.stopSampler(stream.unit);
    }
    return { stopped: true };
  }

  history(unit: string, fromMs: number | undefined, toMs: number | undefined, maxPoints: number): TelemetrySeries {
    const to = toMs ?? this.deps.clock.now();
    const from = fromMs ?? Math.max(0, to - DAY_MS);
    if (from > to) {
      throw new AppError('VALIDATION', `telemetry range starts after it ends (${from} > ${to})`, {
        details: { fromMs: from, toMs: to },
      });
    }
    this.writeNow();
    return { unit, fromMs: from, toMs: to, samples: this.store.series(unit, from, to, maxPoints) };
  }

  /** Runs retention now (also done periodically while sampling). */
  prune(): { samples: number; rollups: number } {
    this.writeNow();
    const removed = this.store.prune(this.deps.clock.now(), this.options.retention ?? DEFAULT_RETENTION);
    if (removed.samples > 0 || removed.rollups > 0) {
      this.logger.info('telemetry retention', removed);
    }
    return removed;
  }

  /** Streams alive now, for tests and `app` diagnostics. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Units with a sampler (and so a connection, or one being re-established). */
  get sampledUnits(): string[] {
    return [...this.samplers.keys()];
  }

  /** Ends every stream and its connection, and writes what is still unwritten (the core is closing). */
  async close(): Promise<void> {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    for (const stream of this.streams.values()) {
      stream.outbox.close();
    }
    this.streams.clear();
    const units = [...this.samplers.keys()];
    await Promise.all(units.map((unit) => this.stopSampler(unit)));
    this.stopPruning();
    this.writeNow();
  }

  private onSample(unit: string, sample: TelemetrySample): void {
    if (this.isClosed) {
      return;
    }
    if (Object.keys(sample.metrics).length > 0) {
      this.unwritten.push({ unit, sample });
      this.scheduleWrite();
    }
    for (const stream of this.streams.values()) {
      // The sampler runs at the fastest interval asked for; a slower stream gets every sample near its own pace.
      if (stream.unit === unit && sample.at - stream.lastDeliveredAt >= stream.intervalMs * 0.75) {
        stream.lastDeliveredAt = sample.at;
        stream.outbox.push(sample);
      }
    }
  }

  private retune(unit: string): void {
    const intervals = [...this.streams.values()].filter((s) => s.unit === unit).map((s) => s.intervalMs);
    const entry = this.samplers.get(unit);
    if (entry && intervals.length > 0) {
      entry.sampler.setIntervalMs(Math.min(...intervals));
    }
  }

  private async stopSampler(unit: string): Promise<void> {
    const entry = this.samplers.get(unit);
    if (!entry) {
      return;
    }
    this.samplers.delete(unit);
    await entry.sampler.stop();
    if (this.samplers.size === 0) {
      this.stopPruning();
      this.writeNow();
    }
  }

  private async endExcessStreams(): Promise<void> {
    const limit = this.options.maxStreams ?? 32;
    while (this.streams.size > limit) {
      const oldest = this.streams.keys().next().value;
      if (oldest === undefined) {
        return;
      }
      this.logger.warn('too many telemetry streams; ending the oldest', { streamId: oldest, limit });
      await this.stop(oldest);
    }
  }

  private scheduleWrite(): void {
    if (this.unwritten.length >= (this.options.writeBatchSize ?? 50)) {
      this.writeNow();
      return;
    }
    if (this.writeTimer === null) {
      this.writeTimer = this.timers.setTimeout(() => {
        this.writeTimer = null;
        this.writeNow();
      }, this.options.writeEveryMs ?? 10_000);
    }
  }

  private writeNow(): void {
    if (this.writeTimer !== null) {
      this.timers.clearTimeout(this.writeTimer);
      this.writeTimer = null;
    }
    if (this.unwritten.length === 0) {
      return;
    }
    const rows = this.unwritten;
    this.unwritten = [];
    try {
      this.store.append(rows);
    } catch (error) {
      // A busy or full disk must not stop the live view; these samples are lost to the history only.
      this.logger.warn('telemetry samples could not be written', { count: rows.length, error: String(error) });
    }
  }

  private startPruning(): void {
    if (this.pruneTimer !== null) {
      return;
    }
    this.safePrune();
    const every = this.options.pruneEveryMs ?? HOUR_MS;
    const tick = (): void => {
      this.pruneTimer = this.timers.setTimeout(() => {
        this.safePrune();
        tick();
      }, every);
    };
    tick();
  }

  private stopPruning(): void {
    if (this.pruneTimer !== null) {
      this.timers.clearTimeout(this.pruneTimer);
      this.pruneTimer = null;
    }
  }

  private safePrune(): void {
    try {
      this.prune();
    } catch (error) {
      this.logger.warn('telemetry retention failed', { error: String(error) });
    }
  }

  private assertOpen(): void {
    if (this.isClosed) {
      throw new AppError('CANCELLED', 'the workstation core is closing');
    }
  }
}
