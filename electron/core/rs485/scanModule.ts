/**
 * One address of a bus scan: the probe read that tells whether anything answers there, then who the module says
 * it is, read the way the OHT-50 firmware does (FC03 0x0100 device id, falling back to 0x0000; then 0x0104 module
 * type, the 0x0105-0x0108 versions, status and error, and the optional 0x00F8-0x00FF name/serial block).
 */
import { isAppError, type ErrorCode } from '../../../shared/errors/AppError';
import type { ModbusMaster } from './modbusTypes';

export const REG_IDENTITY_BLOCK = 0x00f8;
export const REG_DEVICE_ID = 0x0100;
export const REG_MODULE_TYPE = 0x0104;
export const REG_FIRMWARE_VERSION = 0x0105;
export const REG_HARDWARE_VERSION = 0x0106;
export const REG_SYSTEM_STATUS = 0x0107;
export const REG_SYSTEM_ERROR = 0x0108;
/** 0x0100 (device id) to 0x0108 (system error), read as one block by the probe. */
const IDENTITY_WORDS = REG_SYSTEM_ERROR - REG_DEVICE_ID + 1;

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
  /** It answered the scan's quick probe only after the probe had stopped waiting, this many ms after it: slow. */
  lateMs: number | null;
  /** More replies came from this address than requests went to it: two modules may share it. */
  possibleDuplicate: boolean;
  notes: string[];
};

/** An address where something answered but no module could be read: garbled or foreign replies. */
export type ScanSuspect = { address: number; code: ErrorCode; reason: string; possibleDuplicate: boolean };

export type ProbeOutcome =
  { kind: 'absent' } | { kind: 'module'; module: ScannedModule } | { kind: 'suspect'; suspect: ScanSuspect };

export type ProbeOptions = { timeoutMs: number; retries: number; signal: AbortSignal | undefined };

export const codeOf = (error: unknown): ErrorCode | null => (isAppError(error) ? error.code : null);

/** Errors that end the scan rather than describe one address. */
export const isFatal = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === 'SERIAL_PORT_CLOSED' || code === 'CANCELLED' || code === null || code === 'INTERNAL';
};

/** Whether anything answers at `address` and, if a module does, who it is. */
export async function probeAddress(
  master: ModbusMaster,
  address: number,
  probe: ProbeOptions,
  measured: number[],
): Promise<ProbeOutcome> {
  const notes: string[] = [];
  // Each answer (a reply or an exception) adds one round trip to the master's stats: counted, to calibrate with.
  let answers = 0;
  const counted = <T>(promise: Promise<T>): Promise<T> =>
    promise.then(
      (value) => {
        answers += 1;
        return value;
      },
      (error: unknown) => {
        answers += codeOf(error) === 'MODBUS_EXCEPTION' ? 1 : 0;
        throw error;
      },
    );
  const read = (register: number, count: number): Promise<number[]> =>
    counted(
      master.readHoldingRegisters(address, register, count, {
        timeoutMs: probe.timeoutMs,
        retries: probe.retries,
        signal: probe.signal,
      }),
    );
  let deviceId: number | null;
  let words: number[] | undefined;
  try {
    // The device id and, in the same exchange, the type, versions, status and error (0x0100-0x0108): an empty
    // address costs the same one request, a module one exchange (and one bus gap) less.
    const block = await read(REG_DEVICE_ID, IDENTITY_WORDS);
    deviceId = block[0] ?? null;
    words = block.slice(REG_MODULE_TYPE - REG_DEVICE_ID);
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
    deviceId = await deviceIdAlone(read, notes);
  }
  const latencies = master.stats(address).latenciesMs;
  const latencyMs = latencies.length > 0 ? (latencies[latencies.length - 1] ?? null) : null;
  if (deviceId !== null && deviceId !== address) {
    notes.push(`its device id register says ${deviceId}, not ${address}`);
  }
  const module = await identify(master, address, { deviceId, latencyMs, notes, words }, probe.signal, counted);
  // Every answer of this module calibrates the quick wait, not only the probe's: one slow moment weighs less.
  measured.push(...(answers > 0 ? master.stats(address).latenciesMs.slice(-answers) : []));
  return { kind: 'module', module };
}

