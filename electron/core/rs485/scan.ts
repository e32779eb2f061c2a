/**
 * Bus scan: which addresses answer, and who each module says it is, read the way the OHT-50 firmware does
 * (FC03 0x0100 device id, falling back to 0x0000; then 0x0104 module type, the 0x0105-0x0108 versions, status
 * and error, and the optional 0x00F8-0x00FF name/serial block). Works over any ModbusMaster.
 */
import { AppError, isAppError, type ErrorCode } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import { calibratedTimeoutMs, initialScanTimeoutMs, type CharacterFormat } from './busTiming';
import { MODBUS_LIMITS, guessRole } from './frame';
import { DEFAULT_SERIAL_SETTINGS, type BusFrame, type ModbusMaster } from './modbusTypes';
import { preciseClock } from './preciseClock';

export const REG_IDENTITY_BLOCK = 0x00f8;
export const REG_DEVICE_ID = 0x0100;
export const REG_MODULE_TYPE = 0x0104;
export const REG_FIRMWARE_VERSION = 0x0105;
export const REG_HARDWARE_VERSION = 0x0106;
export const REG_SYSTEM_STATUS = 0x0107;
export const REG_SYSTEM_ERROR = 0x0108;

/** Module-type values of register 0x0104 in the firmware's register map. */
export const MODULE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x0002: 'Power',
  0x0003: 'Safety',
  0x0004: 'Travel Motor',
  0x0005: 'Dock & Location',
};

export function moduleTypeName(type: number | null): string {
  if (type === null) {
    return 'unknown';
  }
  return MODULE_TYPE_NAMES[type] ?? `unknown (0x${type.toString(16).padStart(4, '0')})`;
}

/** BCD-like versions: 0x0102 → "1.02". */
export function formatVersion(raw: number | null): string | null {
  if (raw === null) {
    return null;
  }
  return `${(raw >>> 8).toString(16)}.${(raw & 0xff).toString(16).padStart(2, '0')}`;
}

/** The optional 0x00F8-0x00FF block. */
export type ModuleIdentity = {
  /** 0x00F8/0x00F9 read as four ASCII characters, when they are printable. */
  name: string | null;
  nameWords: [number, number];
  hardwareVersionAlt: number;
  serialNumber: number;
  buildDate: number;
  checksum: number;
};

export type ScannedModule = {
  address: number;
  /** Register 0x0100; null when the module refused it and answered at 0x0000 instead. */
  deviceId: number | null;
  /** The module type: 0x0104's value, or inferred from the address when 0x0104 is 0, unknown or missing. */
  type: number | null;
  typeRaw: number | null;
  typeInferred: boolean;
  typeName: string;
  firmwareVersion: string | null;
  hardwareVersion: string | null;
  status: number | null;
  error: number | null;
  identity: ModuleIdentity | null;
  /** Round trip of the probe read, in ms. */
  latencyMs: number | null;
  /** More replies came from this address than requests went to it: two modules may share it. */
  possibleDuplicate: boolean;
  notes: string[];
};

/** An address where something answered but no module could be read: garbled or foreign replies. */
export type ScanSuspect = { address: number; code: ErrorCode; reason: string; possibleDuplicate: boolean };

export type ScanProgress = { address: number; done: number; total: number; found: number; timeoutMs: number };

export type ScanOptions = {
  from?: number;
  to?: number;
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
  /** For the wire-time part of the calibration; default 115200 8N1. */
  format?: CharacterFormat;
  /** A fixed probe timeout; without it the probe timeout is calibrated to the baud rate and the latency measured. */
  timeoutMs?: number;
  /**
   * Probe attempts after a timeout (default 1), each with a longer wait than the first; identity reads of a
   * found module use the bus settings.
   */
  retries?: number;
  clock?: Clock;
};

export type ScanResult = {
  from: number;
  to: number;
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

const codeOf = (error: unknown): ErrorCode | null => (isAppError(error) ? error.code : null);

/** Errors that end the scan rather than describe one address. */
const isFatal = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === 'SERIAL_PORT_CLOSED' || code === 'CANCELLED' || code === null || code === 'INTERNAL';
};

function asciiName(words: [number, number]): string | null {
  const bytes = [words[0] >>> 8, words[0] & 0xff, words[1] >>> 8, words[1] & 0xff];
  if (!bytes.every((b) => b >= 0x20 && b < 0x7f)) {
    return null;
  }
  return String.fromCharCode(...bytes).trimEnd();
}

