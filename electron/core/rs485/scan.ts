/**
 * Bus scan: which addresses answer, and who each module says it is (scanModule.ts reads one address). Works over
 * any ModbusMaster, one request on the line at a time.
 *
 * The quick pass asks each address once, without retries, waiting as long as the baud rate and the answers seen so
 * far call for: a present module answers within a few milliseconds, so an empty address costs little more than
 * that. A module that answers after the quick wait is not lost: the master recognises its late reply (slave,
 * function, CRC), never takes it for the next address's answer, and the scan asks that module again with the
 * bus's own timeout; so are addresses where garbled bytes came back (a late reply colliding with the next request).
 * A thorough scan (`timeoutMs`, `retries`: the bus's own) is what the technician asks for addresses expected but
 * not found.
 */
import { AppError, isAppError } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import { systemTimers, type Timers } from '../ports/Timers';
import { calibratedTimeoutMs, initialScanTimeoutMs, type CharacterFormat } from './busTiming';
import { MODBUS_LIMITS } from './frame';
import { guessRole } from './frameMeaning';
import { DEFAULT_SERIAL_SETTINGS, type BusFrame, type ModbusMaster } from './modbusTypes';
import { preciseClock } from './preciseClock';
import { codeOf, probeAddress, type ProbeOutcome, type ScannedModule, type ScanSuspect } from './scanModule';

export * from './scanModule';

export type ScanProgress = { address: number; done: number; total: number; found: number; timeoutMs: number };

export type ScanOptions = {
  from?: number;
  to?: number;
  /** These addresses instead of the range (a thorough look at the ones expected but not found). */
  addresses?: readonly number[];
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
  /** For the wire-time part of the calibration; default 115200 8N1. */
  format?: CharacterFormat;
  /** A fixed probe timeout (a thorough scan: the bus's own); calibrated to the baud rate and the answers without it. */
  timeoutMs?: number;
  /** Probe attempts after a timeout: none in the quick pass (default); the bus's own in a thorough scan. */
  retries?: number;
  /** How long a second look at a slow or garbled address waits (the bus's own timeout); 1000 ms unless told. */
  slowTimeoutMs?: number;
  clock?: Clock;
  timers?: Timers;
};

export type ScanResult = {
  from: number;
  to: number;
  /** The addresses asked, in order. */
  addresses: number[];
  durationMs: number;
  modules: ScannedModule[];
  suspects: ScanSuspect[];
  /** The probe timeout in use at the end (after calibration). */
  probeTimeoutMs: number;
  cancelled: boolean;
};

function checkAddress(name: string, value: number): void {
  if (!Number.isInteger(value) || value < MODBUS_LIMITS.minSlave || value > MODBUS_LIMITS.maxSlave) {
    throw new AppError(
      'VALIDATION',
      `${name} must be a slave address from ${MODBUS_LIMITS.minSlave} to ${MODBUS_LIMITS.maxSlave}, not ${String(value)}`,
    );
  }
}

