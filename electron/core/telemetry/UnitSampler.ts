import { isAppError } from '../../../shared/errors/AppError';
import type { Said } from '../../../shared/domain/said';
import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { Unit } from '../../../shared/domain/unit';
import { asMessage, say, sayIn } from '../../../shared/domain/words';
import type { CpuTimes } from '../diagnostics/parsers/procStat';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import { buildBatchScript, newNonce, parseBatchOutput } from '../transport/batch';
import type { Connection } from '../transport/transport';
import type { UnitConnector } from '../units/unitConnection';
import { problemFields, readSample, telemetryProbes } from './telemetryProbes';
import type { TimerHandle, Timers } from '../ports/Timers';

export type BackoffPolicy = { initialMs: number; maxMs: number };
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000 };

/** Headroom over the probes' own limits, for the connection itself. */
const BATCH_OVERHEAD_MS = 5_000;

export type SamplerDeps = {
  connector: UnitConnector;
  /** The unit as stored now: a profile learnt by a diagnosis meanwhile is used from the next sample on. */
  loadUnit: () => Unit | null;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  backoff: BackoffPolicy;
  onSample: (sample: TelemetrySample) => void;
};

/** Exponential, capped. No jitter: one workstation reconnects to one vehicle, there is no herd to spread. */
export function backoffDelayMs(policy: BackoffPolicy, failures: number): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Samples one unit over one SSH connection, shared by every stream watching that unit. A tick never overlaps
 * the previous sample (it is skipped instead); a lost connection becomes problems in the samples and a
 * reconnect with capped backoff, never a thrown error.
 */
export class UnitSampler {
  private connection: Connection | null = null;
  private intervalMs: number;
  private timer: TimerHandle | null = null;
  private inFlight: Promise<void> | null = null;
  private isStopped = false;
  private readonly abort = new AbortController();
  private previousCpu: CpuTimes | null = null;
  private failures = 0;
  private retryAtMs = 0;
  private lastUnit: Unit;
  /** Ticks that came while the previous sample was still running. */
  skippedTicks = 0;

  constructor(
    unit: Unit,
    intervalMs: number,
    private readonly deps: SamplerDeps,
  ) {
    this.lastUnit = unit;
    this.intervalMs = intervalMs;
  }

  get unitName(): string {
    return this.lastUnit.name;
  }

  get isConnected(): boolean {
    return this.connection !== null;
  }

  /** Connects (an unreachable unit rejects with its AppError) and starts ticking. */
  async open(): Promise<void> {
    const connection = await this.deps.connector.connect(this.lastUnit);
    if (this.isStopped) {
      await closeQuietly(connection);
      return;
    }
    this.connection = connection;
    this.scheduleNext();
  }

  /** Takes a sample now, unless one is running (a new watcher then gets that one): no wait for the next tick. */
  sampleNow(): void {
    this.runTick();
  }

  setIntervalMs(intervalMs: number): void {
    if (intervalMs === this.intervalMs) {
      return;
    }
    this.intervalMs = intervalMs;
    if (this.timer !== null) {
      this.deps.timers.clearTimeout(this.timer);
      this.timer = null;
      this.scheduleNext();
    }
  }

  /** Ends the ticks, cancels a running sample and closes the connection; waits for nothing on the vehicle. */
  async stop(): Promise<void> {
    if (this.isStopped) {
      return;
    }
    this.isStopped = true;
    if (this.timer !== null) {
      this.deps.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    this.abort.abort();
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      await closeQuietly(connection);
    }
  }