/** Scans `from`..`to` (default 1..247) and identifies each module that answers. */
export async function scanBus(master: ModbusMaster, options: ScanOptions = {}): Promise<ScanResult> {
  const from = options.from ?? MODBUS_LIMITS.minSlave;
  const to = options.to ?? MODBUS_LIMITS.maxSlave;
  checkAddress('from', from);
  checkAddress('to', to);
  if (from > to) {
    throw new AppError('VALIDATION', `The scan range is empty: from ${from} is above to ${to}`);
  }
  const clock = options.clock ?? preciseClock;
  const format = options.format ?? DEFAULT_SERIAL_SETTINGS;
  const retries = options.retries ?? 1;
  const signal = options.signal;
  const ceilingMs = options.timeoutMs ?? initialScanTimeoutMs(format);
  const measured: number[] = [];
  const probeTimeout = (): number =>
    options.timeoutMs ?? calibratedTimeoutMs({ format, latenciesMs: measured, ceilingMs });

  // Replies counted per address, against requests sent to it: more replies than requests means two answerers.
  const sent = new Map<number, number>();
  const replies = new Map<number, number>();
  const tally = (frame: BusFrame): void => {
    const slave = frame.bytes[0];
    if (slave === undefined) {
      return;
    }
    if (frame.direction === 'tx') {
      sent.set(slave, (sent.get(slave) ?? 0) + 1);
    } else if (frame.crcOk && frame.bytes.length >= 5 && guessRole(frame.bytes) !== 'request') {
      replies.set(slave, (replies.get(slave) ?? 0) + 1);
    }
  };
  const unsubscribe = master.onFrame(tally);

  const startedAt = clock.now();
  const modules: ScannedModule[] = [];
  const suspects: ScanSuspect[] = [];
  let cancelled = false;
  const total = to - from + 1;
  try {
    for (let address = from; address <= to; address += 1) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      options.onProgress?.({ address, done: address - from, total, found: modules.length, timeoutMs: probeTimeout() });
      try {
        const timeoutMs = probeTimeout();
        // A retry waits longer: a module that was slow once is still found; an empty address costs little more,
        // since the inter-frame gap is usually longer than either wait.
        const retryTimeoutMs = options.timeoutMs ?? Math.min(ceilingMs, Math.max(timeoutMs * 3, timeoutMs + 20));
        const found = await probeAddress(master, address, { timeoutMs, retryTimeoutMs, retries, signal }, measured);
        if (found.kind === 'module') {
          modules.push(found.module);
        } else if (found.kind === 'suspect') {
          suspects.push(found.suspect);
        }
      } catch (error) {
        if (codeOf(error) === 'CANCELLED') {
          cancelled = true;
          break;
        }
        if (codeOf(error) === 'SERIAL_PORT_CLOSED' && isAppError(error)) {
          throw new AppError(
            'SERIAL_PORT_CLOSED',
            `${error.message}; the scan stopped at address ${address} with ${modules.length} module(s) found`,
            {
              details: { ...error.details, stoppedAt: address, found: modules.map((m) => m.address) },
              cause: error,
            },
          );
        }
        throw error;
      }
    }
  } finally {
    unsubscribe();
  }
  for (const module of modules) {
    if ((replies.get(module.address) ?? 0) > (sent.get(module.address) ?? 0)) {
      module.possibleDuplicate = true;
      module.notes.push('more replies than requests: two modules may share this address');
    }
  }
  for (const suspect of suspects) {
    if ((replies.get(suspect.address) ?? 0) > (sent.get(suspect.address) ?? 0)) {
      suspect.possibleDuplicate = true;
    }
  }
  options.onProgress?.({ address: to, done: total, total, found: modules.length, timeoutMs: probeTimeout() });
  return {
    from,
    to,
    durationMs: clock.now() - startedAt,
    modules,
    suspects,
    probeTimeoutMs: probeTimeout(),
    cancelled,
  };
}

type ProbeOutcome =
  { kind: 'absent' } | { kind: 'module'; module: ScannedModule } | { kind: 'suspect'; suspect: ScanSuspect };

type ProbeOptions = { timeoutMs: number; retryTimeoutMs: number; retries: number; signal: AbortSignal | undefined };

/** One probe read: the first attempt with the calibrated timeout, the retries with the longer one. */
async function probeRead(
  master: ModbusMaster,
  address: number,
  register: number,
  probe: ProbeOptions,
): Promise<number[]> {
  for (let attempt = 0; ; attempt += 1) {
    const timeoutMs = attempt === 0 ? probe.timeoutMs : probe.retryTimeoutMs;
    try {
      return await master.readHoldingRegisters(address, register, 1, { timeoutMs, retries: 0, signal: probe.signal });
    } catch (error) {
      if (codeOf(error) !== 'MODBUS_TIMEOUT' || attempt >= probe.retries) {
        throw error;
      }
    }
  }
}

