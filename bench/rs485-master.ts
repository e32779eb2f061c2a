/**
 * Our Modbus RTU master on one socat pty against a pymodbus slave serving four modules (0x02..0x05, 115200 8N1):
 *
 *   - FC03 transactions per second, back to back, against libmodbus's master and against Node's serialport alone
 *     (the same request written and the reply's bytes counted: the floor under any master on Node);
 *   - the time to scan 1..247 as the technician waits for it: the whole `ohtw rs485 scan` command, the scan the
 *     bus page asks the core for (connected with the page's settings), and libmodbus's scan loop with the same
 *     per-address timeout as ours ended at.
 *
 * Run: npx tsx bench/rs485-master.ts. Prints figures and ratios; asserts nothing about absolute times (a pty
 * ignores the baud rate, so these measure software and scheduling, not the wire).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import { SerialPort } from 'serialport';

import { createCore } from '../electron/core/createCore';
import { silentLogger } from '../electron/core/ports/Logger';
import { busSettings } from '../electron/core/rs485/busTiming';
import { connectBus, type Rs485Bus } from '../electron/core/rs485/connectBus';
import { encodeRequest, expectedReplyLength } from '../electron/core/rs485/frame';
import { startPtyPair } from '../test/support/rs485/ptyPair';
import { startPymodbusSlave } from '../test/support/rs485/pymodbusSlave';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

const ROUNDS = 6;
const TX_PER_ROUND = 300;
const SCAN_ROUNDS = 3;
/** Power, Safety, Travel and Dock at their usual addresses, each reporting its module type. */
const SLAVES = ['2:2', '3:3', '4:4', '5:5'];

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
      `Could not compile the libmodbus master (bash scripts/setup.sh --test installs libmodbus-dev): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return binary;
}

async function libmodbus(binary: string, args: string[]): Promise<Timed> {
  const { stdout } = await run(binary, args, { timeout: 120_000 });
  return JSON.parse(stdout) as Timed;
}

async function waitForSlave(bus: Rs485Bus): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await bus.master.readHoldingRegisters(2, 0, 1, { timeoutMs: 100, retries: 0 });
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
  const request = { fc: 0x03, slave: 2, address: 0, count: 10 } as const;
  const bytes = Buffer.from(encodeRequest(request));
  const replyLength = expectedReplyLength(request);
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolvePromise, reject) => port.open((error) => (error ? reject(error) : resolvePromise())));
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
    await new Promise<void>((resolvePromise) => {
      wake = resolvePromise;
      port.write(bytes);
    });
  }
  const ms = performance.now() - t0;
  await new Promise<void>((resolvePromise) => port.close(() => resolvePromise()));
  return { ok: count, n: count, ms };
}

type ScanSummary = { ms: number; reportedMs: number; found: number[]; timeoutMs: number };

/** The whole `ohtw rs485 scan` command, a new process, as a technician runs it. */
async function cliScan(path: string): Promise<ScanSummary> {
  const started = performance.now();
  const { stdout } = await run(
    process.execPath,
    ['bin/ohtw.js', 'rs485', 'scan', '--port', path, '--from', '1', '--to', '247', '--json'],
    { cwd: ROOT, timeout: 300_000 },
  );
  const ms = performance.now() - started;
  const result = JSON.parse(stdout) as {
    durationMs: number;
    probeTimeoutMs?: number;
    modules: { address: number }[];
  };
  return {
    ms,
    reportedMs: result.durationMs,
    found: result.modules.map((m) => m.address),
    timeoutMs: result.probeTimeoutMs ?? Number.NaN,
  };
}

/** What the bus page does: connect with the page's own settings (the contract's defaults), then scan 1..247. */
async function pageScan(path: string): Promise<ScanSummary> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-bench-bus-'));
  const core = await createCore({ dataDir, face: 'browser', logger: silentLogger, env: {} });
  try {
    const connected = await core.dispatch('rs485.connect', { port: path, settings: {} });
    if (!connected.ok) {
      throw new Error(`rs485.connect failed: ${JSON.stringify(connected)}`);
    }
    const busId = (connected.value as { busId: string }).busId;
    const started = performance.now();
    const scanned = await core.dispatch('rs485.scan', { busId, from: 1, to: 247 });
    const ms = performance.now() - started;
    if (!scanned.ok) {
      throw new Error(`rs485.scan failed: ${JSON.stringify(scanned)}`);
    }
    const result = scanned.value as { durationMs: number; probeTimeoutMs: number; modules: { address: number }[] };
    await core.dispatch('rs485.release', { busId });
    return {
      ms,
      reportedMs: result.durationMs,
      found: result.modules.map((m) => m.address),
      timeoutMs: result.probeTimeoutMs,
    };
  } finally {
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);
const rate = (t: Timed): number => (t.n / t.ms) * 1000;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function transactions(path: string, binary: string): Promise<void> {
  // Warm each up once, then measure.
  await ours(path, async (bus) => {
    for (let i = 0; i < 100; i += 1) {
      await bus.master.readHoldingRegisters(2, 0, 10);
    }
  });
  await libmodbus(binary, ['tx', path, '2', '100']);
  await rawSerialport(path, 100);

  // Rounds in turn, medians reported: the machine's load drifts, and each master should see the same drift.
  const ourRates: number[] = [];
  const refRates: number[] = [];
  const rawRates: number[] = [];
  let ourOk = 0;
  let refOk = 0;
  const runOurs = (): Promise<Timed> =>
    ours(path, async (bus) => {
      const t0 = performance.now();
      let ok = 0;
      for (let i = 0; i < TX_PER_ROUND; i += 1) {
        ok += (await bus.master.readHoldingRegisters(2, 0, 10)).length === 10 ? 1 : 0;
      }
      return { ok, n: TX_PER_ROUND, ms: performance.now() - t0 };
    });
  const runRef = (): Promise<Timed> => libmodbus(binary, ['tx', path, '2', String(TX_PER_ROUND)]);
  const runRaw = (): Promise<Timed> => rawSerialport(path, TX_PER_ROUND);
  const order = [runOurs, runRef, runRaw];
  for (let round = 0; round < ROUNDS; round += 1) {
    const results = new Map<() => Promise<Timed>, Timed>();
    for (let k = 0; k < order.length; k += 1) {
      const next = order[(round + k) % order.length] as () => Promise<Timed>;
      results.set(next, await next());
    }
    const [ourTx, refTx, rawTx] = [runOurs, runRef, runRaw].map((f) => results.get(f) as Timed) as [
      Timed,
      Timed,
      Timed,
    ];
    ourRates.push(rate(ourTx));
    refRates.push(rate(refTx));
    rawRates.push(rate(rawTx));
    ourOk += ourTx.ok;
    refOk += refTx.ok;
  }
  const [ourRate, refRate, rawRate] = [median(ourRates), median(refRates), median(rawRates)];
  console.log(`FC03 ×10 registers back to back: ${ROUNDS} rounds of ${TX_PER_ROUND}, median of the rounds`);
  console.log(`  ours              ${fmt(ourRate).padStart(6)} tx/s  (${ourOk}/${ROUNDS * TX_PER_ROUND} ok)`);
  console.log(`  libmodbus         ${fmt(refRate).padStart(6)} tx/s  (${refOk}/${ROUNDS * TX_PER_ROUND} ok)`);
  console.log(
    `  serialport alone  ${fmt(rawRate).padStart(6)} tx/s  (no Modbus at all: the floor under a Node master)`,
  );
  console.log(`  ours / serialport alone = ${fmt(ourRate / rawRate, 2)}`);
  console.log(`  ours / libmodbus        = ${fmt(ourRate / refRate, 2)}`);
}

/** The run with the median time of three. */
const medianRun = (runs: ScanSummary[]): ScanSummary =>
  [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] as ScanSummary;

async function scans(path: string, binary: string): Promise<void> {
  // Each three times, in turn: the machine's load moves the calibrated wait (it follows the answers seen).
  const cliRuns: ScanSummary[] = [];
  const pageRuns: ScanSummary[] = [];
  for (let round = 0; round < SCAN_ROUNDS; round += 1) {
    cliRuns.push(await cliScan(path));
    pageRuns.push(await pageScan(path));
  }
  const cli = medianRun(cliRuns);
  const page = medianRun(pageRuns);
  // libmodbus with the per-address timeout our fast pass ended at (its own default would be 500 ms).
  const ended = Number.isFinite(cli.timeoutMs) ? cli.timeoutMs : page.timeoutMs;
  const timeoutMs = Math.max(1, Math.round(ended));
  const ref = await libmodbus(binary, ['scan', path, '1', '247', String(timeoutMs)]);
  const found = (s: ScanSummary): string => s.found.map((a) => `0x${a.toString(16).padStart(2, '0')}`).join(' ');
  console.log(`Scan 1..247 (4 modules present), the median of ${SCAN_ROUNDS} runs each:`);
  console.log(
    `  ohtw rs485 scan, whole command  ${fmt(cli.ms).padStart(6)} ms  (scan itself ${fmt(cli.reportedMs)} ms; found ${found(cli)}; probe timeout ended at ${fmt(cli.timeoutMs, 1)} ms)`,
  );
  console.log(
    `  bus page (rs485.scan)           ${fmt(page.ms).padStart(6)} ms  (found ${found(page)}; probe timeout ended at ${fmt(page.timeoutMs, 1)} ms)`,
  );
  console.log(
    `  libmodbus, ${timeoutMs} ms timeout       ${fmt(ref.ms).padStart(6)} ms  (${ref.ok} found; one read of 0x0100 per address, no identity reads)`,
  );
  console.log(
    `  CLI scan / libmodbus scan = ${fmt(cli.reportedMs / ref.ms, 2)}   page scan / libmodbus = ${fmt(page.ms / ref.ms, 2)}`,
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'ohtw-bench-rs485-'));
  const pty = await startPtyPair();
  const slave = await startPymodbusSlave(pty.b, SLAVES).catch(async (error: unknown) => {
    await pty.stop();
    throw error;
  });
  try {
    const binary = await compileLibmodbusMaster(dir);
    await ours(pty.a, waitForSlave);
    console.log(`RS485 master benchmark on a socat pty against pymodbus (slaves ${SLAVES.join(', ')})`);
    console.log('');
    await transactions(pty.a, binary);
    console.log('');
    await scans(pty.a, binary);
    console.log('');
    console.log(`(bench took ${fmt((performance.now() - started) / 1000, 1)} s)`);
  } finally {
    await slave.stop();
    await pty.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
