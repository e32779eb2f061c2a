import { describe, expect, it } from 'vitest';

import { EventHub, type CoreEvent } from '../../../electron/core/ports/EventHub';
import { StreamHub, type StreamSource } from '../../../electron/core/streams/StreamHub';
import { LineOutbox } from '../../../electron/core/streams/LineOutbox';
import { TextOutbox } from '../../../electron/core/streams/TextOutbox';
import { createCapturingLogger } from '../../support/fakes/captureLogger';

function hubWithEvents(leaseMs = 60_000) {
  const { logger } = createCapturingLogger();
  const events = new EventHub(logger);
  const seen: CoreEvent[] = [];
  events.subscribe((event) => seen.push(event));
  let now = 1_000;
  const clock = { now: () => now, nowIso: () => new Date(now).toISOString() };
  const hub = new StreamHub({ events, clock, logger, leaseMs });
  return { hub, seen, advance: (ms: number) => (now += ms) };
}

function source(): StreamSource & { acks: number[]; stops: string[] } {
  const acks: number[] = [];
  const stops: string[] = [];
  return {
    acks,
    stops,
    onAck: (amount) => acks.push(amount),
    stop: async (reason) => {
      stops.push(reason);
    },
  };
}

describe('StreamHub', () => {
  it("addresses a stream's events to the page that opened it, and its end too", async () => {
    const { hub, seen } = hubWithEvents();
    const handle = hub.open({ kind: 'terminal', unit: 'u1', owner: 'page-1', source: source() });
    handle.emit('terminal.output', { streamId: handle.id, seq: 1, data: 'hi' });
    handle.ended('the shell exited with status 0', 0);
    handle.emit('terminal.output', { streamId: handle.id, seq: 2, data: 'late' });
    expect(seen.map((e) => [e.name, e.to])).toEqual([
      ['terminal.output', 'page-1'],
      ['streams.ended', 'page-1'],
    ]);
    expect(hub.size).toBe(0);
  });

  it('passes acknowledgements to the source, only from the page that owns the stream', () => {
    const { hub } = hubWithEvents();
    const src = source();
    const handle = hub.open({ kind: 'logs', unit: 'u1', owner: 'page-1', source: src });
    expect(hub.ack(handle.id, 10, 'page-2')).toBe(false);
    expect(hub.ack(handle.id, 10, 'page-1')).toBe(true);
    expect(hub.ack(handle.id, 0, 'page-1')).toBe(true);
    expect(src.acks).toEqual([10]);
    expect(() => hub.require(handle.id, 'page-2')).toThrow(/no open stream/);
    expect(() => hub.require(handle.id, 'page-1', 'terminal')).toThrow(/logs stream/);
  });

  it("stops every stream of a page that went away, and the others' stay", async () => {
    const { hub } = hubWithEvents();
    const [a, b, c] = [source(), source(), source()];
    hub.open({ kind: 'terminal', unit: 'u1', owner: 'page-1', source: a });
    hub.open({ kind: 'logs', unit: 'u1', owner: 'page-1', source: b });
    hub.open({ kind: 'terminal', unit: 'u2', owner: 'page-2', source: c });
    await hub.releaseClient('page-1');
    expect([a.stops, b.stops, c.stops]).toEqual([
      ['the window that opened it was closed'],
      ['the window that opened it was closed'],
      [],
    ]);
    expect(hub.size).toBe(1);
    await hub.closeAll();
    expect(c.stops).toEqual(['the workstation is closing']);
  });

  it('ends a stream whose consumer stopped acknowledging once its lease ran out', async () => {
    const { hub, seen, advance } = hubWithEvents(200);
    const quiet = source();
    const busy = source();
    const quietHandle = hub.open({ kind: 'terminal', unit: 'u1', owner: undefined, source: quiet });
    const busyHandle = hub.open({ kind: 'terminal', unit: 'u1', owner: undefined, source: busy });
    for (let i = 0; i < 6; i += 1) {
      advance(100);
      hub.ack(busyHandle.id, 0, undefined);
      await new Promise((resolve) => setTimeout(resolve, 70));
    }
    expect(quiet.stops[0]).toMatch(/nobody acknowledged it/);
    expect(busy.stops).toEqual([]);
    expect(seen.find((e) => e.name === 'streams.ended')?.payload).toMatchObject({ streamId: quietHandle.id });
    await hub.closeAll();
  });
});

