import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WorkstationApi } from '../../../shared/ipc/api';
import { createWorkstationClient } from '../../../shared/ipc/client';
import type { EventName } from '../../../shared/ipc/contract';
import { EventHub } from '../../../electron/core/ports/EventHub';
import { createCore, type Core } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { encodeReply, encodeRequest, toHex } from '../../../electron/core/rs485/frame';
import type { BusFrame } from '../../../electron/core/rs485/modbusTypes';
import type { RawPortInfo } from '../../../electron/core/rs485/ports';
import { BATCH_MS, MAX_BATCH, MonitorService } from '../../../electron/core/rs485/service/monitors';
import { PlanStore } from '../../../electron/core/rs485/service/planStore';
import { PortService } from '../../../electron/core/rs485/service/portService';
import { manualTime } from '../../support/rs485/manualTime';
import { startPtyPair, type PtyPair } from '../../support/rs485/ptyPair';

type Seen = { name: EventName; payload: unknown };

function hub(seen: Seen[]): EventHub {
  const events = new EventHub(silentLogger);
  events.subscribe((event) => seen.push(event));
  return events;
}

const CH340: RawPortInfo = { path: '/dev/ttyUSB0', manufacturer: '1a86', vendorId: '1a86', productId: '7523' };
const BUILTIN: RawPortInfo = { path: '/dev/ttyS0' };

describe('ports for the bus page', () => {
  it('lists the ports with the bus holding each, and reports adapters plugged in and pulled out', async () => {
    const seen: Seen[] = [];
    const time = manualTime();
    let present: RawPortInfo[] = [BUILTIN];
    const ports = new PortService({
      events: hub(seen),
      logger: silentLogger,
      lister: async () => present,
      timers: time.timers,
      busIdOf: (path) => (path === '/dev/ttyUSB0' ? 'bus-1' : null),
    });
    try {
      expect(await ports.list()).toEqual([expect.objectContaining({ path: '/dev/ttyS0', vidPid: null, busId: null })]);
      expect(seen).toEqual([]);
      present = [BUILTIN, CH340];
      await time.advance(1000);
      expect(seen).toEqual([
        {
          name: 'rs485.portsChanged',
          payload: expect.objectContaining({
            kind: 'added',
            port: expect.objectContaining({ path: '/dev/ttyUSB0', vidPid: '1a86:7523', busId: 'bus-1' }) as unknown,
          }) as unknown,
        },
      ]);
      expect((await ports.list()).map((p) => p.path)).toEqual(['/dev/ttyUSB0', '/dev/ttyS0']);
      present = [BUILTIN];
      await ports.list();
      expect(seen.at(-1)?.payload).toMatchObject({
        kind: 'removed',
        port: { path: '/dev/ttyUSB0' },
        ports: [{ path: '/dev/ttyS0' }],
      });
    } finally {
      await ports.close();
    }
    expect(time.pending()).toBe(0);
  });
});

