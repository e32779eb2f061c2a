import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  BusMonitor,
  exportFrames,
  exportFormatFor,
  formatFrameLine,
  sniffBus,
  writeFramesFile,
} from '../../../electron/core/rs485/busMonitor';
import { ModbusRtuMaster } from '../../../electron/core/rs485/ModbusRtuMaster';
import { encodeReply, encodeRequest } from '../../../electron/core/rs485/frame';
import type { BusFrame } from '../../../electron/core/rs485/modbusTypes';
import { openMockLine, registerSlaves } from '../../support/rs485/mockPort';
import { manualTime, settle } from '../../support/rs485/manualTime';

const AT = Date.UTC(2026, 10, 28, 10, 0, 0, 123) + 0.456;

const frame = (n: number, overrides: Partial<BusFrame> = {}): BusFrame => ({
  at: AT + n,
  direction: n % 2 === 0 ? 'tx' : 'rx',
  bytes: Uint8Array.of(2, 3, n),
  crcOk: true,
  meaning: `frame ${n}`,
  ...overrides,
});

describe('BusMonitor', () => {
  it('keeps the newest frames and counts the ones it dropped', () => {
    const monitor = new BusMonitor(3);
    for (let n = 0; n < 5; n += 1) {
      monitor.add(frame(n));
    }
    expect(monitor.frames().map((f) => f.meaning)).toEqual(['frame 2', 'frame 3', 'frame 4']);
    expect(monitor.dropped).toBe(2);
    monitor.clear();
    expect(monitor.frames()).toEqual([]);
    expect(monitor.dropped).toBe(0);
  });

  it("records a master's frames with time, direction, bytes, CRC status and meaning", async () => {
    const line = await openMockLine(registerSlaves({ 2: [7, 8, 9] }));
    const master = new ModbusRtuMaster(line.channel, { timing: { timeoutMs: 20, retries: 0, interFrameGapMs: 0 } });
    const monitor = new BusMonitor();
    const live: BusFrame[] = [];
    monitor.onFrame((f) => live.push(f));
    const detach = monitor.attach(master);
    await master.readHoldingRegisters(2, 1, 2);
    await master.readHoldingRegisters(2, 5, 1).catch(() => undefined);
    detach();
    await master.readHoldingRegisters(2, 0, 1);
    expect(monitor.frames().map((f) => [f.direction, f.crcOk, f.meaning])).toEqual([
      ['tx', true, 'slave 2 FC03 read 0x0001 ×2'],
      ['rx', true, 'slave 2 FC03 reply: 8 9'],
      ['tx', true, 'slave 2 FC03 read 0x0005 ×1'],
      ['rx', true, 'slave 2 exception 02 (illegal data address) to FC03'],
    ]);
    expect(live).toHaveLength(4);
    await master.close();
  });

  it('exports as text and as CSV', () => {
    const frames = [
      frame(0, {
        bytes: encodeRequest({ fc: 3, slave: 2, address: 0x100, count: 1 }),
        meaning: 'slave 2 FC03 read 0x0100 ×1',
      }),
      frame(1, { crcOk: false, meaning: 'odd, "quoted" meaning' }),
    ];
    expect(formatFrameLine(frames[0]!)).toBe(
      '2026-11-28T10:00:00.123456Z  tx  ok   02 03 01 00 00 01 85 C5  slave 2 FC03 read 0x0100 ×1',
    );
    expect(exportFrames(frames, 'text').split('\n')[1]).toBe(
      '2026-11-28T10:00:00.124456Z  rx  BAD  02 03 01  odd, "quoted" meaning',
    );
    expect(exportFrames(frames, 'csv')).toBe(
      'time,direction,bytes,crc,meaning\n' +
        '2026-11-28T10:00:00.123456Z,tx,02 03 01 00 00 01 85 C5,ok,slave 2 FC03 read 0x0100 ×1\n' +
        '2026-11-28T10:00:00.124456Z,rx,02 03 01,bad,"odd, ""quoted"" meaning"\n',
    );
    expect(exportFormatFor('/tmp/bus.CSV')).toBe('csv');
    expect(exportFormatFor('/tmp/bus.log')).toBe('text');
  });

  it('writes the export to a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ohtw-monitor-'));
    try {
      await writeFramesFile(join(dir, 'bus.csv'), [frame(0)]);
      expect((await readFile(join(dir, 'bus.csv'), 'utf8')).split('\n')[0]).toBe('time,direction,bytes,crc,meaning');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sniffBus', () => {
  it('reports the frames another master exchanges, and noise after a silence', async () => {
    const time = manualTime();
    const line = await openMockLine();
    const frames: BusFrame[] = [];
    const stop = sniffBus(line.channel, (f) => frames.push(f), { clock: time.clock, timers: time.timers });
    const read = encodeRequest({ fc: 3, slave: 3, address: 0, count: 2 });
    const reply = encodeReply({ kind: 'registers', fc: 3, slave: 3, values: [0, 1] });
    const write = encodeRequest({ fc: 6, slave: 3, address: 0x30, value: 1 });
    const stream = Uint8Array.from([...read, ...reply, ...write, ...write, 0xff, 0x13]);
    line.inject(stream.slice(0, 11));
    line.inject(stream.slice(11));
    await settle();
    expect(frames.map((f) => `${f.direction} ${f.meaning}`)).toEqual([
      'tx slave 3 FC03 read 0x0000 ×2',
      'rx slave 3 FC03 reply: 0 1',
      'tx slave 3 FC06 write 0x0030 = 1',
      'rx slave 3 FC06 write 0x0030 = 1 done',
    ]);
    await time.advance(20);
    expect(frames.at(-1)).toMatchObject({
      direction: 'rx',
      crcOk: false,
      meaning: 'CRC error: 2 bytes (slave 255? function 13?)',
    });
    stop();
    expect(time.pending()).toBe(0);
    await line.channel.close();
  });
});
