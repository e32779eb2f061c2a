import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openHistoryDatabase, type Database } from '../../../electron/core/history/openDatabase';
import { HOUR_MS, TelemetryStore, type StoredSample } from '../../../electron/core/telemetry/TelemetryStore';

const DAY_MS = 24 * HOUR_MS;
const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);

function samples(unit: string, fromMs: number, count: number, stepMs: number): StoredSample[] {
  return Array.from({ length: count }, (_, i) => ({
    unit,
    sample: {
      at: fromMs + i * stepMs,
      metrics: { 'cpu.percent': i % 50, 'memory.percent': 40 + (i % 7), 'firmware.up': 1 },
    },
  }));
}

describe('telemetry in the fleet history', () => {
  let db: Database;
  let store: TelemetryStore;

  beforeEach(() => {
    db = openHistoryDatabase(':memory:');
    store = new TelemetryStore(db);
  });
  afterEach(() => db.close());

  it('reads back what it wrote, problems included, when the range fits', () => {
    store.append([
      { unit: 'oht-1', sample: { at: T0, metrics: { 'cpu.percent': 12.5 } } },
      { unit: 'oht-1', sample: { at: T0 + 2_000, metrics: {}, problems: ['backend API :8000: exit 7'] } },
      { unit: 'oht-2', sample: { at: T0 + 1_000, metrics: { 'cpu.percent': 99 } } },
    ]);
    expect(store.series('oht-1', T0, T0 + 10_000, 100)).toEqual([
      { at: T0, metrics: { 'cpu.percent': 12.5 } },
      { at: T0 + 2_000, metrics: {}, problems: ['backend API :8000: exit 7'] },
    ]);
  });

  it('keeps hourly min, max and average as samples are written, counting a repeated instant once', () => {
    store.append(samples('oht-1', T0, 1_800, 2_000)); // exactly one hour
    store.append([{ unit: 'oht-1', sample: { at: T0, metrics: { 'cpu.percent': 1_000 } } }]);
    const row = db
      .prepare(
        `SELECT min_value AS min, max_value AS max, sum_value / sample_count AS avg, sample_count AS n
         FROM telemetry_hourly WHERE unit = 'oht-1' AND hour_ms = ? AND metric = 'cpu.percent'`,
      )
      .get(T0);
    expect(row).toEqual({ min: 0, max: 49, avg: 24.5, n: 1_800 });
  });

  it('prunes raw samples after 7 days and rollups after 90, on hour boundaries', () => {
    const now = T0 + 100 * DAY_MS + 30 * 60_000;
    store.append(samples('oht-1', now - 95 * DAY_MS, 10, 60_000)); // past both limits
    store.append(samples('oht-1', now - 30 * DAY_MS, 10, 60_000)); // rollups only
    store.append(samples('oht-1', now - 2 * DAY_MS, 10, 60_000)); // raw and rollups
    store.append(samples('gone', now - 8 * DAY_MS, 3, 60_000)); // a removed unit ages out the same way

    expect(store.prune(now)).toEqual({ samples: 23, rollups: 3 });
    const count = (table: string): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('telemetry_samples')).toBe(10);
    expect(count('telemetry_hourly')).toBe(3 * 3); // an hour of three metrics: 30 and 2 days ago, and gone's
    expect(store.prune(now)).toEqual({ samples: 0, rollups: 0 });
  });

  it('answers a month with rollups where raw samples were pruned and raw samples where they are kept', () => {
    const now = T0 + 40 * DAY_MS;
    store.append(samples('oht-1', now - 20 * DAY_MS, 180, 20_000)); // one hour, 20 days ago
    store.append(samples('oht-1', now - 1 * DAY_MS, 180, 20_000)); // one hour, yesterday
    store.prune(now);

    const month = store.series('oht-1', now - 30 * DAY_MS, now, 200);
    const old = month.filter((s) => s.at < now - 10 * DAY_MS);
    const recent = month.filter((s) => s.at >= now - 10 * DAY_MS);
    // The pruned hour is drawn from its rollup: its min then its max, across the hour.
    expect(old.map((s) => s.metrics['cpu.percent'])).toEqual([0, 49]);
    expect(old[1]!.at - old[0]!.at).toBe(HOUR_MS - 1);
    expect(Math.max(...recent.map((s) => s.metrics['cpu.percent'] ?? -1))).toBe(49);
    expect(month.length).toBeLessThanOrEqual(200);
  });

  it('downsamples 100k samples (5.8 days at 5 s) to the asked points fast, spikes kept', () => {
    const count = 100_000;
    const rows = samples('oht-1', T0, count, 5_000);
    rows[54_321]!.sample.metrics['cpu.percent'] = 100;
    for (let i = 0; i < count; i += 10_000) {
      store.append(rows.slice(i, i + 10_000));
    }
    const started = performance.now();
    const week = store.series('oht-1', T0 - DAY_MS, T0 + 6 * DAY_MS, 1_000);
    const tookMs = performance.now() - started;
    expect(week.length).toBeLessThanOrEqual(1_000);
    expect(week.length).toBeGreaterThan(800);
    expect(Math.max(...week.map((s) => s.metrics['cpu.percent'] ?? 0))).toBe(100);
    expect(week.every((s, i) => i === 0 || s.at >= week[i - 1]!.at)).toBe(true);
    // Measured about 0.2 s on the 2-core CI machine; the bound leaves room without hiding a regression to seconds.
    expect(tookMs).toBeLessThan(2_000);
    console.info(`telemetry: 100k samples downsampled in ${Math.round(tookMs)} ms`);

    const started24h = performance.now();
    const day = store.series('oht-1', T0 + 2 * DAY_MS, T0 + 3 * DAY_MS, 500);
    expect(day.length).toBeLessThanOrEqual(500);
    expect(performance.now() - started24h).toBeLessThan(1_000);
  });
});
