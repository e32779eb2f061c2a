import { describe, expect, it } from 'vitest';

import { EventFanout, MAX_BUFFERED_BYTES, type EventSocketLike } from '../../../electron/host/EventFanout';
import { createCapturingLogger } from '../../support/fakes/captureLogger';

/** A socket whose send buffer the test sets by hand, the way a stalled page would leave it. */
class FakeSocket implements EventSocketLike {
  readonly sent: string[] = [];
  bufferedAmount = 0;
  readyState = 1;
  send(data: string): void {
    this.sent.push(data);
  }
}

const event = (n: number) => ({ name: 'diagnostics.progress', payload: { unit: `oht-${n}`, phase: 'running' } });

describe('EventFanout', () => {
  it('sends each event as {name, payload} JSON to every open socket', () => {
    const fanout = new EventFanout(createCapturingLogger().logger);
    const a = new FakeSocket();
    const b = new FakeSocket();
    fanout.add(a);
    fanout.add(b);
    fanout.broadcast(event(1));
    expect(a.sent).toEqual([JSON.stringify(event(1))]);
    expect(b.sent).toEqual(a.sent);
  });

  it('skips sockets that are not open and forgets removed ones', () => {
    const fanout = new EventFanout(createCapturingLogger().logger);
    const closing = new FakeSocket();
    closing.readyState = 2;
    const gone = new FakeSocket();
    fanout.add(closing);
    fanout.add(gone);
    fanout.remove(gone);
    fanout.broadcast(event(1));
    expect(closing.sent).toEqual([]);
    expect(gone.sent).toEqual([]);
    expect(fanout.size).toBe(1);
  });

  it('drops and counts events for a socket over about 1 MiB behind, without holding up the others', () => {
    const { logger, records } = createCapturingLogger();
    const fanout = new EventFanout(logger);
    const slow = new FakeSocket();
    const healthy = new FakeSocket();
    fanout.add(slow);
    fanout.add(healthy);
    slow.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    for (let n = 0; n < 5; n += 1) {
      fanout.broadcast(event(n));
    }
    expect(slow.sent).toEqual([]);
    expect(fanout.droppedFor(slow)).toBe(5);
    expect(healthy.sent).toHaveLength(5);
    // One warning for the stall, not one per event.
    expect(records.filter((record) => record.level === 'warn')).toHaveLength(1);

    slow.bufferedAmount = 0;
    fanout.broadcast(event(6));
    expect(slow.sent).toEqual([JSON.stringify(event(6))]);
    expect(fanout.droppedFor(slow)).toBe(5);
  });

  it('reports the missed events when a lagging socket leaves', () => {
    const { logger, records } = createCapturingLogger();
    const fanout = new EventFanout(logger, 10);
    const slow = new FakeSocket();
    fanout.add(slow);
    slow.bufferedAmount = 11;
    fanout.broadcast(event(1));
    fanout.broadcast(event(2));
    fanout.remove(slow);
    expect(records.at(-1)).toMatchObject({ level: 'warn', fields: { dropped: 2 } });
  });
});
