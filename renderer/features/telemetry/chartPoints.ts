import type { TelemetrySample } from '../../../shared/domain/telemetry';

/** One row of a chart: the time and one value per drawn series (null breaks the line). */
export type ChartRow = { at: number; values: (number | null)[] };

type Extremes = { min: number; minAt: number; max: number; maxAt: number };

/**
 * The rows a chart of `widthPx` pixels can show: samples within [fromMs, toMs] decimated to two per pixel
 * pair (the minimum and the maximum, in the order they happened), so drawing cost follows the chart's width
 * and not the data's length, and a spike is never averaged away. Where the samples stop for longer than a
 * few sample spacings (the page was closed, the link was down) a row of nulls breaks the lines.
 */
export function chartRows(
  samples: readonly TelemetrySample[],
  metrics: readonly string[],
  fromMs: number,
  toMs: number,
  widthPx: number,
): ChartRow[] {
  const inRange = samples.filter((s) => s.at >= fromMs && s.at <= toMs);
  const bucketCount = Math.max(1, Math.floor(widthPx / 2));
  const bucketMs = Math.max(1, (toMs - fromMs + 1) / bucketCount);
  const rows =
    inRange.length <= widthPx
      ? inRange.map((s) => rowOf(s, metrics))
      : decimate(inRange, metrics, fromMs, bucketMs, bucketCount);
  return withGaps(rows, gapThresholdMs(inRange, bucketMs));
}

function rowOf(sample: TelemetrySample, metrics: readonly string[]): ChartRow {
  return { at: sample.at, values: metrics.map((m) => sample.metrics[m] ?? null) };
}

function decimate(
  samples: readonly TelemetrySample[],
  metrics: readonly string[],
  fromMs: number,
  bucketMs: number,
  bucketCount: number,
): ChartRow[] {
  const rows: ChartRow[] = [];
  let index = -1;
  let firstAt = 0;
  let lastAt = 0;
  let extremes: (Extremes | null)[] = [];
  const flush = (): void => {
    if (index < 0) {
      return;
    }
    if (firstAt === lastAt) {
      rows.push({ at: firstAt, values: extremes.map((e) => (e ? e.max : null)) });
      return;
    }
    rows.push(
      { at: firstAt, values: extremes.map((e) => (e ? (e.minAt <= e.maxAt ? e.min : e.max) : null)) },
      { at: lastAt, values: extremes.map((e) => (e ? (e.minAt <= e.maxAt ? e.max : e.min) : null)) },
    );
  };
  for (const sample of samples) {
    const bucket = Math.min(bucketCount - 1, Math.floor((sample.at - fromMs) / bucketMs));
    if (bucket !== index) {
      flush();
      index = bucket;
      firstAt = sample.at;
      extremes = metrics.map(() => null);
    }
    lastAt = sample.at;
    metrics.forEach((metric, i) => {
      const value = sample.metrics[metric];
      if (value === undefined) {
        return;
      }
      const e = extremes[i];
      if (!e) {
        extremes[i] = { min: value, minAt: sample.at, max: value, maxAt: sample.at };
        return;
      }
      if (value < e.min) {
        e.min = value;
        e.minAt = sample.at;
      }
      if (value > e.max) {
        e.max = value;
        e.maxAt = sample.at;
      }
    });
  }
  flush();
  return rows;
}

/** A pause is longer than three usual spacings and than two pixels' worth of time. */
function gapThresholdMs(samples: readonly TelemetrySample[], bucketMs: number): number {
  const spacings: number[] = [];
  for (let i = 1; i < samples.length; i += 1) {
    spacings.push(samples[i]!.at - samples[i - 1]!.at);
  }
  spacings.sort((a, b) => a - b);
  const median = spacings.length > 0 ? spacings[Math.floor(spacings.length / 2)]! : 0;
  return Math.max(3 * median, 2 * bucketMs, 1_000);
}

function withGaps(rows: readonly ChartRow[], gapMs: number): ChartRow[] {
  const out: ChartRow[] = [];
  rows.forEach((row, i) => {
    const previous = rows[i - 1];
    if (previous && row.at - previous.at > gapMs) {
      out.push({ at: Math.round((previous.at + row.at) / 2), values: row.values.map(() => null) });
    }
    out.push(row);
  });
  return out;
}