/** A module that refuses the block: the device id alone, as the firmware asks it, else whether 0x0000 answers. */
async function deviceIdAlone(
  read: (register: number, count: number) => Promise<number[]>,
  notes: string[],
): Promise<number | null> {
  try {
    return (await read(REG_DEVICE_ID, 1))[0] ?? null;
  } catch (error) {
    if (isFatal(error)) {
      throw error;
    }
  }
  // The firmware's fallback: a module without 0x0100 may still answer at 0x0000.
  try {
    await read(0x0000, 1);
    notes.push('refuses the device id register 0x0100; answers at 0x0000');
  } catch (fallbackError) {
    if (isFatal(fallbackError)) {
      throw fallbackError;
    }
    notes.push(`refuses 0x0100 and 0x0000 (${fallbackError instanceof Error ? fallbackError.message : ''})`);
  }
  return null;
}

/** A module is there: who it is, read with the bus's own timeout and retries. */
async function identify(
  master: ModbusMaster,
  address: number,
  probed: { deviceId: number | null; latencyMs: number | null; notes: string[]; words: number[] | undefined },
  signal: AbortSignal | undefined,
  counted: <T>(promise: Promise<T>) => Promise<T>,
): Promise<ScannedModule> {
  const { notes } = probed;
  const optional = async (register: number, count: number, what: string): Promise<number[] | null> => {
    try {
      return await counted(master.readHoldingRegisters(address, register, count, { signal }));
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
  // Type, versions, status and error in one read (unless the probe brought them); a module that refuses any of
  // them is asked one by one.
  const words = probed.words ?? (await optional(REG_MODULE_TYPE, 5, 'module type, versions, status and error')) ?? [];
  if (words.length < 5) {
    words.length = 0;
    words.push((await optional(REG_MODULE_TYPE, 1, 'module type'))?.[0] ?? -1);
    for (const [register, what] of [
      [REG_FIRMWARE_VERSION, 'firmware version'],
      [REG_HARDWARE_VERSION, 'hardware version'],
      [REG_SYSTEM_STATUS, 'system status'],
      [REG_SYSTEM_ERROR, 'system error'],
    ] as const) {
      words.push((await optional(register, 1, what))?.[0] ?? -1);
    }
  }
  const value = (i: number): number | null => {
    const v = words[i];
    return v === undefined || v < 0 ? null : v;
  };
  const block = await optional(REG_IDENTITY_BLOCK, 8, 'name and serial block');
  const typeRaw = value(0);
  const known = typeRaw !== null && MODULE_TYPE_NAMES[typeRaw] !== undefined;
  const inferred = !known && MODULE_TYPE_NAMES[address] !== undefined;
  const type = known ? typeRaw : inferred ? address : typeRaw;
  if (inferred) {
    notes.push(`module type ${typeRaw === null ? 'missing' : String(typeRaw)}: taken from the address`);
  }
  return {
    address,
    deviceId: probed.deviceId,
    type,
    typeRaw,
    typeInferred: inferred,
    typeName: moduleTypeName(type),
    firmwareVersion: formatVersion(value(1)),
    hardwareVersion: formatVersion(value(2)),
    status: value(3),
    error: value(4),
    identity: identityOf(block),
    latencyMs: probed.latencyMs,
    lateMs: null,
    possibleDuplicate: false,
    notes,
  };
}

function identityOf(block: number[] | null): ModuleIdentity | null {
  if (block === null || block.length < 8) {
    return null;
  }
  const word = (i: number): number => block[i] ?? 0;
  return {
    nameWords: [word(0), word(1)],
    name: asciiName([word(0), word(1)]),
    hardwareVersionAlt: word(2),
    serialNumber: ((word(4) << 16) | word(3)) >>> 0,
    buildDate: ((word(6) << 16) | word(5)) >>> 0,
    checksum: word(7),
  };
}

function asciiName(words: [number, number]): string | null {
  const bytes = [words[0] >>> 8, words[0] & 0xff, words[1] >>> 8, words[1] & 0xff];
  if (!bytes.every((b) => b >= 0x20 && b < 0x7f)) {
    return null;
  }
  return String.fromCharCode(...bytes).trimEnd();
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
