/**
 * Our Modbus RTU master against libmodbus's, on the same socat pty and the same pymodbus slave:
 * transactions per second (FC03 × 10 registers, back to back) and the time to scan a range of addresses.
 * Run: npx tsx bench/rs485-master.ts. Prints figures and ratios; asserts nothing about absolute times
 * (a pty ignores the baud rate, so these measure software overhead, not the wire).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import { SerialPort } from 'serialport';

import { busSettings } from '../electron/core/rs485/busTiming';
import { encodeRequest, expectedReplyLength } from '../electron/core/rs485/frame';
import { connectBus, type Rs485Bus } from '../electron/core/rs485/connectBus';
import { scanBus } from '../electron/core/rs485/scan';
import { startPtyPair } from '../test/support/rs485/ptyPair';
import { startPymodbusSlave } from '../test/support/rs485/pymodbusSlave';

const run = promisify(execFile);

const ROUNDS = 6;
const TX_PER_ROUND = 300;
const SCAN_FROM = 1;
const SCAN_TO = 32;
const SCAN_TIMEOUT_MS = 50;
const SLAVES = ['1:2', '2:3'];

type Timed = { ok: number; n: number; ms: number };

async function compileLibmodbusMaster(dir: string): Promise<string> {
  const source = join(import.meta.dirname, 'rs485-libmodbus-master.c');
  const binary = join(dir, 'libmodbus-master');
  let flags = ['-I/usr/include/modbus', '-lmodbus'];
  try {
    flags = (await run('pkg-config', ['--cflags', '--libs', 'libmodbus'])).stdout.trim().split(/\s+/);
  } catch {
    // pkg-config is optional; Debian's libmodbus-dev puts the header where the default flags look.
  }
  try {
    await run('cc', ['-O2', '-o', binary, source, ...flags]);
  } catch (error) {
    throw new Error(
      `Could not compile the libmodbus master (apt-get install libmodbus-dev gcc): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return binary;
}

async function libmodbus(binary: string, args: string[]): Promise<Timed> {
  const { stdout } = await run(binary, args, { timeout: 60_000 });
  return JSON.parse(stdout) as Timed;
}

async function waitForSlave(bus: Rs485Bus): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await bus.master.readHoldingRegisters(1, 0, 1, { timeoutMs: 100, retries: 0 });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
    }
  }
}

async function ours<T>(path: string, use: (bus: Rs485Bus) => Promise<T>): Promise<T> {
  // No inter-frame gap, as libmodbus keeps none at 115200 on its own; the bus default is the firmware's 50 ms.
  const bus = await connectBus(busSettings(path, { interFrameGapMs: 0, timeoutMs: 1000, retries: 0 }));
  try {
    return await use(bus);
  } finally {
    await bus.release();
  }
}

/** The same exchange with serialport alone (no codec, no CRC check, no timers): the floor under our master. */
async function rawSerialport(path: string, count: number): Promise<Timed> {
  const request = { fc: 0x03, slave: 1, address: 0, count: 10 } as const;
  const bytes = Buffer.from(encodeRequest(request));
  const replyLength = expectedReplyLength(request);
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let received = 0;
  let wake: (() => void) | null = null;
  port.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received >= replyLength) {
      received = 0;
      wake?.();
    }
  });
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      port.write(bytes);
    });
  }
  const ms = performance.now() - t0;
  await new Promise<void>((resolve) => port.close(() => resolve()));
  return { ok: count, n: count, ms };
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);
const rate = (t: Timed): number => (t.n / t.ms) * 1000;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function main(): Promise<void> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'ohtw-bench-rs485-'));
  const pty = await startPtyPair();
  const slave = await startPymodbusSlave(pty.b, SLAVES);
  try {
    const binary = await compileLibmodbusMaster(dir);
    await ours(pty.a, waitForSlave);

    // Warm both up once, then measure.
    await ours(pty.a, async (bus) => {
      for (let i = 0; i < 100; i += 1) {
        await bus.master.readHoldingRegisters(1, 0, 10);
      }
    });
    await libmodbus(binary, ['tx', pty.a, '1', '100']);

    // Rounds in turn, medians reported: the machine's load drifts, and each master should see the same drift.
    const ourRates: number[] = [];
    const refRates: number[] = [];
    const rawRates: number[] = [];
    let ourOk = 0;
    let refOk = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const runOurs = (): Promise<Timed> =>
        ours(pty.a, async (bus) => {
          const t0 = performance.now();
          let ok = 0;
          for (let i = 0; i < TX_PER_ROUND; i += 1) {
            ok += (await bus.master.readHoldingRegisters(1, 0, 10)).length === 10 ? 1 : 0;
          }
          return { ok, n: TX_PER_ROUND, ms: performance.now() - t0 };
        });
      const runRef = (): Promise<Timed> => libmodbus(binary, ['tx', pty.a, '1', String(TX_PER_ROUND)]);
      const runRaw = (): Promise<Timed> => rawSerialport(pty.a, TX_PER_ROUND);
      // Each master goes first in turn.
      const order = [runOurs, runRef, runRaw];
      const results = new Map<() => Promise<Timed>, Timed>();
      for (let k = 0; k < order.length; k += 1) {
        const next = order[(round + k) % order.length]!;
        results.set(next, await next());
      }
      const ourTx = results.get(runOurs)!;
      const refTx = results.get(runRef)!;
      const rawTx = results.get(runRaw)!;
      ourRates.push(rate(ourTx));
      refRates.push(rate(refTx));
      rawRates.push(rate(rawTx));
      ourOk += ourTx.ok;
      refOk += refTx.ok;
    }

    const ourFixedScan = await ours(pty.a, async (bus) => {
      const t0 = performance.now();
      let found = 0;
      for (let address = SCAN_FROM; address <= SCAN_TO; address += 1) {
        try {
          await bus.master.readHoldingRegisters(address, 0x0100, 1, { timeoutMs: SCAN_TIMEOUT_MS, retries: 0 });
          found += 1;
        } catch {
          // Nobody at this address.
        }
      }
      return { ok: found, n: SCAN_TO - SCAN_FROM + 1, ms: performance.now() - t0 };
    });
    const refScan = await libmodbus(binary, [
      'scan',
      pty.a,
      String(SCAN_FROM),
      String(SCAN_TO),
      String(SCAN_TIMEOUT_MS),
    ]);
    const fullScan = await ours(pty.a, (bus) => scanBus(bus.master, { from: SCAN_FROM, to: SCAN_TO }));

    const ourRate = median(ourRates);
    const refRate = median(refRates);
    console.log(`RS485 master benchmark on a socat pty against pymodbus (slaves ${SLAVES.join(', ')})`);
    console.log('');
    console.log(`FC03 ×10 registers back to back: ${ROUNDS} rounds of ${TX_PER_ROUND}, median of the rounds`);
    console.log(`  ours      ${fmt(ourRate).padStart(6)} tx/s  (${ourOk}/${ROUNDS * TX_PER_ROUND} ok)`);
    console.log(`  libmodbus ${fmt(refRate).padStart(6)} tx/s  (${refOk}/${ROUNDS * TX_PER_ROUND} ok)`);
    console.log(`  ratio ours/libmodbus: ${fmt(ourRate / refRate, 2)}`);
    console.log(
      `  (serialport alone, no Modbus at all: ${fmt(median(rawRates))} tx/s, the floor under any master on Node's serialport)`,
    );
    console.log('');
    console.log(
      `Scan ${SCAN_FROM}..${SCAN_TO}, one FC03 read of 0x0100 per address, ${SCAN_TIMEOUT_MS} ms timeout, no retry`,
    );
    console.log(`  ours      ${fmt(ourFixedScan.ms).padStart(6)} ms  (${ourFixedScan.ok} found)`);
    console.log(`  libmodbus ${fmt(refScan.ms).padStart(6)} ms  (${refScan.ok} found)`);
    console.log(`  ratio ours/libmodbus (time): ${fmt(ourFixedScan.ms / refScan.ms, 2)}`);
    console.log('');
    console.log(
      `scanBus ${SCAN_FROM}..${SCAN_TO} as the app runs it (calibrated probe timeout, 1 retry, identity reads of each module):`,
    );
    console.log(
      `  ${fmt(fullScan.durationMs)} ms, ${fullScan.modules.length} module(s), probe timeout ended at ${fullScan.probeTimeoutMs} ms`,
    );
    console.log(`  ratio to the libmodbus scan (time): ${fmt(fullScan.durationMs / refScan.ms, 2)}`);
    console.log('');
    console.log(`(bench took ${fmt((performance.now() - started) / 1000, 1)} s)`);
  } finally {
    await slave.stop();
    await pty.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