describe('TextOutbox', () => {
  function outbox(window: number, highWater = 1_000_000) {
    const sent: string[] = [];
    const flow: string[] = [];
    const scheduled: (() => void)[] = [];
    const box = new TextOutbox({
      window,
      chunkMax: 4,
      highWater,
      send: (data) => sent.push(data),
      pauseSource: () => flow.push('pause'),
      resumeSource: () => flow.push('resume'),
      schedule: (flush) => scheduled.push(flush),
    });
    const run = () => scheduled.splice(0).forEach((flush) => flush());
    return { box, sent, flow, run };
  }

  it('sends no more than the window until acknowledged, in chunks, in order, losing nothing', () => {
    const { box, sent, run } = outbox(6);
    box.push('abcdef');
    box.push('ghij');
    run();
    expect(sent).toEqual(['abcd', 'ef']);
    box.acknowledged(4);
    expect(sent.join('')).toBe('abcdefghij'.slice(0, 10));
    box.acknowledged(6);
    expect(sent.join('')).toBe('abcdefghij');
  });

  it('pauses the source when too much is held, and resumes it once the consumer catches up', () => {
    const { box, flow, run } = outbox(2, 8);
    box.push('0123456789');
    run();
    expect(flow).toEqual(['pause']);
    for (let i = 0; i < 4; i += 1) {
      box.acknowledged(2);
    }
    expect(flow).toEqual(['pause', 'resume']);
  });

  it('never cuts a character made of two UTF-16 units in half', () => {
    const { box, sent, run } = outbox(100);
    box.push('abc😀def');
    run();
    expect(sent.every((chunk) => !/[\ud800-\udbff]$/.test(chunk))).toBe(true);
    expect(sent.join('')).toBe('abc😀def');
  });
});

describe('LineOutbox', () => {
  function outbox(window: number, capacity: number) {
    const batches: { items: number[]; dropped: number }[] = [];
    const box = new LineOutbox<number>({
      window,
      batchMax: 3,
      capacity,
      send: (items, dropped) => batches.push({ items, dropped }),
    });
    return { box, batches };
  }

  it('sends batches while the window allows, and nothing more until acknowledged', () => {
    const { box, batches } = outbox(5, 100);
    box.push([1, 2, 3, 4, 5, 6, 7]);
    box.flush();
    expect(batches).toEqual([
      { items: [1, 2, 3], dropped: 0 },
      { items: [4, 5], dropped: 0 },
    ]);
    box.flush();
    expect(batches).toHaveLength(2);
    box.acknowledged(5);
    box.flush();
    expect(batches.at(-1)).toEqual({ items: [6, 7], dropped: 0 });
  });

  it('keeps the newest for a consumer that is behind and says how many it left out', () => {
    const { box, batches } = outbox(2, 4);
    box.push([1, 2]);
    box.flush();
    box.push([3, 4, 5, 6, 7, 8, 9]);
    box.flush();
    expect(batches).toEqual([{ items: [1, 2], dropped: 0 }]);
    box.acknowledged(2);
    box.flush();
    expect(batches.at(-1)).toEqual({ items: [6, 7], dropped: 3 });
    expect(box.droppedTotal).toBe(3);
    box.acknowledged(2);
    box.flush();
    const sent = batches.flatMap((b) => b.items).length;
    expect(sent + box.droppedTotal).toBe(9);
  });
});