/** The addresses a scan asks, in order, each once. */
export function scanAddresses(options: Pick<ScanOptions, 'from' | 'to' | 'addresses'>): number[] {
  if (options.addresses !== undefined) {
    options.addresses.forEach((address) => checkAddress('an address', address));
    if (options.addresses.length === 0) {
      throw new AppError('VALIDATION', 'The scan names no address');
    }
    return [...new Set(options.addresses)].sort((a, b) => a - b);
  }
  const from = options.from ?? MODBUS_LIMITS.minSlave;
  const to = options.to ?? MODBUS_LIMITS.maxSlave;
  checkAddress('from', from);
  checkAddress('to', to);
  if (from > to) {
    throw new AppError('VALIDATION', `The scan range is empty: from ${from} is above to ${to}`);
  }
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Replies counted per address against requests sent to it: more replies than requests means two answerers. */
function replyTally(): { listener: (frame: BusFrame) => void; duplicated: (address: number) => boolean } {
  const sent = new Map<number, number>();
  const replies = new Map<number, number>();
  return {
    listener: (frame) => {
      const slave = frame.bytes[0];
      if (slave === undefined) {
        return;
      }
      if (frame.direction === 'tx') {
        sent.set(slave, (sent.get(slave) ?? 0) + 1);
      } else if (frame.crcOk && frame.bytes.length >= 5 && guessRole(frame.bytes) !== 'request') {
        replies.set(slave, (replies.get(slave) ?? 0) + 1);
      }
    },
    duplicated: (address) => (replies.get(address) ?? 0) > (sent.get(address) ?? 0),
  };
}

/** How late each scanned address first answered after its probe had stopped waiting, until stop(). */
function lateAnswers(
  master: ModbusMaster,
  wanted: ReadonlySet<number>,
): { late: Map<number, number>; stop: () => void } {
  const late = new Map<number, number>();
  const stop = master.onLateReply((reply) => {
    if (wanted.has(reply.slave) && !late.has(reply.slave)) {
      late.set(reply.slave, reply.afterMs);
    }
  });
  return { late, stop };
}

/** Scans the addresses (default 1..247) and identifies each module that answers. */
export async function scanBus(master: ModbusMaster, options: ScanOptions = {}): Promise<ScanResult> {
  const addresses = scanAddresses(options);
  const clock = options.clock ?? preciseClock;
  const format = options.format ?? DEFAULT_SERIAL_SETTINGS;
  const signal = options.signal;
  const measured: number[] = [];
  const probeTimeout = (): number =>
    options.timeoutMs ??
    calibratedTimeoutMs({ format, latenciesMs: measured, ceilingMs: initialScanTimeoutMs(format) });
  const { late, stop: stopLate } = lateAnswers(master, new Set(addresses));
  const tally = replyTally();
  const stopTally = master.onFrame(tally.listener);
  const startedAt = clock.now();
  const outcomes = new Map<number, ProbeOutcome>();
  const found = (): number => [...outcomes.values()].filter((o) => o.kind === 'module').length;
  let cancelled = false;
  const ask = async (address: number, probe: { timeoutMs: number; retries: number }): Promise<boolean> => {
    if (signal?.aborted) {
      cancelled = true;
      return false;
    }
    try {
      outcomes.set(address, await probeAddress(master, address, { ...probe, signal }, measured));
      return true;
    } catch (error) {
      if (codeOf(error) === 'CANCELLED') {
        cancelled = true;
        return false;
      }
      throw stoppedAt(
        error,
        address,
        [...outcomes.entries()].filter(([, o]) => o.kind === 'module').map(([a]) => a),
      );
    }
  };
  try {
    for (const [done, address] of addresses.entries()) {
      options.onProgress?.({ address, done, total: addresses.length, found: found(), timeoutMs: probeTimeout() });
      if (!(await ask(address, { timeoutMs: probeTimeout(), retries: options.retries ?? 0 }))) {
        break;
      }
    }
    // The last addresses' late replies get as long to arrive as the quick pass gave a probe before it had measured
    // anything; then a second look, with the bus's own timeout, at what the quick pass could not settle.
    if (!cancelled && options.timeoutMs === undefined) {
      await pause(options.timers ?? systemTimers, initialScanTimeoutMs(format));
    }
    for (const address of cancelled ? [] : addresses.filter((a) => needsSecondLook(outcomes.get(a), late.has(a)))) {
      if (!(await ask(address, { timeoutMs: options.slowTimeoutMs ?? 1000, retries: 1 }))) {
        break;
      }
    }
  } finally {
    stopLate();
    stopTally();
  }
  const result = collect(outcomes, late, tally.duplicated);
  const total = addresses.length;
  options.onProgress?.({
    address: addresses[total - 1] ?? 0,
    done: total,
    total,
    found: found(),
    timeoutMs: probeTimeout(),
  });
  return {
    from: addresses[0] ?? 0,
    to: addresses[total - 1] ?? 0,
    addresses,
    durationMs: clock.now() - startedAt,
    ...result,
    probeTimeoutMs: probeTimeout(),
    cancelled,
  };
}

/** A module's late reply came in after its quick probe gave up, or garbled bytes came back there. */
function needsSecondLook(outcome: ProbeOutcome | undefined, answeredLate: boolean): boolean {
  if (outcome?.kind === 'absent') {
    return answeredLate;
  }
  return (
    outcome?.kind === 'suspect' &&
    (outcome.suspect.code === 'MODBUS_CRC' || outcome.suspect.code === 'MODBUS_BAD_FRAME')
  );
}

function collect(
  outcomes: ReadonlyMap<number, ProbeOutcome>,
  late: ReadonlyMap<number, number>,
  duplicated: (address: number) => boolean,
): { modules: ScannedModule[]; suspects: ScanSuspect[] } {
  const modules: ScannedModule[] = [];
  const suspects: ScanSuspect[] = [];
  for (const [address, outcome] of [...outcomes.entries()].sort(([a], [b]) => a - b)) {
    if (outcome.kind === 'module') {
      const module = outcome.module;
      const lateMs = late.get(address);
      if (lateMs !== undefined) {
        module.lateMs = lateMs;
        module.notes.push(`slow: answered the quick probe only after ${Math.round(lateMs)} ms`);
      }
      if (duplicated(address)) {
        module.possibleDuplicate = true;
        module.notes.push('more replies than requests: two modules may share this address');
      }
      modules.push(module);
    } else if (outcome.kind === 'suspect') {
      suspects.push({
        ...outcome.suspect,
        possibleDuplicate: outcome.suspect.possibleDuplicate || duplicated(address),
      });
    }
  }
  return { modules, suspects };
}

function stoppedAt(error: unknown, address: number, found: number[]): unknown {
  if (codeOf(error) !== 'SERIAL_PORT_CLOSED' || !isAppError(error)) {
    return error;
  }
  return new AppError(
    'SERIAL_PORT_CLOSED',
    `${error.message}; the scan stopped at address ${address} with ${found.length} module(s) found`,
    { details: { ...error.details, stoppedAt: address, found }, cause: error },
  );
}

function pause(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}
