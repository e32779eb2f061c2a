import type { TelemetrySample } from '../../../shared/domain/telemetry';

type Extremes = { min: number; minAt: number; max: number; maxAt: number };

type Bucket = {
  firstAt: number;
  lastAt: number;
  count: number;
  metrics: Map<string, Extremes>;
};

/**
 * Min/max decimation into a fixed number of time buckets. Each bucket yields at most two samples, at its first
 * and last reading, carrying for every metric its minimum and maximum in the order they happened: a line drawn
 * through them keeps the envelope of the raw data, so a one-sample spike stays visible at any zoom.
 * Memory is bounded by the bucket count, whatever the number of readings.
 */
export class MinMaxBuckets {
  private readonly buckets: (Bucket | undefined)[];
  private readonly widthMs: number;

  /** maxPoints is the most samples samples() returns (two per bucket). */
  constructor(
    private readonly fromMs: number,
    private readonly toMs: number,
    maxPoints: number,
  ) {
    const count = Math.max(1, Math.floor(maxPoints / 2));
    this.buckets = new Array<Bucket | undefined>(count);
    this.widthMs = Math.max(1, (toMs - fromMs + 1) / count);
  }

  /** One raw reading. */
  add(at: number, metrics: Readonly<Record<string, number>>): void {
    const bucket = this.bucketAt(at);
    bucket.count += 1;
    bucket.firstAt = Math.min(bucket.firstAt, at);
    bucket.lastAt = Math.max(bucket.lastAt, at);
    for (const [metric, value] of Object.entries(metrics)) {
      merge(bucket.metrics, metric, value, at, value, at);
    }
  }

  /**
   * An aggregate over [startMs, endMs] (an hourly rollup): the order of its minimum and maximum is unknown,
   * so the minimum is taken as the earlier one.
   */
  addRange(startMs: number, endMs: number, metric: string, min: number, max: number): void {
    const start = Math.max(this.fromMs, startMs);
    const end = Math.max(start, Math.min(this.toMs, endMs));
    const bucket = this.bucketAt(start);
    bucket.count += 2;
    bucket.firstAt = Math.min(bucket.firstAt, start);
    bucket.lastAt = Math.max(bucket.lastAt, end);
    merge(bucket.metrics, metric, min, start, max, end);
  }

  samples(): TelemetrySample[] {
    const out: TelemetrySample[] = [];
    for (const bucket of this.buckets) {
      if (!bucket) {
        continue;
      }
      if (bucket.count === 1 || bucket.firstAt === bucket.lastAt) {
        const metrics: Record<string, number> = {};
        for (const [metric, e] of bucket.metrics) {
          metrics[metric] = e.max;
        }
        out.push({ at: bucket.firstAt, metrics });
        continue;
      }
      const first: Record<string, number> = {};
      const last: Record<string, number> = {};
      for (const [metric, e] of bucket.metrics) {
        const isMinFirst = e.minAt <= e.maxAt;
        first[metric] = isMinFirst ? e.min : e.max;
        last[metric] = isMinFirst ? e.max : e.min;
      }
      out.push({ at: bucket.firstAt, metrics: first }, { at: bucket.lastAt, metrics: last });
    }
    return out;
  }

  private bucketAt(at: number): Bucket {
    const index = Math.min(this.buckets.length - 1, Math.max(0, Math.floor((at - this.fromMs) / this.widthMs)));
    let bucket = this.buckets[index];
    if (!bucket) {
      bucket = { firstAt: at, lastAt: at, count: 0, metrics: new Map() };
      this.buckets[index] = bucket;
    }
    return bucket;
  }
}

function merge(
  metrics: Map<string, Extremes>,
  metric: string,
  min: number,
  minAt: number,
  max: number,
  maxAt: number,
): void {
  const e = metrics.get(metric);
  if (!e) {
    metrics.set(metric, { min, minAt, max, maxAt });
    return;
  }
  if (min < e.min) {
    e.min = min;
    e.minAt = minAt;
  }
  if (max > e.max) {
    e.max = max;
    e.maxAt = maxAt;
  }
}
