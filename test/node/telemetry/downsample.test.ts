import { describe, expect, it } from 'vitest';

import { MinMaxBuckets } from '../../../electron/core/telemetry/downsample';

describe('min/max downsampling', () => {
  it('keeps a one-sample spike and a one-sample dip visible, in the order they happened', () => {
    const buckets = new MinMaxBuckets(0, 9_999, 20); // 10 buckets of 1 s
    for (let at = 0; at < 10_000; at += 10) {
      const spike = at === 3_330 ? 95 : at === 3_700 ? 1 : 20;
      buckets.add(at, { 'cpu.percent': spike, 'memory.percent': 40 });
    }
    const samples = buckets.samples();
    expect(samples.length).toBeLessThanOrEqual(20);
    const cpu = samples.map((s) => s.metrics['cpu.percent']);
    expect(Math.max(...(cpu as number[]))).toBe(95);
    expect(Math.min(...(cpu as number[]))).toBe(1);
    // The bucket of second 3 saw 95 before 1: its first point is the max, its last the min.
    const third = samples.filter((s) => s.at >= 3_000 && s.at < 4_000);
    expect(third.map((s) => s.metrics['cpu.percent'])).toEqual([95, 1]);
    expect(third.map((s) => s.at)).toEqual([3_000, 3_990]);
    expect(samples.every((s) => s.metrics['memory.percent'] === 40)).toBe(true);
  });

  it('returns samples in time order, at most maxPoints, with empty buckets left out', () => {
    const buckets = new MinMaxBuckets(0, 99_999, 10);
    for (const at of [5, 6, 7, 90_000, 91_000]) {
      buckets.add(at, { x: at });
    }
    const samples = buckets.samples();
    expect(samples.map((s) => s.at)).toEqual([5, 7, 90_000, 91_000]);
    expect(samples.map((s) => s.metrics.x)).toEqual([5, 7, 90_000, 91_000]);
  });

  it('gives a bucket with one reading one sample, and keeps metrics that only some readings have', () => {
    const buckets = new MinMaxBuckets(0, 999, 4);
    buckets.add(100, { a: 1 });
    buckets.add(600, { a: 2, b: 7 });
    buckets.add(700, { a: 3 });
    expect(buckets.samples()).toEqual([
      { at: 100, metrics: { a: 1 } },
      { at: 600, metrics: { a: 2, b: 7 } },
      { at: 700, metrics: { a: 3, b: 7 } },
    ]);
  });

  it('folds hourly rollups in as a min then a max over their hour, clipped to the range', () => {
    const hour = 3_600_000;
    const buckets = new MinMaxBuckets(hour / 2, 3 * hour, 100);
    buckets.addRange(0, hour - 1, 'cpu.percent', 10, 80);
    const [first, last] = buckets.samples();
    expect(first).toEqual({ at: hour / 2, metrics: { 'cpu.percent': 10 } });
    expect(last).toEqual({ at: hour - 1, metrics: { 'cpu.percent': 80 } });
  });

  it('puts readings outside the range into the edge buckets instead of failing', () => {
    const buckets = new MinMaxBuckets(1_000, 2_000, 2);
    buckets.add(500, { x: 1 });
    buckets.add(2_500, { x: 2 });
    expect(buckets.samples().map((s) => s.metrics.x)).toEqual([1, 2]);
  });
});
