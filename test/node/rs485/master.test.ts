import { afterEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import { ModbusRtuMaster, type ModbusRtuMasterOptions } from '../../../electron/core/rs485/ModbusRtuMaster';
import { wireTimeMs } from '../../../electron/core/rs485/busTiming';
import { encodeReply, encodeRequest, toHex } from '../../../electron/core/rs485/frame';
import { DEFAULT_SERIAL_SETTINGS, type BusFrame } from '../../../electron/core/rs485/modbusTypes';
import { openMockLine, registerSlaves, answer, type MockLine } from '../../support/rs485/mockPort';
import { manualTime } from '../../support/rs485/manualTime';

const FAST = { timeoutMs: 30, retries: 2, interFrameGapMs: 0 };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

function holding(slave: number): number[] {
  return Array.from({ length: 300 }, (_, i) => slave * 1000 + i);
}

describe('ModbusRtuMaster over the serialport mock binding', () => {
  let line: MockLine;
  let master: ModbusRtuMaster;
  const frames: BusFrame[] = [];

  const open = async (options: ModbusRtuMasterOptions = {}): Promise<void> => {
    line = await openMockLine(registerSlaves({ 2: holding(2), 3: holding(3) }));
    master = new ModbusRtuMaster(line.channel, { timing: FAST, ...options });
    frames.length = 0;
    master.onFrame((frame) => frames.push(frame));
  };

  afterEach(async () => {
    await master?.close();
  });

  it('reads and writes with FC03, FC04, FC06 and FC16', async () => {
    await open();
    expect(await master.readHoldingRegisters(2, 0x0100, 3)).toEqual([2256, 2257, 2258]);
    expect(await master.readInputRegisters(3, 5, 2)).toEqual([3005, 3006]);
    await master.writeSingleRegister(2, 7, 0xbeef);
    await master.writeMultipleRegisters(2, 8, [1, 2, 3]);
    expect(await master.readHoldingRegisters(2, 6, 5)).toEqual([2006, 0xbeef, 1, 2, 3]);
    expect(line.requests.map((r) => r[1])).toEqual([0x03, 0x04, 0x06, 0x10, 0x03]);
    const stats = master.stats(2);
    expect(stats).toMatchObject({ requests: 4, timeouts: 0, crcErrors: 0, exceptions: 0 });
    expect(stats.latenciesMs).toHaveLength(4);
    expect(frames.map((f) => `${f.direction} ${f.crcOk ? 'ok' : 'bad'} ${f.meaning}`).slice(0, 2)).toEqual([
      'tx ok slave 2 FC03 read 0x0100 ×3',
      'rx ok slave 2 FC03 reply: 2256 2257 2258',
    ]);
  });

  it('times out, retries, and says how often it tried', async () => {
    await open();
    const started = Date.now();
    const error = await rejection(master.readHoldingRegisters(9, 0, 1));
    expect(error.code).toBe('MODBUS_TIMEOUT');
    expect(error.message).toMatch(/Slave 9 did not answer FC03 read 0x0000 ×1 within 30 ms \(3 attempts\)/);
    expect(error.details).toMatchObject({ slave: 9, attempts: 3 });
    expect(error.retryable).toBe(true);
    expect(line.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(85);
    expect(master.stats(9)).toMatchObject({ requests: 3, timeouts: 3 });
  });

  it('uses per-request timeout and retries over the bus settings', async () => {
    await open();
    const error = await rejection(master.readHoldingRegisters(9, 0, 1, { timeoutMs: 5, retries: 0 }));
    expect(error.code).toBe('MODBUS_TIMEOUT');
    expect(line.requests).toHaveLength(1);
  });

  it('retries after a CRC error and returns the good second reply', async () => {
    await open();
    let calls = 0;
    line.respondWith((request) => {
      calls += 1;
      const good = encodeReply(answer({ 2: holding(2) }, request)!);
      if (calls === 1) {
        good[3] = (good[3] ?? 0) ^ 0xff;
      }
      return [{ bytes: good }];
    });
    expect(await master.readHoldingRegisters(2, 0, 2)).toEqual([2000, 2001]);
    expect(master.stats(2)).toMatchObject({ requests: 2, crcErrors: 1 });
    expect(frames.filter((f) => f.direction === 'rx').map((f) => f.crcOk)).toEqual([false, true]);
  });

  it('gives MODBUS_CRC when every reply is garbled', async () => {
    await open();
    line.respondWith((request) => {
      const bad = encodeReply(answer({ 2: holding(2) }, request)!);
      bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
      return [{ bytes: bad }];
    });
    const error = await rejection(master.readHoldingRegisters(2, 0, 1));
    expect(error.code).toBe('MODBUS_CRC');
    expect(error.message).toMatch(/failed its CRC check \(3 attempts\): check wiring, termination and the baud rate/);
  });

  it('calls garbage (a wrong baud rate) a bad frame, and the bus still works afterwards', async () => {
    await open();
    line.respondWith(() => [{ bytes: Uint8Array.from([0xf0, 0x0f, 0xff, 0x80, 0xfe, 0x00, 0x78]) }]);
    const error = await rejection(master.readHoldingRegisters(2, 0, 1));
    expect(error.code).toBe('MODBUS_BAD_FRAME');
    expect(error.message).toMatch(/not a Modbus reply \(wrong baud rate or parity, or noise on the line\?\)/);
    line.respondWith(registerSlaves({ 2: holding(2) }));
    expect(await master.readHoldingRegisters(2, 1, 1)).toEqual([2001]);
  });

  it('reports a reply from the wrong slave without retrying', async () => {
    await open();
    line.respondWith((request) => [
      { bytes: encodeReply({ kind: 'registers', fc: 3, slave: 5, values: [request[3] ?? 0] }) },
    ]);
    const error = await rejection(master.readHoldingRegisters(2, 0x0100, 1));
    expect(error.code).toBe('MODBUS_WRONG_SLAVE');
    expect(error.message).toMatch(/Asked slave 2 .*but slave 5 answered/);
    expect(line.requests).toHaveLength(1);
    expect(master.stats(2).wrongSlaveReplies).toBe(1);
  });

  it('ignores a late reply from another slave and takes the right one that follows', async () => {
    await open();
    line.respondWith((request) => [
      { bytes: encodeReply({ kind: 'registers', fc: 3, slave: 7, values: [7] }) },
      { bytes: encodeReply(answer({ 2: holding(2) }, request)!), delayMs: 5 },
    ]);
    expect(await master.readHoldingRegisters(2, 0, 1)).toEqual([2000]);
  });

  it('passes an exception reply on as MODBUS_EXCEPTION with its code, without retrying', async () => {
    await open();
    const error = await rejection(master.readHoldingRegisters(2, 0x2000, 1));
    expect(error.code).toBe('MODBUS_EXCEPTION');
    expect(error.message).toBe('Slave 2 refused FC03 read 0x2000 ×1: exception 02 (illegal data address)');
    expect(error.details).toMatchObject({ exceptionCode: 2, exceptionName: 'illegal data address' });
    expect(line.requests).toHaveLength(1);
    expect(master.stats(2).exceptions).toBe(1);
  });

  it('asks again when a reply of the wrong shape arrives (a late answer to an earlier request) and takes the real one', async () => {
    await open();
    let calls = 0;
    line.respondWith(() => {
      calls += 1;
      return calls === 1
        ? [{ bytes: encodeReply({ kind: 'registers', fc: 3, slave: 2, values: [9] }) }]
        : [{ bytes: encodeReply({ kind: 'registers', fc: 3, slave: 2, values: [1, 2, 3, 4] }) }];
    });
    expect(await master.readHoldingRegisters(2, 0x0105, 4)).toEqual([1, 2, 3, 4]);
    expect(line.requests).toHaveLength(2);
  });

  it('rejects an oversize reply for its byte count, and drains an oversize tail before the next request', async () => {
    await open();
    line.respondWith(() => [{ bytes: encodeReply({ kind: 'registers', fc: 3, slave: 2, values: [1, 2, 3, 4] }) }]);
    const error = await rejection(master.readHoldingRegisters(2, 0, 1));
    expect(error.code).toBe('MODBUS_BAD_FRAME');
    expect(error.message).toMatch(/4 registers instead of 1/);

    line.respondWith((request) => [
      {
        bytes: Uint8Array.from([
          ...encodeReply(answer({ 2: holding(2) }, request)!),
          ...new Uint8Array(300).fill(0x55),
        ]),
      },
    ]);
    expect(await master.readHoldingRegisters(2, 0, 1)).toEqual([2000]);
    line.respondWith(registerSlaves({ 2: holding(2) }));
    expect(await master.readHoldingRegisters(2, 1, 1)).toEqual([2001]);
    const stray = frames.filter((f) => f.direction === 'rx' && !f.crcOk);
    expect(stray.reduce((n, f) => n + f.bytes.length, 0)).toBe(300);
  });

  it('keeps exactly one request in flight, in the order asked', async () => {
    await open();
    let outstanding = 0;
    let most = 0;
    line.respondWith((request) => {
      outstanding += 1;
      most = Math.max(most, outstanding);
      setTimeout(() => {
        outstanding -= 1;
      }, 3);
      return [{ bytes: encodeReply(answer({ 2: holding(2), 3: holding(3) }, request)!), delayMs: 3 }];
    });
    const results = await Promise.all([
      master.readHoldingRegisters(2, 0, 1),
      master.readHoldingRegisters(3, 0, 1),
      master.readHoldingRegisters(2, 1, 1),
      master.readInputRegisters(3, 2, 1),
      master.readHoldingRegisters(2, 3, 1),
    ]);
    expect(results).toEqual([[2000], [3000], [2001], [3002], [2003]]);
    expect(most).toBe(1);
    const txThenRx = frames.map((f) => f.direction).join(' ');
    expect(txThenRx).toBe('tx rx tx rx tx rx tx rx tx rx');
  });

  it('keeps the inter-frame gap between exchanges', async () => {
    await open({ timing: { ...FAST, interFrameGapMs: 40 } });
    await master.readHoldingRegisters(2, 0, 1);
    await master.readHoldingRegisters(2, 1, 1);
    const [, reply, second] = frames;
    expect(second!.at - reply!.at).toBeGreaterThanOrEqual(38);
  });

  it('drains bytes that arrive while idle, so they are never taken for the next reply', async () => {
    await open();
    line.inject(encodeReply({ kind: 'registers', fc: 3, slave: 2, values: [0xdead] }));
    line.inject(Uint8Array.from([0x01, 0x02]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await master.readHoldingRegisters(2, 0, 1)).toEqual([2000]);
    expect(frames.map((f) => `${f.direction} ${f.crcOk}`)).toEqual(['rx true', 'rx false', 'tx true', 'rx true']);
    expect(frames[0]!.meaning).toMatch(/unsolicited/);
  });

  it('cancels a request by its signal, and the next one still goes out', async () => {
    await open();
    line.respondWith(() => []);
    const controller = new AbortController();
    const pending = master.readHoldingRegisters(2, 0, 1, { signal: controller.signal, timeoutMs: 1000 });
    const queued = master.readHoldingRegisters(2, 1, 1, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    expect((await rejection(pending)).code).toBe('CANCELLED');
    expect((await rejection(queued)).code).toBe('CANCELLED');
    line.respondWith(registerSlaves({ 2: holding(2) }));
    expect(await master.readHoldingRegisters(2, 2, 1)).toEqual([2002]);
  });

  it('refuses bad arguments before anything is sent', async () => {
    await open();
    expect((await rejection(master.readHoldingRegisters(0, 0, 1))).code).toBe('VALIDATION');
    expect((await rejection(master.readHoldingRegisters(2, 0, 126))).code).toBe('VALIDATION');
    expect((await rejection(master.writeSingleRegister(2, 0, 70000))).code).toBe('VALIDATION');
    expect(line.requests).toHaveLength(0);
  });

  it('fails the request in flight and every later one when the port vanishes, without hanging', async () => {
    await open();
    line.respondWith(() => []);
    const inFlight = master.readHoldingRegisters(2, 0, 1, { timeoutMs: 10_000 });
    const queued = master.readHoldingRegisters(2, 1, 1);
    setTimeout(() => line.vanish(), 5);
    const error = await rejection(inFlight);
    expect(error.code).toBe('SERIAL_PORT_CLOSED');
    expect(error.message).toMatch(/went away \(adapter unplugged\?\)/);
    expect((await rejection(queued)).code).toBe('SERIAL_PORT_CLOSED');
    expect((await rejection(master.readHoldingRegisters(2, 0, 1))).code).toBe('SERIAL_PORT_CLOSED');
    expect(master.isOpen).toBe(false);
  });

  it('close() fails what is pending and is idempotent', async () => {
    await open();
    line.respondWith(() => []);
    const pending = master.readHoldingRegisters(2, 0, 1, { timeoutMs: 10_000 });
    const queued = master.writeSingleRegister(2, 0, 1);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await Promise.all([master.close(), master.close()]);
    expect((await rejection(pending)).code).toBe('SERIAL_PORT_CLOSED');
    expect((await rejection(queued)).code).toBe('SERIAL_PORT_CLOSED');
    expect(line.port.isOpen).toBe(false);
  });

  it('strips the echo of an echoing adapter', async () => {
    await open({ echoSuppression: true });
    const table = { 2: holding(2) };
    line.respondWith((request) => [{ bytes: request }, { bytes: encodeReply(answer(table, request)!), delayMs: 1 }]);
    await master.writeSingleRegister(2, 4, 44);
    expect(await master.readHoldingRegisters(2, 4, 1)).toEqual([44]);
    expect(master.stats(2).echoes).toBe(2);
  });
});

describe('ModbusRtuMaster timing under a manual clock', () => {
  // The request's 8 bytes on the wire, and the first character of the reply.
  const wire = wireTimeMs(DEFAULT_SERIAL_SETTINGS, 8) + wireTimeMs(DEFAULT_SERIAL_SETTINGS, 1);

  it('waits the timeout for the reply to begin after the request; a retry needs no gap, the line has been quiet longer', async () => {
    const time = manualTime();
    const line = await openMockLine(() => []);
    const master = new ModbusRtuMaster(line.channel, {
      timing: { timeoutMs: 1000, retries: 3, interFrameGapMs: 50 },
      clock: time.clock,
      timers: time.timers,
    });
    const outcome = master.readHoldingRegisters(2, 0x0100, 1).catch((error: unknown) => error);
    await time.advance(0);
    expect(line.requests).toHaveLength(1);
    await time.advance(1000 + wire - 0.01);
    expect(line.requests).toHaveLength(1);
    await time.advance(0.02);
    expect(line.requests).toHaveLength(2);
    await time.advance(3 * (1000 + wire));
    const error = await outcome;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('MODBUS_TIMEOUT');
    expect(line.requests.map((r) => toHex(r))).toEqual(
      new Array(4).fill(toHex(encodeRequest({ fc: 3, slave: 2, address: 0x0100, count: 1 }))),
    );
    expect(time.pending()).toBe(0);
    await master.close();
  });

  it('gives a reply that has begun in time its own wire time, and the timeout again for a slow adapter', async () => {
    const time = manualTime();
    const line = await openMockLine(
      (bytes) => {
        const reply = encodeReply(answer({ 2: holding(2) }, bytes)!);
        // The first bytes within the 10 ms, the rest only at 18 ms (an adapter that holds bytes back).
        return [
          { bytes: reply.slice(0, 3), delayMs: 10 },
          { bytes: reply.slice(3), delayMs: 18 },
        ];
      },
      { schedule: (send, delayMs) => time.timers.setTimeout(send, delayMs) },
    );
    const master = new ModbusRtuMaster(line.channel, {
      timing: { timeoutMs: 10, retries: 0, interFrameGapMs: 0 },
      clock: time.clock,
      timers: time.timers,
    });
    const read = master.readHoldingRegisters(2, 0, 1);
    for (let t = 0; t < 25; t += 0.5) {
      await time.advance(0.5);
    }
    expect(await read).toEqual([2000]);
    await master.close();
  });

  it('sends the next request only once the line has been quiet for the gap after a reply', async () => {
    const time = manualTime();
    const line = await openMockLine(registerSlaves({ 2: holding(2) }));
    const master = new ModbusRtuMaster(line.channel, {
      timing: { timeoutMs: 1000, retries: 3, interFrameGapMs: 50 },
      clock: time.clock,
      timers: time.timers,
    });
    const first = master.readHoldingRegisters(2, 0, 1);
    const second = master.readHoldingRegisters(2, 1, 1);
    await time.advance(0);
    expect(await first).toEqual([2000]);
    expect(line.requests).toHaveLength(1);
    await time.advance(49.9);
    expect(line.requests).toHaveLength(1);
    await time.advance(0.2);
    expect(line.requests).toHaveLength(2);
    expect(await second).toEqual([2001]);
    expect(time.pending()).toBe(0);
    await master.close();
  });
});

describe('late replies', () => {
  /** Slave 2 answers 9 ms late (after its 4 ms wait); slave 3 answers after 8 ms, or not at all. */
  async function slowSlaveTwo(slaveThree: 'answers' | 'absent') {
    const time = manualTime();
    const line = await openMockLine(
      (bytes) => {
        const reply = answer({ 2: holding(2), 3: holding(3) }, bytes);
        if (!reply || (reply.slave === 3 && slaveThree === 'absent')) {
          return [];
        }
        return [{ bytes: encodeReply(reply), delayMs: reply.slave === 2 ? 9 : 8 }];
      },
      { schedule: (send, delayMs) => time.timers.setTimeout(send, delayMs) },
    );
    const master = new ModbusRtuMaster(line.channel, {
      timing: { timeoutMs: 4, retries: 0, interFrameGapMs: 0 },
      clock: time.clock,
      timers: time.timers,
    });
    const late: { slave: number; afterMs: number }[] = [];
    master.onLateReply((reply) => late.push({ slave: reply.slave, afterMs: reply.afterMs }));
    const settled = <T>(promise: Promise<T>): (() => { value?: T; error?: unknown }) => {
      const state: { value?: T; error?: unknown } = {};
      promise.then(
        (value) => (state.value = value),
        (error: unknown) => (state.error = error),
      );
      return () => state;
    };
    const two = settled(master.readHoldingRegisters(2, 0, 1));
    const three = settled(master.readHoldingRegisters(3, 0, 1, { timeoutMs: 12 }));
    for (let t = 0; t < 60; t += 0.5) {
      await time.advance(0.5);
    }
    return { master, late, two: two(), three: three() };
  }

  it('matches a late reply to its request and never hands it to the request asked since', async () => {
    const { master, late, two, three } = await slowSlaveTwo('answers');
    expect((two.error as AppError).code).toBe('MODBUS_TIMEOUT');
    expect(three.value).toEqual([3000]);
    expect(late).toEqual([{ slave: 2, afterMs: 9 }]);
    expect(master.stats(2)).toMatchObject({ timeouts: 1, lateReplies: 1 });
    expect(master.stats(3)).toMatchObject({ wrongSlaveReplies: 0, lateReplies: 0 });
    await master.close();
  });

  it('leaves the next request timed out, not answered by the wrong slave, when only the late reply comes', async () => {
    const { master, late, three } = await slowSlaveTwo('absent');
    expect((three.error as AppError).code).toBe('MODBUS_TIMEOUT');
    expect(late.map((l) => l.slave)).toEqual([2]);
    await master.close();
  });
});