describe('monitor batches', () => {
  const frame = (i: number): BusFrame => ({
    at: 1_000 + i,
    direction: i % 2 === 0 ? 'tx' : 'rx',
    bytes: Uint8Array.of(2, 3, 0, 0, 0, 1),
    crcOk: true,
    meaning: `frame ${i}`,
  });

  it('sends frames in bounded batches, counts what did not fit, and keeps them all for export', async () => {
    const seen: Seen[] = [];
    const time = manualTime();
    const monitors = new MonitorService({ events: hub(seen), clock: time.clock, timers: time.timers });
    const listeners = new Set<(f: BusFrame) => void>();
    const source = {
      onFrame: (l: (f: BusFrame) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const info = monitors.watchBus('bus-1', '/dev/ttyUSB0', source as never, 5000);
    for (let i = 0; i < MAX_BATCH + 20; i += 1) {
      listeners.forEach((l) => l(frame(i)));
    }
    expect(seen).toEqual([]);
    await time.advance(BATCH_MS);
    expect(seen).toHaveLength(1);
    const batch = seen[0]?.payload as { frames: unknown[]; dropped: number; busId: string };
    expect(batch.frames).toHaveLength(MAX_BATCH);
    expect(batch).toMatchObject({ dropped: 20, busId: 'bus-1' });
    expect(monitors.frames(info.monitorId, 5000).frames).toHaveLength(MAX_BATCH + 20);
    expect(monitors.frames(info.monitorId, 3).frames.map((f) => f.meaning)).toEqual([
      `frame ${MAX_BATCH + 17}`,
      `frame ${MAX_BATCH + 18}`,
      `frame ${MAX_BATCH + 19}`,
    ]);

    listeners.forEach((l) => l(frame(9999)));
    await monitors.busEnded('bus-1', 'the port went away');
    expect(listeners.size).toBe(0);
    expect(seen.slice(1)).toEqual([
      {
        name: 'rs485.frames',
        payload: expect.objectContaining({ dropped: 0, frames: [expect.objectContaining({ meaning: 'frame 9999' })] }),
      },
      { name: 'rs485.monitorEnded', payload: { monitorId: info.monitorId, reason: 'the port went away' } },
    ]);
    expect(time.pending()).toBe(0);
    await expect(monitors.export('nope', 'csv', undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('plans', () => {
  it('are taken once, expire, and go with their bus', async () => {
    const time = manualTime();
    const store = new PlanStore<string>(time.clock, 'write plan', 1000);
    const a = store.put('bus-1', 'a');
    expect(store.take(a.planId)).toEqual({ busId: 'bus-1', value: 'a' });
    expect(() => store.take(a.planId)).toThrow(/applied already, expired or its bus was released/);
    const b = store.put('bus-1', 'b');
    await time.advance(1000);
    expect(() => store.take(b.planId)).toThrow(/No write plan/);
    const c = store.put('bus-2', 'c');
    store.dropBus('bus-2');
    expect(() => store.take(c.planId)).toThrow(/No write plan/);
  });
});

describe('listening to a port another master drives', () => {
  let dir: string;
  let pty: PtyPair;
  let core: Core;
  let api: WorkstationApi;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-rs485-listen-'));
    pty = await startPtyPair();
    core = await createCore({ dataDir: join(dir, 'data'), face: 'cli', logger: silentLogger });
    api = createWorkstationClient({
      invoke: (name, input) => core.dispatch(name, input),
      subscribe: (handler) => core.events.subscribe(handler),
    });
  });

  afterAll(async () => {
    await core?.close();
    await pty?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the other master’s requests and the replies, decoded, with bad CRCs marked', async () => {
    const monitor = await api.call('rs485.monitor.start', { source: { kind: 'listen', port: pty.a } });
    expect(monitor).toMatchObject({ kind: 'listen', busId: null, port: pty.a, running: true });
    await expect(api.call('rs485.connect', { port: pty.a })).rejects.toMatchObject({ code: 'SERIAL_PORT_BUSY' });

    const other = new SerialPort({ path: pty.b, baudRate: 115200 });
    await new Promise<void>((resolve, reject) => other.on('open', resolve).on('error', reject));
    const send = (bytes: Uint8Array): Promise<void> =>
      new Promise((resolve) => {
        other.write(Buffer.from(bytes), () => other.drain(() => resolve()));
      });
    const request = encodeRequest({ fc: 3, slave: 3, address: 0x0000, count: 2 });
    const reply = encodeReply({ kind: 'registers', fc: 3, slave: 3, values: [3, 1] });
    const garbled = Uint8Array.from(reply);
    garbled[4] = (garbled[4] ?? 0) ^ 0xff;
    await send(request);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await send(reply);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await send(request);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await send(garbled);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise<void>((resolve) => other.close(() => resolve()));

    const { frames } = await api.call('rs485.monitor.frames', { monitorId: monitor.monitorId });
    expect(frames.map((f) => [f.direction, f.crcOk])).toEqual([
      ['tx', true],
      ['rx', true],
      ['tx', true],
      ['rx', false],
    ]);
    expect(frames[0]?.meaning).toMatch(/^slave 3 FC03 read 0x0000 ×2/);
    expect(frames[0]?.hex).toBe(toHex(request));
    expect(frames[1]?.hex).toBe(toHex(reply));
    const stopped = await api.call('rs485.monitor.stop', { monitorId: monitor.monitorId });
    expect(stopped).toMatchObject({ running: false, frames: 4 });
    // The port is free again once the listener stops.
    const bus = await api.call('rs485.connect', { port: pty.a });
    expect(await api.call('rs485.release', { busId: bus.busId })).toEqual({ released: true });
  });
});
