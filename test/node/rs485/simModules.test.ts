import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createSimBus, standardModules } from '../../../electron/core/rs485/simModules';
import { startSimBus, type SimBusHandle } from '../../../electron/core/rs485/simModulesSlave';
import { startPtyPair } from '../../support/rs485/ptyPair';
import { mbpollValues, requireTool, run } from '../../support/rs485-sim/tools';
import { shippedProfiles } from '../../support/rs485-sim/simFixture';
import { SHIPPED_DIR } from '../../support/rs485-sim/profileDirs';

/** mbpoll as the brief has it: RTU, 115200 8N1, holding registers, zero-based, once. */
function mbpoll(
  path: string,
  slave: number,
  register: number,
  count: number,
  extra: string[] = [],
): ReturnType<typeof run> {
  return run('mbpoll', [
    ...COMMON,
    '-a',
    String(slave),
    '-r',
    String(register),
    '-c',
    String(count),
    '-o',
    '0.5',
    ...extra,
    path,
  ]);
}

/** mbpoll writes the values given after the device (FC06 for one). */
function mbpollWrite(path: string, slave: number, register: number, value: number): ReturnType<typeof run> {
  return run('mbpoll', [...COMMON, '-a', String(slave), '-r', String(register), '-o', '0.5', path, String(value)]);
}

const COMMON = ['-m', 'rtu', '-b', '115200', '-P', 'none', '-t', '4', '-0', '-1'];