async function probeAddress(
  master: ModbusMaster,
  address: number,
  probe: ProbeOptions,
  measured: number[],
): Promise<ProbeOutcome> {
  const notes: string[] = [];
  let deviceId: number | null = null;
  try {
    deviceId = (await probeRead(master, address, REG_DEVICE_ID, probe))[0] ?? null;
  } catch (error) {
    if (isFatal(error)) {
      throw error;
    }
    const code = codeOf(error);
    if (code === 'MODBUS_TIMEOUT' || isGatewayNoTarget(error)) {
      return { kind: 'absent' };
    }
    if (code !== 'MODBUS_EXCEPTION') {
      return { kind: 'suspect', suspect: suspectFrom(address, error) };
    }
    // The firmware's fallback: a module without 0x0100 may still answer at 0x0000.
    try {
      await probeRead(master, address, 0x0000, probe);
      notes.push('refuses the device id register 0x0100; answers at 0x0000');
    } catch (fallbackError) {
      if (isFatal(fallbackError)) {
        throw fallbackError;
      }
      notes.push(`refuses 0x0100 and 0x0000 (${fallbackError instanceof Error ? fallbackError.message : ''})`);
    }
  }
  const latencies = master.stats(address).latenciesMs;
  const latencyMs = latencies.length > 0 ? (latencies[latencies.length - 1] ?? null) : null;
  if (latencyMs !== null) {
    measured.push(latencyMs);
  }
  if (deviceId !== null && deviceId !== address) {
    notes.push(`its device id register says ${deviceId}, not ${address}`);
  }

  // A module is there: read who it is with the bus's own timeout and retries.
  const readOptions = { signal: probe.signal };
  const optional = async (register: number, count: number, what: string): Promise<number[] | null> => {
    try {
      return await master.readHoldingRegisters(address, register, count, readOptions);
    } catch (error) {
      if (isFatal(error)) {
        throw error;
      }
      if (codeOf(error) !== 'MODBUS_EXCEPTION') {
        notes.push(`could not read the ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return null;
    }
  };

  const typeRaw = (await optional(REG_MODULE_TYPE, 1, 'module type'))?.[0] ?? null;
  let versions = await optional(REG_FIRMWARE_VERSION, 4, 'versions, status and error');
  if (versions === null) {
    // One missing register refuses the whole block: read them one by one.
    versions = [];
    for (const [register, what] of [
      [REG_FIRMWARE_VERSION, 'firmware version'],
      [REG_HARDWARE_VERSION, 'hardware version'],
      [REG_SYSTEM_STATUS, 'system status'],
      [REG_SYSTEM_ERROR, 'system error'],
    ] as const) {
      versions.push((await optional(register, 1, what))?.[0] ?? -1);
    }
  }
  const value = (i: number): number | null => {
    const v = versions[i];
    return v === undefined || v < 0 ? null : v;
  };
  const block = await optional(REG_IDENTITY_BLOCK, 8, 'name and serial block');
  const identity: ModuleIdentity | null =
    block === null || block.length < 8
      ? null
      : {
          nameWords: [block[0] ?? 0, block[1] ?? 0],
          name: asciiName([block[0] ?? 0, block[1] ?? 0]),
          hardwareVersionAlt: block[2] ?? 0,
          serialNumber: (((block[4] ?? 0) << 16) | (block[3] ?? 0)) >>> 0,
          buildDate: (((block[6] ?? 0) << 16) | (block[5] ?? 0)) >>> 0,
          checksum: block[7] ?? 0,
        };

  const known = typeRaw !== null && MODULE_TYPE_NAMES[typeRaw] !== undefined;
  const inferred = !known && MODULE_TYPE_NAMES[address] !== undefined;
  const type = known ? typeRaw : inferred ? address : typeRaw;
  if (inferred) {
    notes.push(`module type ${typeRaw === null ? 'missing' : String(typeRaw)}: taken from the address`);
  }
  return {
    kind: 'module',
    module: {
      address,
      deviceId,
      type,
      typeRaw,
      typeInferred: inferred,
      typeName: moduleTypeName(type),
      firmwareVersion: formatVersion(value(0)),
      hardwareVersion: formatVersion(value(1)),
      status: value(2),
      error: value(3),
      identity,
      latencyMs,
      possibleDuplicate: false,
      notes,
    },
  };
}

/** Exceptions 0A/0B: a gateway (or a simulator) saying nobody is at that address, which is absence, not a module. */
function isGatewayNoTarget(error: unknown): boolean {
  const exceptionCode = isAppError(error) ? error.details?.exceptionCode : undefined;
  return exceptionCode === 0x0a || exceptionCode === 0x0b;
}

function suspectFrom(address: number, error: unknown): ScanSuspect {
  const code = codeOf(error) ?? 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const garbled = code === 'MODBUS_CRC' || code === 'MODBUS_BAD_FRAME';
  return {
    address,
    code,
    reason: garbled ? `garbled replies (two modules answering at once, or noise): ${message}` : message,
    possibleDuplicate: garbled,
  };
}
