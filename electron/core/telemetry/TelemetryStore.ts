import type { Said } from '../../../shared/domain/said';
import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { Database } from '../history/openDatabase';
import { MinMaxBuckets } from './downsample';

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Raw samples answer "what happened this week" at full resolution; hourly rollups answer "how has it gone this
 * quarter" at a few hundred rows per unit. Both limits are whole hours, so an hour is either raw or rolled up.
 */
export type RetentionPolicy = { rawMs: number; rollupMs: number };
export const DEFAULT_RETENTION: RetentionPolicy = { rawMs: 7 * DAY_MS, rollupMs: 90 * DAY_MS };

export type StoredSample = { unit: string; sample: TelemetrySample };

type Rollup = { min: number; max: number; sum: number; count: number };

const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** Telemetry in the fleet history: batched appends, retention, and downsampled ranges. */
export class TelemetryStore {
  private readonly insertSample;
  private readonly upsertRollup;
  private readonly oldestRaw;
  private readonly countRaw;
  private readonly selectRaw;
  private readonly selectRollups;
  private readonly rollupUnits;
  private readonly deleteRaw;
  private readonly deleteRollups;
  private readonly appendAll;

  constructor(private readonly db: Database) {
    this.insertSample = db.prepare<[string, number, string, string | null]>(
      'INSERT OR IGNORE INTO telemetry_samples (unit, at, metrics_json, problems_json) VALUES (?, ?, ?, ?)',
    );
    this.upsertRollup = db.prepare<[string, number, string, number, number, number, number]>(
      `INSERT INTO telemetry_hourly (unit, hour_ms, metric, min_value, max_value, sum_value, sample_count)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (unit, hour_ms, metric) DO UPDATE SET
         min_value = min(min_value, excluded.min_value),
         max_value = max(max_value, excluded.max_value),
         sum_value = sum_value + excluded.sum_value,
         sample_count = sample_count + excluded.sample_count`,
    );
    this.oldestRaw = db.prepare<[string, number, number], { at: number | null }>(
      'SELECT min(at) AS at FROM telemetry_samples WHERE unit = ? AND at >= ? AND at <= ?',
    );
    this.countRaw = db.prepare<[string, number, number], { n: number }>(
      'SELECT count(*) AS n FROM telemetry_samples WHERE unit = ? AND at >= ? AND at <= ?',
    );
    this.selectRaw = db.prepare<[string, number, number], [number, string, string | null]>(
      'SELECT at, metrics_json, problems_json FROM telemetry_samples WHERE unit = ? AND at >= ? AND at <= ? ORDER BY at',
    );
    // Rows as arrays: a week of samples is read without building an object per row first.
    this.selectRaw.raw(true);
    this.selectRollups = db.prepare<
      [string, number, number],
      { hour_ms: number; metric: string; min_value: number; max_value: number }
    >(
      `SELECT hour_ms, metric, min_value, max_value FROM telemetry_hourly
       WHERE unit = ? AND hour_ms > ? AND hour_ms < ? ORDER BY hour_ms`,
    );
    this.rollupUnits = db.prepare<[], { unit: string }>('SELECT DISTINCT unit FROM telemetry_hourly');
    this.deleteRaw = db.prepare<[string, number]>('DELETE FROM telemetry_samples WHERE unit = ? AND at < ?');
    this.deleteRollups = db.prepare<[string, number]>('DELETE FROM telemetry_hourly WHERE unit = ? AND hour_ms < ?');
    this.appendAll = db.transaction((rows: readonly StoredSample[]) => this.appendRows(rows));
  }

  /** Writes samples in one transaction and folds the new ones into their hourly rollups. */
  append(rows: readonly StoredSample[]): void {
    if (rows.length > 0) {
      this.appendAll.immediate(rows);
    }
  }

  /** Deletes raw samples and rollups older than the policy keeps them; returns how many rows went. */
  prune(nowMs: number, policy: RetentionPolicy = DEFAULT_RETENTION): { samples: number; rollups: number } {
    const rawCutoff = floorHour(nowMs - policy.rawMs);
    const rollupCutoff = floorHour(nowMs - policy.rollupMs);
    return this.db.transaction(() => {
      let samples = 0;
      let rollups = 0;
      // Every stored sample has rollups, and rollups outlive samples: their units are all units with data.
      for (const { unit } of this.rollupUnits.all()) {
        samples += this.deleteRaw.run(unit, rawCutoff).changes;
        rollups += this.deleteRollups.run(unit, rollupCutoff).changes;
      }
      return { samples, rollups };
    })();
  }