  private scheduleNext(): void {
    if (this.isStopped) {
      return;
    }
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      this.scheduleNext();
      this.runTick();
    }, this.intervalMs);
  }

  private runTick(): void {
    if (this.isStopped) {
      return;
    }
    if (this.inFlight) {
      this.skippedTicks += 1;
      return;
    }
    this.inFlight = this.sampleOnce()
      .catch((error: unknown) => {
        // sampleOnce handles every expected failure; anything else is a bug, logged and survived.
        this.deps.logger.error('telemetry sample failed unexpectedly', {
          unit: this.lastUnit.name,
          error: String(error),
        });
      })
      .finally(() => {
        this.inFlight = null;
      });
  }

  private async sampleOnce(): Promise<void> {
    const unit = this.deps.loadUnit() ?? this.lastUnit;
    this.lastUnit = unit;
    const connection = this.connection ?? (await this.reconnect(unit));
    if (!connection || this.isStopped) {
      return;
    }
    const probes = telemetryProbes(unit.profile);
    const nonce = newNonce();
    const budgetMs = probes.reduce((sum, p) => sum + (p.timeoutS ?? 5) * 1000, 0) + BATCH_OVERHEAD_MS;
    const sentAt = this.deps.clock.now();
    let stdout: string;
    try {
      const result = await connection.exec(buildBatchScript(probes, nonce), {
        timeoutMs: budgetMs,
        signal: this.abort.signal,
      });
      stdout = result.stdout;
    } catch (error) {
      if (this.isStopped) {
        return;
      }
      // Lost, or stuck: either way this connection is not trusted again. The next tick reconnects.
      if (this.connection === connection) {
        this.connection = null;
      }
      void closeQuietly(connection);
      this.failed(sentAt, say('telemetry.samplingFailed', { error: { raw: describe(error) } }));
      return;
    }
    if (this.isStopped) {
      return;
    }
    const receivedAt = this.deps.clock.now();
    const outputs = parseBatchOutput(
      stdout,
      nonce,
      probes.map((p) => p.key),
    );
    const reading = readSample(unit.profile, outputs, this.previousCpu);
    if (reading.cpu) {
      this.previousCpu = reading.cpu;
    }
    this.failures = 0;
    const metrics = { ...reading.metrics, 'sample.latencyMs': Math.max(0, receivedAt - sentAt) };
    this.deps.onSample(
      reading.problems.length > 0
        ? { at: sentAt, metrics, problems: reading.problems, problemWords: reading.problemWords }
        : { at: sentAt, metrics },
    );
  }

  /** A new connection once the backoff allows it; until then (or if it fails) a sample that says why there is none. */
  private async reconnect(unit: Unit): Promise<Connection | null> {
    const nowMs = this.deps.clock.now();
    if (nowMs < this.retryAtMs) {
      const seconds = Math.ceil((this.retryAtMs - nowMs) / 1000);
      this.emitProblem(nowMs, say('telemetry.reconnectingIn', { seconds }));
      return null;
    }
    try {
      const connection = await this.deps.connector.connect(unit);
      if (this.isStopped) {
        await closeQuietly(connection);
        return null;
      }
      this.deps.logger.info('telemetry reconnected', { unit: unit.name, after: this.failures });
      this.connection = connection;
      return connection;
    } catch (error) {
      if (!this.isStopped) {
        this.failed(nowMs, say('telemetry.cannotReconnect', { error: { raw: describe(error) } }));
      }
      return null;
    }
  }

  private failed(atMs: number, reason: Said): void {
    this.failures += 1;
    const delayMs = backoffDelayMs(this.deps.backoff, this.failures);
    this.retryAtMs = this.deps.clock.now() + delayMs;
    this.deps.logger.debug('telemetry connection problem', {
      unit: this.lastUnit.name,
      reason: sayIn(reason, 'en'),
      delayMs,
    });
    this.emitProblem(atMs, say('telemetry.retryingIn', { reason, seconds: Math.ceil(delayMs / 1000) }));
  }

  private emitProblem(atMs: number, problem: Said): void {
    this.deps.onSample({
      at: atMs,
      metrics: {},
      ...problemFields([asMessage(say('telemetry.connection', { problem }))]),
    });
  }
}

function describe(error: unknown): string {
  if (isAppError(error)) {
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

async function closeQuietly(connection: Connection): Promise<void> {
  try {
    await connection.close();
  } catch {
    // Closing a connection that is already gone has nothing left to report.
  }
}