describe('the simulated modules, served on a real pty pair to a real third-party master (mbpoll)', () => {
  let sim: SimBusHandle | undefined;
  beforeAll(() => {
    requireTool('socat', 'socat');
    requireTool('mbpoll', 'mbpoll');
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("mbpoll reads the simulated power module's registers correctly", async () => {
    sim = await startSimBus({ createPty: true, shippedDir: SHIPPED_DIR });
    expect(sim.masterPath).toMatch(/master$/);
    const path = sim.masterPath ?? '';
    const result = await run('mbpoll', [
      '-m',
      'rtu',
      '-b',
      '115200',
      '-P',
      'none',
      '-a',
      '2',
      '-t',
      '4',
      '-0',
      '-r',
      '0',
      '-c',
      '4',
      '-1',
      path,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Pack 24.6 V, 1.8 A, 82.5 % (all ×10), highest cell 4112 mV: the power map's first four registers.
    expect(mbpollValues(result.stdout)).toEqual([246, 18, 825, 4112]);
    // The identity block: device ID 2, then baud code 5 (115200), parity none, 1 stop bit, module type 2.
    expect(mbpollValues((await mbpoll(path, 2, 0x0100, 5)).stdout)).toEqual([2, 5, 0, 1, 2]);
  });

  it('serves the faults: E-Stop pressed, a flat battery, a missing module, a refused address', async () => {
    sim = await startSimBus({
      createPty: true,
      shippedDir: SHIPPED_DIR,
      faults: { estopPressed: true, lowBattery: true, missing: ['dock'] },
    });
    const path = sim.masterPath ?? '';
    expect(mbpollValues((await mbpoll(path, 3, 0, 2)).stdout)).toEqual([3, 1]);
    expect(mbpollValues((await mbpoll(path, 2, 0, 3)).stdout)).toEqual([194, 18, 75]);
    expect(mbpollValues((await mbpoll(path, 2, 0x0023, 1)).stdout)).toEqual([0x42]);
    const missing = await mbpoll(path, 5, 0x0100, 1);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/timed out/i);
    const refused = await mbpoll(path, 2, 0x0200, 1);
    expect(refused.stderr).toMatch(/Illegal data address/);
    // Faults can be changed while serving (for the demo).
    sim.setFaults({});
    expect(mbpollValues((await mbpoll(path, 3, 0, 2)).stdout)).toEqual([0, 0]);
    expect(mbpollValues((await mbpoll(path, 5, 0x0100, 1)).stdout)).toEqual([5]);
  });

  it('a noisy line gives mbpoll CRC errors, and a write by mbpoll lands and reads back', async () => {
    sim = await startSimBus({
      createPty: true,
      shippedDir: SHIPPED_DIR,
      faults: { noise: { everyNth: 1, modules: ['power'] } },
    });
    const path = sim.masterPath ?? '';
    const noisy = await mbpoll(path, 2, 0, 1);
    expect(noisy.code).not.toBe(0);
    expect(noisy.stderr).toMatch(/CRC/i);
    expect(mbpollValues((await mbpoll(path, 3, 0x0050, 1)).stdout)).toEqual([500]);
    const write = await mbpollWrite(path, 3, 0x0050, 650);
    expect(write.code).toBe(0);
    expect(write.stdout).toContain('Written 1 references.');
    expect(mbpollValues((await mbpoll(path, 3, 0x0050, 1)).stdout)).toEqual([650]);
    // A read-only register refuses the write.
    expect((await mbpollWrite(path, 3, 0x0001, 0)).stderr).toMatch(/Illegal data address/);
    expect(sim.bus.peek(3, 0x0050)).toBe(650);
  });

  it("serves on a port made elsewhere, too (the master side is then the caller's)", async () => {
    const pty = await startPtyPair();
    try {
      sim = await startSimBus({ ptyPath: pty.b, shippedDir: SHIPPED_DIR, faults: { estopPressed: true } });
      expect(sim.masterPath).toBeNull();
      expect(sim.slavePath).toBe(pty.b);
      expect(mbpollValues((await mbpoll(pty.a, 3, 0x0001, 1)).stdout)).toEqual([1]);
    } finally {
      await sim?.close();
      sim = undefined;
      await pty.stop();
    }
  });

  it('a slow module answers late', async () => {
    sim = await startSimBus({ createPty: true, shippedDir: SHIPPED_DIR, faults: { slowMs: { travel: 700 } } });
    const path = sim.masterPath ?? '';
    const late = await mbpoll(path, 4, 0x0100, 1);
    expect(late.stderr).toMatch(/timed out/i);
    expect(mbpollValues((await mbpoll(path, 4, 0x0100, 1, ['-o', '2'])).stdout)).toEqual([4]);
  });
});

describe("the simulated modules' registers", () => {
  it('answer like module firmware: exceptions for unknown addresses, read-only registers and bad values', async () => {
    const bus = createSimBus(standardModules(await shippedProfiles()));
    expect(bus.handle(2, { fc: 3, address: 0x0100, count: 2 })).toEqual({ kind: 'registers', values: [2, 5] });
    expect(bus.handle(2, { fc: 3, address: 0x0024, count: 1 })).toEqual({ kind: 'exception', exceptionCode: 2 });
    expect(bus.handle(2, { fc: 6, address: 0x0000, value: 1 })).toEqual({ kind: 'exception', exceptionCode: 2 });
    expect(bus.handle(2, { fc: 6, address: 0x0030, value: 400 })).toEqual({ kind: 'exception', exceptionCode: 3 });
    expect(bus.handle(2, { fc: 16, address: 0x0030, values: [250, 40] })).toEqual({ kind: 'written' });
    expect(bus.handle(2, { fc: 3, address: 0x0030, count: 2 })).toEqual({ kind: 'registers', values: [250, 40] });
    expect(bus.handle(9, { fc: 3, address: 0, count: 1 })).toEqual({ kind: 'silent' });
  });

  it('latch errors raised by a fault until reset, and serve every map variant', async () => {
    const bus = createSimBus(standardModules(await shippedProfiles({ dock: 'handler', travel: 'alternate' })), {
      estopPressed: true,
    });
    expect(bus.peek(3, 0x0108)).toBe(3);
    bus.setFaults({});
    expect(bus.peek(3, 0x0001)).toBe(0);
    expect(bus.peek(3, 0x0108)).toBe(3);
    bus.handle(3, { fc: 6, address: 0x0109, value: 1 });
    expect(bus.peek(3, 0x0108)).toBe(0);
    expect(bus.peek(5, 0x7005)).toBe(0x01);
    expect(bus.peek(5, 0xa000)).toBe(500);
    expect(bus.peek(4, 0x0011)).toBe(1);
  });
});
