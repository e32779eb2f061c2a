import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import type { EventPayload } from '../../../shared/ipc/contract';
import { EventHub } from '../../../electron/core/ports/EventHub';
import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase, type Database } from '../../../electron/core/history/openDatabase';
import { TelemetryService, type TelemetryOptions } from '../../../electron/core/telemetry/TelemetryService';
import { createCapturingLogger, type CapturedRecord } from '../../support/fakes/captureLogger';
import { fakeTime, type FakeTime } from './fakeTime';
import { fakeConnector, type FakeConnector } from './fakeVehicleConnector';
import { testAudit } from '../../support/fakes/auditKeys';

const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);

function unit(name: string): Unit {
  return {
    name,
    host: '127.0.0.1',
    port: 22,
    user: 'oht',
    auth: { kind: 'key', keyPath: '/nonexistent' },
    profile: DEFAULT_VEHICLE_PROFILE,
    hostKey: null,
    createdAt: new Date(T0).toISOString(),
    lastLevel: null,
    lastRunAt: null,
  };
}

type Batch = EventPayload<'telemetry.samples'>;

describe('TelemetryService with a fake vehicle and fake time', () => {
  let db: Database;
  let history: HistoryRepository;
  let time: FakeTime;
  let connector: FakeConnector;
  let records: CapturedRecord[];
  let batches: Batch[];
  let service: TelemetryService;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  const build = (options: TelemetryOptions = {}): TelemetryService => {
    const captured = createCapturingLogger();
    records = captured.logger ? captured.records : [];
    const events = new EventHub(captured.logger);
    events.subscribe((event) => {
      if (event.name === 'telemetry.samples') {
        batches.push(event.payload as Batch);
      }
    });
    return new TelemetryService({
      db,
      history,
      connector,
      events,
      clock: time.clock,
      logger: captured.logger,
      timers: time.timers,
      options: { writeEveryMs: 5_000, ...options },
    });
  };
  const samplesOf = (streamId: string) => batches.filter((b) => b.streamId === streamId).flatMap((b) => b.samples);

  beforeEach(() => {
    process.on('unhandledRejection', onUnhandled);
    unhandled.length = 0;
    time = fakeTime(T0);
    db = openHistoryDatabase(':memory:');
    history = new HistoryRepository(db, time.clock, testAudit());
    history.addUnit(unit('oht-1'));
    history.addUnit(unit('oht-2'));
    connector = fakeConnector();
    batches = [];
    service = build();
  });

  afterEach(async () => {
    await service.close();
    expect(time.pending()).toBe(0);
    expect(connector.connections.every((c) => c.isClosed)).toBe(true);
    expect(unhandled).toEqual([]);
    expect(records.filter((r) => r.level === 'error')).toEqual([]);
    process.off('unhandledRejection', onUnhandled);
    db.close();
  });

  it('samples at the interval over one connection, batches the events and stores the samples', async () => {
    const { streamId } = await service.start('oht-1', 2_000);
    await time.advance(10_000);
    const samples = samplesOf(streamId);
    expect(samples.map((s) => s.at - T0)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000]);
    expect(samples[0]?.metrics['cpu.percent']).toBeUndefined();
    expect(samples[1]?.metrics).toMatchObject({
      'cpu.percent': 25,
      'memory.percent': 25,
      'disk.percent': 30,
      'backend.motor_speed': 1200,
      'backend.motor_temperature': 41.5,
      'firmware.up': 1,
      'sample.latencyMs': 0,
    });
    expect(connector.connections).toHaveLength(1);
    expect(batches.every((b) => b.unit === 'oht-1' && b.dropped === 0)).toBe(true);

    // Written in batches: nothing before the first write window, everything once history is asked for.
    const stored = service.history('oht-1', undefined, undefined, 500);
    expect(stored.fromMs).toBe(T0 + 10_000 - 24 * 3_600_000);
    expect(stored.samples.map((s) => s.at - T0)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000]);
  });

  it('shares one connection per unit, runs at the fastest interval asked, and closes it with the last stream', async () => {
    const slow = await service.start('oht-1', 5_000);
    const fast = await service.start('oht-1', 1_000);
    await time.advance(10_000);
    expect(connector.connections).toHaveLength(1);
    expect(samplesOf(fast.streamId).length).toBeGreaterThanOrEqual(10);
    const slowTimes = samplesOf(slow.streamId).map((s) => s.at - T0);
    expect(slowTimes.length).toBeGreaterThanOrEqual(2);
    expect(slowTimes.length).toBeLessThanOrEqual(4);

    expect(await service.stop(fast.streamId)).toEqual({ stopped: true });
    expect(connector.connections[0]?.isClosed).toBe(false);
    const execs = connector.execCount;
    await time.advance(10_000);
    expect(connector.execCount - execs).toBe(2);

    expect(await service.stop(slow.streamId)).toEqual({ stopped: true });
    expect(await service.stop(slow.streamId)).toEqual({ stopped: false });
    expect(connector.connections[0]?.isClosed).toBe(true);
    expect(service.sampledUnits).toEqual([]);
    expect(time.pending()).toBe(0);
  });

  it('never overlaps samples: a slow answer makes it skip ticks', async () => {
    let release: () => void = () => undefined;
    await service.start('oht-1', 1_000);
    await time.advance(0);
    const before = connector.execCount;
    connector.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await time.advance(5_000);
    expect(connector.execCount - before).toBe(1);
    connector.gate = null;
    release();
    await time.advance(1_000);
    expect(connector.execCount - before).toBe(2);
  });

  it('turns a lost connection into problems, reconnects with capped backoff and recovers', async () => {
    service = build({ backoff: { initialMs: 1_000, maxMs: 8_000 } });
    const { streamId } = await service.start('oht-1', 1_000);
    await time.advance(1_000);
    connector.refuse = new AppError('CONNECT_FAILED', 'oht-1: cannot connect to 127.0.0.1:22 (ECONNREFUSED)');
    connector.connections[0]?.drop();
    await time.advance(40_000);
    const during = samplesOf(streamId).filter((s) => s.problems?.some((p) => p.startsWith('connection:')));
    expect(during.length).toBeGreaterThan(10);
    expect(during[0]?.problems?.[0]).toMatch(/^connection: sampling failed: .*connection was lost.*; retrying in 1 s$/);
    expect(during.some((s) => /cannot reconnect: .*ECONNREFUSED.*retrying in 8 s/.test(s.problems?.[0] ?? ''))).toBe(
      true,
    );
    expect(during.every((s) => Object.keys(s.metrics).length === 0)).toBe(true);
    // Attempts back off 1, 2, 4, 8, 8… seconds: far fewer than one per tick.
    expect(connector.connections).toHaveLength(1);

    connector.refuse = null;
    await time.advance(10_000);
    expect(connector.connections).toHaveLength(2);
    const last = samplesOf(streamId).at(-1);
    expect(last?.problems).toBeUndefined();
    expect(last?.metrics['firmware.up']).toBe(1);
    // Only the samples with metrics are kept: the outage is a gap in the history, not rows of nothing.
    const stored = service.history('oht-1', T0, time.clock.now(), 5_000).samples;
    expect(stored.every((s) => Object.keys(s.metrics).length > 0)).toBe(true);
  });

  it('rejects start for an unreachable unit with its reason and keeps nothing running', async () => {
    connector.refuse = new AppError('HOST_KEY_UNKNOWN', 'oht-2: the host key is not trusted yet');
    await expect(service.start('oht-2', 1_000)).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    expect(service.sampledUnits).toEqual([]);
    expect(service.streamCount).toBe(0);
    await expect(service.start('nope', 1_000)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    connector.refuse = null;
    const { streamId } = await service.start('oht-2', 1_000);
    expect(streamId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ends every stream, connection and timer when the core closes, and writes what was unwritten', async () => {
    await service.start('oht-1', 1_000);
    await service.start('oht-2', 1_000);
    await time.advance(3_000);
    expect(connector.connections).toHaveLength(2);
    await service.close();
    expect(connector.connections.every((c) => c.isClosed)).toBe(true);
    expect(time.pending()).toBe(0);
    const rows = db.prepare('SELECT unit, count(*) AS n FROM telemetry_samples GROUP BY unit').all();
    expect(rows).toEqual([
      { unit: 'oht-1', n: 4 },
      { unit: 'oht-2', n: 4 },
    ]);
    await expect(service.start('oht-1', 1_000)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('stops a stream whose start raced with close without leaking its connection', async () => {
    let release: () => void = () => undefined;
    const slowConnect = new Promise<void>((resolve) => {
      release = resolve;
    });
    const connect = connector.connect.bind(connector);
    connector.connect = async (u) => {
      await slowConnect;
      return connect(u);
    };
    const starting = service.start('oht-1', 1_000);
    const closing = service.close();
    release();
    await expect(starting).rejects.toMatchObject({ code: 'CANCELLED' });
    await closing;
    await time.advance(5_000);
    expect(connector.connections.every((c) => c.isClosed)).toBe(true);
  });

  it('bounds the number of streams: one more ends the oldest', async () => {
    service = build({ maxStreams: 2 });
    const first = await service.start('oht-1', 1_000);
    await service.start('oht-1', 1_000);
    await service.start('oht-2', 1_000);
    expect(service.streamCount).toBe(2);
    expect(await service.stop(first.streamId)).toEqual({ stopped: false });
    expect(records.some((r) => r.message.includes('too many telemetry streams'))).toBe(true);
  });

  it('prunes on the first start and then periodically', async () => {
    service = build({ pruneEveryMs: 60_000, retention: { rawMs: 3_600_000, rollupMs: 2 * 3_600_000 } });
    db.prepare(
      "INSERT INTO telemetry_samples (unit, at, metrics_json) VALUES ('oht-1', ?, '{\"x\":1}'), ('oht-1', ?, '{\"x\":2}')",
    ).run(T0 - 3 * 3_600_000, T0 + 30 * 60_000);
    db.prepare("INSERT INTO telemetry_hourly VALUES ('oht-1', ?, 'x', 1, 1, 1, 1), ('oht-1', ?, 'x', 2, 2, 2, 1)").run(
      T0 - 3 * 3_600_000,
      T0,
    );
    await service.start('oht-1', 10_000);
    const count = (table: string): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE unit = 'oht-1'`).get() as { n: number }).n;
    expect(count('telemetry_samples')).toBe(1);
    expect(count('telemetry_hourly')).toBe(1);
    await time.advance(2 * 3_600_000);
    // Two hours later the sample from T0 + 30 min is past the 1-hour raw limit.
    expect(
      db.prepare("SELECT count(*) AS n FROM telemetry_samples WHERE unit = 'oht-1' AND at < ?").get(T0 + 3_600_000),
    ).toEqual({ n: 0 });
  });
});
