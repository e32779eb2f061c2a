import { describe, expect, it } from 'vitest';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import { SampleOutbox, type OutboxBatch } from '../../../electron/core/telemetry/SampleOutbox';
import { fakeTime } from './fakeTime';

const sample = (at: number): TelemetrySample => ({ at, metrics: { 'cpu.percent': at % 100 } });

describe('coalescing samples into bounded batches', () => {
  it('sends the first sample at once, then at most one batch per 250 ms with everything that came meanwhile', async () => {
    const time = fakeTime(1_000_000);
    const sent: { atMs: number; batch: OutboxBatch }[] = [];
    const outbox = new SampleOutbox((batch) => sent.push({ atMs: time.clock.now(), batch }), time.clock, time.timers);

    outbox.push(sample(1));
    await time.advance(0);
    expect(sent.map((s) => s.batch.samples.length)).toEqual([1]);

    for (let i = 0; i < 10; i += 1) {
      outbox.push(sample(2 + i));
      await time.advance(20);
    }
    await time.advance(1_000);
    expect(sent.map((s) => s.batch.samples.length)).toEqual([1, 10]);
    expect(sent[1]?.atMs).toBe(1_000_250);
    expect(sent.every((s) => s.batch.dropped === 0)).toBe(true);
    expect(time.pending()).toBe(0);
  });

  it('keeps at most maxPending samples, drops the oldest and says how many in the next batch', async () => {
    const time = fakeTime(0);
    const sent: OutboxBatch[] = [];
    const outbox = new SampleOutbox((batch) => sent.push(batch), time.clock, time.timers, { maxPending: 5 });
    outbox.push(sample(0));
    await time.advance(0);
    // A burst (the event loop was blocked): 12 samples inside one window.
    for (let i = 1; i <= 12; i += 1) {
      outbox.push(sample(i));
      expect(outbox.size).toBeLessThanOrEqual(5);
    }
    await time.advance(250);
    expect(sent[1]).toEqual({ samples: [8, 9, 10, 11, 12].map(sample), dropped: 7 });
    outbox.push(sample(13));
    await time.advance(250);
    expect(sent[2]).toEqual({ samples: [sample(13)], dropped: 0 });
  });

  it('sends nothing after close and leaves no timer behind', async () => {
    const time = fakeTime(0);
    const sent: OutboxBatch[] = [];
    const outbox = new SampleOutbox((batch) => sent.push(batch), time.clock, time.timers);
    outbox.push(sample(1));
    outbox.close();
    outbox.push(sample(2));
    await time.advance(1_000);
    expect(sent).toEqual([]);
    expect(time.pending()).toBe(0);
  });
});
