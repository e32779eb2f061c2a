import type { ModuleType, RegisterDef, Rs485Profile } from '../../../shared/domain/rs485Profile';
import { isAppError } from '../../../shared/errors/AppError';
import { decodeRegister, type Decoded } from './decode';
import type { ModbusMaster, RequestOptions } from './modbusTypes';

/** Reading a module's registers by its map: in contiguous runs, each word decoded, each failure said plainly. */

/** A module on the bus: its type, its slave address and the register map it is read by. */
export type BusModule = { type: ModuleType; address: number; profile: Rs485Profile };

const MAX_READ = 125;

export type Reading = { decoded: Decoded } | { failure: string };
export type ReadingMap = Map<number, Reading>;

/**
 * Reads registers in contiguous runs (one request per run, at most 125 words); a run the module refuses is read
 * again register by register, so one missing address does not hide the others.
 */
export async function readRegisters(
  master: ModbusMaster,
  slave: number,
  defs: readonly RegisterDef[],
  request: RequestOptions,
): Promise<ReadingMap> {
  const out: ReadingMap = new Map();
  for (const run of contiguousRuns(defs)) {
    const first = run[0];
    if (!first) {
      continue;
    }
    try {
      const values = await master.readHoldingRegisters(slave, first.address, run.length, request);
      run.forEach((def, i) => out.set(def.address, { decoded: decodeRegister(def, values[i] ?? 0) }));
    } catch (error) {
      if (!isModbusFailure(error)) {
        throw error;
      }
      if (run.length === 1 || !isException(error)) {
        run.forEach((def) => out.set(def.address, { failure: describeFailure(error) }));
        continue;
      }
      for (const def of run) {
        try {
          const [value] = await master.readHoldingRegisters(slave, def.address, 1, request);
          out.set(def.address, { decoded: decodeRegister(def, value ?? 0) });
        } catch (single) {
          if (!isModbusFailure(single)) {
            throw single;
          }
          out.set(def.address, { failure: describeFailure(single) });
        }
      }
    }
  }
  return out;
}

/**
 * Every readable register of a module, decoded with its unit and the raw word beside it, in address order: the
 * register table the technician browses. A register that could not be read carries why instead of a value.
 */
export async function readModuleRegisters(
  master: ModbusMaster,
  module: BusModule,
  request: RequestOptions = {},
): Promise<{ register: RegisterDef; decoded?: Decoded; failure?: string }[]> {
  const defs = module.profile.registers.filter((r) => r.access !== 'W');
  const readings = await readRegisters(master, module.address, defs, request);
  return defs.map((register) => {
    const reading = readings.get(register.address);
    if (reading && 'decoded' in reading) {
      return { register, decoded: reading.decoded };
    }
    return { register, failure: reading?.failure ?? 'not read' };
  });
}

export function contiguousRuns(defs: readonly RegisterDef[]): RegisterDef[][] {
  const sorted = [...defs].sort((a, b) => a.address - b.address);
  const runs: RegisterDef[][] = [];
  let current: RegisterDef[] = [];
  for (const def of sorted) {
    const last = current[current.length - 1];
    if (last && (def.address !== last.address + 1 || current.length >= MAX_READ)) {
      runs.push(current);
      current = [];
    }
    if (!last || def.address !== last.address) {
      current.push(def);
    }
  }
  if (current.length > 0) {
    runs.push(current);
  }
  return runs;
}

/** Errors that mean "the bus or the module said no", as opposed to a bug or a cancelled sweep. */
export function isModbusFailure(error: unknown): boolean {
  return (
    isAppError(error) &&
    ['MODBUS_TIMEOUT', 'MODBUS_CRC', 'MODBUS_EXCEPTION', 'MODBUS_WRONG_SLAVE', 'MODBUS_BAD_FRAME'].includes(error.code)
  );
}

export function isException(error: unknown): boolean {
  return isAppError(error) && error.code === 'MODBUS_EXCEPTION';
}

export function describeFailure(error: unknown): string {
  if (!isAppError(error)) {
    return String(error);
  }
  switch (error.code) {
    case 'MODBUS_TIMEOUT':
      return 'no answer';
    case 'MODBUS_CRC':
      return 'reply failed its CRC check';
    case 'MODBUS_EXCEPTION': {
      const code = error.details?.['exceptionCode'];
      const name = error.details?.['exceptionName'];
      return `refused with exception ${typeof code === 'number' ? code.toString(16).padStart(2, '0') : '?'}${typeof name === 'string' ? ` (${name})` : ''}`;
    }
    default:
      return error.message;
  }
}
