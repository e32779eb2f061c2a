import { describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { WorkstationApi } from '../../../shared/ipc/api';
import type { CallName, EventPayload } from '../../../shared/ipc/contract';
import { chartRows } from '../../../renderer/features/telemetry/chartPoints';
import { RingBuffer } from '../../../renderer/features/telemetry/RingBuffer';
import { createTelemetryStore, TREND_POINTS } from '../../../renderer/features/telemetry/telemetryStore';
import { settle } from './fakeTime';

describe('the renderer’s ring buffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    ring.push(1, 2);
    expect(ring.toArray()).toEqual([1, 2]);
    ring.push(3, 4, 5);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.last()).toBe(5);
    expect(ring.size).toBe(3);
    ring.push(...Array.from({ length: 1000 }, (_, i) => i));
    expect(ring.toArray()).toEqual([997, 998, 999]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('chart rows thinned to the chart’s width', () => {
  const series = (count: number, stepMs: number, value: (i: number) => number): TelemetrySample[] =>
    Array.from({ length: count }, (_, i) => ({
      at: i * stepMs,
      metrics: { 'cpu.percent': value(i), 'disk.percent': 40 },
    }));

  it('passes a short series through as it is', () => {
    const rows = chartRows(
      series(10, 1000, (i) => i),
      ['cpu.percent', 'memory.percent'],
      0,
      9_000,
      500,
    );
    expect(rows).toHaveLength(10);
    expect(rows[3]).toEqual({ at: 3000, values: [3, null] });
  });

  it('gives at most one point per pixel for a long series and keeps a single-sample spike', () => {
    const samples = series(100_000, 1000, (i) => (i === 61_234 ? 99 : 10 + (i % 5)));
    const rows = chartRows(samples, ['cpu.percent'], 0, 100_000_000, 600);
    expect(rows.length).toBeLessThanOrEqual(600);
    expect(Math.max(...rows.map((r) => r.values[0] ?? 0))).toBe(99);
    expect(Math.min(...rows.map((r) => r.values[0] ?? 100))).toBe(10);
  });

  it('breaks the line where the samples pause, and leaves out what is outside the window', () => {
    const samples = [
      ...series(5, 2000, () => 1),
      ...series(5, 2000, () => 2).map((s) => ({ ...s, at: s.at + 600_000 })),
    ];
    const rows = chartRows(samples, ['cpu.percent'], 2_000, 700_000, 800);
    expect(rows[0]?.at).toBe(2_000);
    const gap = rows.findIndex((r) => r.values[0] === null);
    expect(gap).toBe(4);
    expect(rows.filter((r) => r.values[0] === null)).toHaveLength(1);
  });
});

type Call = { name: CallName; input: unknown };
type Batch = EventPayload<'telemetry.samples'>;

/** A WorkstationApi whose telemetry calls the test answers by hand. */
function fakeApi() {
  const calls: Call[] = [];
  const handlers = new Set<(batch: Batch) => void>();
  let startAnswer: (value: { streamId: string }) => void = () => undefined;
  let startFail: (error: unknown) => void = () => undefined;
  const history: { resolve: (v: unknown) => void; input: unknown }[] = [];
  const api: WorkstationApi = {
    call: ((name: CallName, input: unknown): Promise<unknown> => {
      calls.push({ name, input });
      if (name === 'telemetry.start') {
        return new Promise<unknown>((resolve, reject) => {
          startAnswer = resolve;
          startFail = reject;
        });
      }
      if (name === 'telemetry.history') {
        return new Promise<unknown>((resolve) => history.push({ resolve, input }));
      }
      return Promise.resolve({ stopped: true });
    }) as WorkstationApi['call'],
    on: ((event: string, handler: (batch: Batch) => void) => {
      if (event !== 'telemetry.samples') {
        return () => undefined;
      }
      handlers.add(handler);
      return () => handlers.delete(handler);
    }) as WorkstationApi['on'],
  };
  return {
    api,
    calls,
    history,
    listeners: () => handlers.size,
    emit: (batch: Batch) => handlers.forEach((handler) => handler(batch)),
    started: async (streamId: string) => {
      startAnswer({ streamId });
      await settle();
    },
    refuse: async (error: unknown) => {
      startFail(error);
      await settle();
    },
  };
}

const sample = (at: number): TelemetrySample => ({ at, metrics: { 'cpu.percent': at } });

describe('the telemetry store of a unit page', () => {
  it('starts the stream on connect, keeps only its own samples, bounded, and stops it on leave', async () => {
    const fake = fakeApi();
    const store = createTelemetryStore(fake.api, 'oht-1', { capacity: 4 });
    const leave = store.getState().actions.connect();
    expect(fake.calls).toEqual([{ name: 'telemetry.start', input: { name: 'oht-1', intervalMs: 2000 } }]);
    expect(store.getState().status).toBe('starting');
    // A batch that overtook the answer to start is kept and shown once the stream id is known.
    fake.emit({ streamId: 's1', unit: 'oht-1', samples: [sample(1)], dropped: 0 });
    await fake.started('s1');
    expect(store.getState()).toMatchObject({ status: 'live', live: [sample(1)], latest: sample(1) });

    fake.emit({ streamId: 'other', unit: 'oht-1', samples: [sample(99)], dropped: 0 });
    fake.emit({ streamId: 's1', unit: 'oht-2', samples: [sample(98)], dropped: 0 });
    fake.emit({ streamId: 's1', unit: 'oht-1', samples: [2, 3, 4, 5, 6].map(sample), dropped: 3 });
    expect(store.getState().live).toEqual([3, 4, 5, 6].map(sample));
    expect(store.getState().dropped).toBe(3);

    leave();
    expect(fake.calls.at(-1)).toEqual({ name: 'telemetry.stop', input: { streamId: 's1' } });
    expect(fake.listeners()).toBe(0);
    expect(store.getState().status).toBe('idle');
  });

  it('stops a stream that comes up after the page was left', async () => {
    const fake = fakeApi();
    const store = createTelemetryStore(fake.api, 'oht-1');
    const leave = store.getState().actions.connect();
    leave();
    await fake.started('late');
    expect(fake.calls.map((c) => c.name)).toEqual(['telemetry.start', 'telemetry.stop']);
    expect(fake.calls[1]?.input).toEqual({ streamId: 'late' });
    expect(store.getState().status).toBe('idle');
  });

  it('shows why the stream could not start, and starts again on retry', async () => {
    const fake = fakeApi();
    const store = createTelemetryStore(fake.api, 'oht-1');
    const leave = store.getState().actions.connect();
    const refusal = new AppError('CONNECT_FAILED', 'oht-1: cannot connect');
    await fake.refuse(refusal);
    expect(store.getState()).toMatchObject({ status: 'failed', startError: refusal });
    store.getState().actions.retry();
    expect(fake.calls.filter((c) => c.name === 'telemetry.start')).toHaveLength(2);
    await fake.started('s2');
    expect(store.getState().status).toBe('live');
    expect(fake.listeners()).toBe(1);
    leave();
    expect(fake.calls.at(-1)).toEqual({ name: 'telemetry.stop', input: { streamId: 's2' } });
  });

  it('asks the history for the chosen range, and only the last request lands', async () => {
    const fake = fakeApi();
    const now = Date.UTC(2025, 0, 6, 12);
    const store = createTelemetryStore(fake.api, 'oht-1', { now: () => now });
    const week = store.getState().actions.setView('7d');
    const day = store.getState().actions.setView('24h');
    expect(fake.history.map((h) => h.input)).toEqual([
      { name: 'oht-1', fromMs: now - 7 * 24 * 3_600_000, toMs: now, maxPoints: TREND_POINTS },
      { name: 'oht-1', fromMs: now - 24 * 3_600_000, toMs: now, maxPoints: TREND_POINTS },
    ]);
    const series = (fromMs: number) => ({ unit: 'oht-1', fromMs, toMs: now, samples: [] });
    fake.history[1]?.resolve(series(1));
    fake.history[0]?.resolve(series(7));
    await Promise.all([week, day]);
    expect(store.getState()).toMatchObject({ view: '24h', trend: series(1), isTrendLoading: false });
  });
});
