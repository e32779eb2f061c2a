import { afterEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import { ModbusRtuMaster } from '../../../electron/core/rs485/ModbusRtuMaster';
import { calibratedTimeoutMs, initialScanTimeoutMs, wireTimeMs } from '../../../electron/core/rs485/busTiming';
import { decodeRequest, encodeReply } from '../../../electron/core/rs485/frame';
import { DEFAULT_SERIAL_SETTINGS } from '../../../electron/core/rs485/modbusTypes';
import {
  formatVersion,
  moduleTypeName,
  scanBus,
  type ScanProgress,
  type ScanResult,
} from '../../../electron/core/rs485/scan';
import { manualTime } from '../../support/rs485/manualTime';
import { answer, openMockLine, type MockLine, type Responder } from '../../support/rs485/mockPort';

/** Holding registers 0..0x010F of a module as the firmware lays them out. */
function moduleTable(address: number, type: number): number[] {
  const table = new Array<number>(0x0110).fill(0);
  table.splice(0x00f8, 8, 0x5057, 0x5231, 0x0101, 0x0042, 0x0000, 0x1011, 0x2025, 0x1234);
  table.splice(0x0100, 9, address, 5, 0, 1, type, 0x0103, 0x0201, 0x0004, 0x0007);
  return table;
}

describe('scanBus over the serialport mock binding', () => {
  let line: MockLine;
  let master: ModbusRtuMaster;

  const open = async (responder: Responder): Promise<void> => {
    line = await openMockLine(responder);
    master = new ModbusRtuMaster(line.channel, { timing: { timeoutMs: 30, retries: 1, interFrameGapMs: 5 } });
  };

  afterEach(async () => {
    await master?.close();
  });

  it('identifies each module the way the firmware reads it', async () => {
    const tables = { 2: moduleTable(2, 2), 3: moduleTable(3, 0), 5: moduleTable(5, 5) };
    await open((bytes) => {
      const reply = answer(tables, bytes);
      return reply ? [{ bytes: encodeReply(reply) }] : [];
    });
    const result = await scanBus(master, { from: 1, to: 6, timeoutMs: 10 });
    expect(result.modules.map((m) => [m.address, m.typeName, m.typeInferred])).toEqual([
      [2, 'Power', false],
      [3, 'Safety', true],
      [5, 'Dock & Location', false],
    ]);
    expect(result.modules[0]).toMatchObject({
      deviceId: 2,
      type: 2,
      typeRaw: 2,
      firmwareVersion: '1.03',
      hardwareVersion: '2.01',
      status: 4,
      error: 7,
      identity: {
        name: 'PWR1',
        serialNumber: 0x42,
        buildDate: 0x20251011,
        checksum: 0x1234,
        hardwareVersionAlt: 0x0101,
      },
      possibleDuplicate: false,
    });
    expect(result.modules[1]!.notes).toContain('module type 0: taken from the address');
    expect(result.suspects).toEqual([]);
    expect(result.cancelled).toBe(false);
  });

  it('falls back to 0x0000 when 0x0100 is refused, and reads the versions one by one when the block is refused', async () => {
    const table = moduleTable(4, 4);
    await open((bytes) => {
      const request = decodeRequest(bytes);
      if (request.slave !== 4) {
        return [];
      }
      // It has no 0x0100 and no 0x0107: a read that covers either is refused as a whole.
      const covers = (register: number): boolean =>
        request.fc === 3 && request.address <= register && register < request.address + request.count;
      const refuses = covers(0x0100) || covers(0x0107);
      return [
        {
          bytes: encodeReply(
            refuses ? { kind: 'exception', fc: 3, slave: 4, exceptionCode: 2 } : answer({ 4: table }, bytes)!,
          ),
        },
      ];
    });
    const result = await scanBus(master, { from: 4, to: 4, timeoutMs: 10 });
    expect(result.modules).toHaveLength(1);
    expect(result.modules[0]).toMatchObject({
      address: 4,
      deviceId: null,
      typeName: 'Travel Motor',
      firmwareVersion: '1.03',
      hardwareVersion: '2.01',
      status: null,
      error: 7,
    });
    expect(result.modules[0]!.notes).toContain('refuses the device id register 0x0100; answers at 0x0000');
  });

  it('flags two modules answering on one address, and garbled or foreign replies, as suspects', async () => {
    const tables = { 2: moduleTable(2, 2), 3: moduleTable(3, 3) };
    await open((bytes) => {
      const request = decodeRequest(bytes);
      const reply = answer(tables, bytes);
      if (request.slave === 3 && reply) {
        // Two modules set to address 3 on a pty: both replies arrive, one after the other.
        return [{ bytes: encodeReply(reply) }, { bytes: encodeReply(reply), delayMs: 1 }];
      }
      if (request.slave === 5) {
        const garbled = encodeReply({ kind: 'registers', fc: 3, slave: 5, values: [5] });
        garbled[3] = (garbled[3] ?? 0) ^ 0x40;
        return [{ bytes: garbled }];
      }
      if (request.slave === 6) {
        return [{ bytes: encodeReply({ kind: 'registers', fc: 3, slave: 7, values: [7] }) }];
      }
      return reply ? [{ bytes: encodeReply(reply) }] : [];
    });
    const result = await scanBus(master, { from: 1, to: 7, timeoutMs: 10 });
    expect(result.modules.map((m) => [m.address, m.possibleDuplicate])).toEqual([
      [2, false],
      [3, true],
    ]);
    expect(result.suspects.map((s) => [s.address, s.code, s.possibleDuplicate])).toEqual([
      [5, 'MODBUS_CRC', true],
      [6, 'MODBUS_WRONG_SLAVE', false],
    ]);
    expect(result.suspects[0]!.reason).toMatch(/two modules answering at once/);
  });

  it('shortens the probe timeout once it has measured how fast modules answer', async () => {
    const tables = { 1: moduleTable(1, 2) };
    await open((bytes) => {
      const reply = answer(tables, bytes);
      return reply ? [{ bytes: encodeReply(reply) }] : [];
    });
    const progress: ScanProgress[] = [];
    const result = await scanBus(master, { from: 1, to: 4, onProgress: (p) => progress.push(p) });
    const initial = initialScanTimeoutMs(DEFAULT_SERIAL_SETTINGS);
    expect(progress[0]!.timeoutMs).toBe(initial);
    expect(progress[1]!.timeoutMs).toBeLessThan(initial);
    expect(result.probeTimeoutMs).toBeGreaterThanOrEqual(4);
    expect(result.modules).toHaveLength(1);
  });

  /** Modules 1 and 2, module 2's first answer `delayMs` late; the scan of 1..3 under a manual clock. */
  async function scanWithSlowModule(delayMs: number): Promise<ScanResult> {
    const time = manualTime();
    const tables = { 1: moduleTable(1, 2), 2: moduleTable(2, 2) };
    let slowOnce = true;
    line = await openMockLine(
      (bytes) => {
        const request = decodeRequest(bytes);
        const reply = answer(tables, bytes);
        if (!reply) {
          return [];
        }
        if (request.slave === 2 && slowOnce) {
          slowOnce = false;
          return [{ bytes: encodeReply(reply), delayMs }];
        }
        return [{ bytes: encodeReply(reply) }];
      },
      { schedule: (send, ms) => time.timers.setTimeout(send, ms) },
    );
    master = new ModbusRtuMaster(line.channel, {
      timing: { timeoutMs: 30, retries: 1, interFrameGapMs: 5 },
      clock: time.clock,
      timers: time.timers,
    });
    let result: ScanResult | undefined;
    const scan = scanBus(master, { from: 1, to: 3, clock: time.clock, timers: time.timers, slowTimeoutMs: 30 }).then(
      (r) => {
        result = r;
      },
    );
    while (result === undefined) {
      await time.advance(0.25);
    }
    await scan;
    return result;
  }

  it('finds a module answering at the edge of the quick wait, on either side of it', async () => {
    // After module 1, the quick wait is calibrated to 4 ms for the reply to begin (after the request's 8 bytes and
    // one character): a reply that begins in it is an answer; one just after it is a late reply, recognised as
    // module 2's and asked again with the longer wait.
    const edge = 4 + wireTimeMs(DEFAULT_SERIAL_SETTINGS, 9);
    for (const delayMs of [edge - 0.25, edge + 0.25, 30]) {
      const result = await scanWithSlowModule(delayMs);
      expect(result.modules.map((m) => m.address)).toEqual([1, 2]);
      expect(result.suspects).toEqual([]);
      const slow = result.modules[1]!;
      if (delayMs < edge) {
        expect(slow.lateMs).toBeNull();
      } else {
        expect(slow.lateMs).toBeGreaterThanOrEqual(delayMs);
        expect(slow.notes).toContain(`slow: answered the quick probe only after ${Math.round(slow.lateMs!)} ms`);
        expect(master.stats(2)).toMatchObject({ timeouts: 1, lateReplies: 1 });
      }
      await master.close();
    }
  });

  it("never takes a slow module's late reply for the next address's answer", async () => {
    // Module 2's reply comes 9 ms after it was asked: while address 3 is being asked.
    const result = await scanWithSlowModule(9);
    expect(result.suspects).toEqual([]);
    expect(result.modules.map((m) => m.address)).toEqual([1, 2]);
    expect(master.stats(3)).toMatchObject({ wrongSlaveReplies: 0 });
  });

  it('stops when cancelled and returns what it found so far', async () => {
    const tables = { 1: moduleTable(1, 2) };
    await open((bytes) => {
      const reply = answer(tables, bytes);
      return reply ? [{ bytes: encodeReply(reply) }] : [];
    });
    const controller = new AbortController();
    const result = await scanBus(master, {
      from: 1,
      to: 247,
      timeoutMs: 5,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.address === 10) {
          controller.abort();
        }
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.modules.map((m) => m.address)).toEqual([1]);
    expect(line.requests.length).toBeLessThan(60);
  });

  it('takes a gateway\'s "no target" exception for an empty address', async () => {
    const tables = { 2: moduleTable(2, 2) };
    await open((bytes) => {
      const request = decodeRequest(bytes);
      const reply = answer(tables, bytes);
      return [
        {
          bytes: encodeReply(reply ?? { kind: 'exception', fc: request.fc, slave: request.slave, exceptionCode: 0x0b }),
        },
      ];
    });
    const result = await scanBus(master, { from: 1, to: 3, timeoutMs: 10 });
    expect(result.modules.map((m) => m.address)).toEqual([2]);
    expect(result.suspects).toEqual([]);
  });

  it('refuses a range outside 1..247', async () => {
    await open(() => []);
    await expect(scanBus(master, { from: 0, to: 5 })).rejects.toBeInstanceOf(AppError);
    await expect(scanBus(master, { from: 10, to: 5 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(scanBus(master, { from: 1, to: 248 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('scan helpers', () => {
  it('calibrates the probe timeout to the baud rate and the latency measured', () => {
    const slow = { ...DEFAULT_SERIAL_SETTINGS, baudRate: 9600 as const };
    expect(initialScanTimeoutMs(slow)).toBeGreaterThan(initialScanTimeoutMs(DEFAULT_SERIAL_SETTINGS));
    expect(calibratedTimeoutMs({ format: DEFAULT_SERIAL_SETTINGS, latenciesMs: [] })).toBe(
      initialScanTimeoutMs(DEFAULT_SERIAL_SETTINGS),
    );
    expect(initialScanTimeoutMs(DEFAULT_SERIAL_SETTINGS)).toBe(32);
    expect(calibratedTimeoutMs({ format: DEFAULT_SERIAL_SETTINGS, latenciesMs: [0.4, 0.8] })).toBe(4);
    expect(calibratedTimeoutMs({ format: DEFAULT_SERIAL_SETTINGS, latenciesMs: [8] })).toBe(24);
    // One slow moment (a busy laptop) among quick answers does not stretch every later wait.
    expect(calibratedTimeoutMs({ format: DEFAULT_SERIAL_SETTINGS, latenciesMs: [1, 1.2, 30] })).toBe(4);
    expect(calibratedTimeoutMs({ format: DEFAULT_SERIAL_SETTINGS, latenciesMs: [12] })).toBe(32);
    // At 9600 baud the 15 bytes of a probe take 15.6 ms on the wire; that part is not the slave's turnaround.
    expect(calibratedTimeoutMs({ format: slow, latenciesMs: [25.6] })).toBe(33);
    expect(calibratedTimeoutMs({ format: DEFAULT_SERIAL_SETTINGS, latenciesMs: [500] })).toBe(
      initialScanTimeoutMs(DEFAULT_SERIAL_SETTINGS),
    );
  });

  it('formats versions and module types', () => {
    expect(formatVersion(0x0101)).toBe('1.01');
    expect(formatVersion(0x0a10)).toBe('a.10');
    expect(formatVersion(null)).toBeNull();
    expect(moduleTypeName(4)).toBe('Travel Motor');
    expect(moduleTypeName(9)).toBe('unknown (0x0009)');
  });
});