  /**
   * A unit's telemetry between fromMs and toMs (inclusive), at most maxPoints samples. Raw samples are used
   * where they are still kept, hourly rollups before that. Returned as stored when they fit, else min/max
   * decimated into maxPoints / 2 time buckets.
   */
  series(unit: string, fromMs: number, toMs: number, maxPoints: number): TelemetrySample[] {
    const oldest = this.oldestRaw.get(unit, fromMs, toMs)?.at ?? null;
    // Hours before the first raw sample come from the rollups; raw retention ends on an hour boundary.
    const rollupEnd = oldest === null ? toMs + 1 : floorHour(oldest);
    const rollups = rollupEnd > fromMs ? this.selectRollups.all(unit, fromMs - HOUR_MS, rollupEnd) : [];
    const rawCount = oldest === null ? 0 : (this.countRaw.get(unit, fromMs, toMs)?.n ?? 0);

    if (rollups.length === 0 && rawCount <= maxPoints) {
      return this.selectRaw.all(unit, fromMs, toMs).map(toSample);
    }
    const buckets = new MinMaxBuckets(fromMs, toMs, maxPoints);
    for (const r of rollups) {
      buckets.addRange(r.hour_ms, r.hour_ms + HOUR_MS - 1, r.metric, r.min_value, r.max_value);
    }
    if (rawCount > 0) {
      for (const [at, metricsJson] of this.selectRaw.iterate(unit, fromMs, toMs)) {
        buckets.add(at, JSON.parse(metricsJson) as Record<string, number>);
      }
    }
    return buckets.samples();
  }

  private appendRows(rows: readonly StoredSample[]): void {
    const rollups = new Map<string, { unit: string; hourMs: number; metric: string; r: Rollup }>();
    for (const { unit, sample } of rows) {
      const problems = sample.problems && sample.problems.length > 0 ? JSON.stringify(storedProblems(sample)) : null;
      const inserted = this.insertSample.run(unit, sample.at, JSON.stringify(sample.metrics), problems).changes > 0;
      if (!inserted) {
        continue; // The same instant twice (two workstations on one file): counted once.
      }
      const hourMs = floorHour(sample.at);
      for (const [metric, value] of Object.entries(sample.metrics)) {
        const key = `${unit}\u0000${hourMs}\u0000${metric}`;
        const entry = rollups.get(key);
        if (entry) {
          entry.r.min = Math.min(entry.r.min, value);
          entry.r.max = Math.max(entry.r.max, value);
          entry.r.sum += value;
          entry.r.count += 1;
        } else {
          rollups.set(key, { unit, hourMs, metric, r: { min: value, max: value, sum: value, count: 1 } });
        }
      }
    }
    for (const { unit, hourMs, metric, r } of rollups.values()) {
      this.upsertRollup.run(unit, hourMs, metric, r.min, r.max, r.sum, r.count);
    }
  }
}

function toSample([at, metricsJson, problemsJson]: [number, string, string | null]): TelemetrySample {
  const sample: TelemetrySample = { at, metrics: JSON.parse(metricsJson) as Record<string, number> };
  if (problemsJson !== null) {
    const stored = JSON.parse(problemsJson) as StoredProblem[];
    sample.problems = stored.map((p) => (typeof p === 'string' ? p : p.message));
    // Samples stored before problems had words hold plain strings: those keep their English only.
    if (stored.every((p) => typeof p !== 'string')) {
      sample.problemWords = stored.map((p) => (p as { say: Said }).say);
    }
  }
  return sample;
}

/** A problem as stored: its English, with its words where the sample had them. */
type StoredProblem = string | { message: string; say: Said };

function storedProblems(sample: TelemetrySample): StoredProblem[] {
  const problems = sample.problems ?? [];
  const words = sample.problemWords;
  return words && words.length === problems.length
    ? problems.map((message, i) => ({ message, say: words[i] as Said }))
    : problems;
}
