import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import { busSettings } from '../../../electron/core/rs485/busTiming';
import { connectBus, type Rs485Bus } from '../../../electron/core/rs485/connectBus';
import { scanBus, type ScanProgress } from '../../../electron/core/rs485/scan';
import { startPtyPair, type PtyPair } from '../../support/rs485/ptyPair';
import { startPymodbusSlave, type PymodbusSlave } from '../../support/rs485/pymodbusSlave';
import { assertPymodbus } from '../../support/rs485/requirements';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a failure');
}

/** Waits for the slave process to have the port open and answer. */
async function waitForSlave(bus: Rs485Bus, slave: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await bus.master.readHoldingRegisters(slave, 0x0100, 1, { timeoutMs: 100, retries: 0 });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
    }
  }
}

/** The master against a Modbus slave nobody here wrote: Debian's pymodbus, on a socat pty pair. */
describe('ModbusRtuMaster against a real pymodbus slave', () => {
  let pty: PtyPair;
  let slave: PymodbusSlave;
  let bus: Rs485Bus;

  beforeAll(async () => {
    assertPymodbus();
    pty = await startPtyPair();
    slave = await startPymodbusSlave(pty.b, ['1', '2:2', '4:4:minimal']);
    bus = await connectBus(busSettings(pty.a, { timeoutMs: 300, retries: 1, interFrameGapMs: 2 }));
    await waitForSlave(bus, 2);
  });

  afterAll(async () => {
    await bus?.release();
    await slave?.stop();
    await pty?.stop();
  });

  it('reads holding registers (FC03) and input registers (FC04)', async () => {
    expect(await bus.master.readHoldingRegisters(1, 0, 5)).toEqual([100, 101, 102, 103, 104]);
    expect(await bus.master.readHoldingRegisters(2, 0x0100, 9)).toEqual([2, 5, 0, 1, 2, 0x0102, 0x0101, 1, 0]);
    expect(await bus.master.readInputRegisters(2, 10, 3)).toEqual([1010, 1011, 1012]);
    expect(await bus.master.readHoldingRegisters(1, 0, 125)).toHaveLength(125);
  });

  it('writes one register (FC06) and several (FC16), and reads them back', async () => {
    await bus.master.writeSingleRegister(1, 20, 0xabcd);
    await bus.master.writeMultipleRegisters(1, 21, [7, 8, 9]);
    expect(await bus.master.readHoldingRegisters(1, 19, 5)).toEqual([119, 0xabcd, 7, 8, 9]);
  });

  it("passes pymodbus's exception reply on, and a slave that is not there times out", async () => {
    const refused = await rejection(bus.master.readHoldingRegisters(4, 0x0000, 1));
    expect(refused.code).toBe('MODBUS_EXCEPTION');
    expect(refused.details).toMatchObject({ exceptionCode: 2 });
    const silent = await rejection(bus.master.readHoldingRegisters(9, 0, 1, { timeoutMs: 50, retries: 0 }));
    expect(silent.code).toBe('MODBUS_TIMEOUT');
    expect(await bus.master.readHoldingRegisters(1, 0, 1)).toEqual([100]);
  });

  it('finds and identifies the slaves in a scan, with progress', async () => {
    const progress: ScanProgress[] = [];
    const result = await scanBus(bus.master, { from: 1, to: 6, onProgress: (p) => progress.push(p) });
    expect(result.modules.map((m) => m.address)).toEqual([1, 2, 4]);
    const [one, power, motor] = result.modules;
    expect(power).toMatchObject({
      address: 2,
      deviceId: 2,
      type: 2,
      typeName: 'Power',
      typeInferred: false,
      firmwareVersion: '1.02',
      hardwareVersion: '1.01',
      status: 1,
      error: 0,
      possibleDuplicate: false,
      identity: { name: 'M02', serialNumber: 0x00012345, checksum: 0xbeef },
    });
    expect(motor).toMatchObject({ address: 4, typeName: 'Travel Motor', identity: null });
    expect(one).toMatchObject({ address: 1, typeRaw: 0, typeName: 'unknown (0x0000)' });
    expect(result.suspects).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6, found: 3 });
  });
});

describe('a port that vanishes mid-scan', () => {
  it('ends the scan with SERIAL_PORT_CLOSED and a clear message, and nothing hangs', async () => {
    assertPymodbus();
    const pty = await startPtyPair();
    const slave = await startPymodbusSlave(pty.b, ['2:2']);
    const bus = await connectBus(busSettings(pty.a, { timeoutMs: 300, retries: 1, interFrameGapMs: 2 }));
    try {
      await waitForSlave(bus, 2);
      const scan = scanBus(bus.master, {
        from: 1,
        to: 247,
        onProgress: (p) => {
          if (p.address === 20) {
            void pty.kill();
          }
        },
      });
      const started = Date.now();
      const error = await rejection(scan);
      expect(error.code).toBe('SERIAL_PORT_CLOSED');
      expect(error.message).toMatch(/went away .*the scan stopped at address \d+ with 1 module\(s\) found/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await rejection(bus.master.readHoldingRegisters(2, 0, 1))).code).toBe('SERIAL_PORT_CLOSED');
      expect(bus.isOpen).toBe(false);
    } finally {
      await bus.release();
      await slave.stop();
      await pty.stop();
    }
  });
});
