import { hex4 } from '../../../shared/domain/rs485Text';
import type { JsonValue } from '../../../shared/errors/AppError';
import type { RegisterReadView } from '../../../shared/ipc/contracts/rs485';
import { boolOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { decodedJson, decodedLine, identifiedLine, typeOption } from './rs485Safe';
import { busFrom, withBus, withSession, type Rs485SessionDeps } from './rs485Session';
import { numberOption, table } from './rs485Text';

/** `ohtw rs485 read`: raw words through the core (rs485.readRegisters), named by the module's register map. */

/** One read as the CLI got it, before any decoding. */
export type RegisterRead = {
  port: string;
  slave: number;
  register: number;
  count: number;
  function: 'holding' | 'input';
  values: number[];
};

/** What a decoder adds to a read: lines under the raw values, and a `decoded` member in the JSON. */
export type ReadDecoding = { lines: string[]; json: JsonValue };

/** Decodes raw values; null: nothing to add. */
export type ReadDecoder = (read: RegisterRead) => Promise<ReadDecoding | null>;

export type ReadCliDeps = Rs485SessionDeps & {
  /** Adds meaning to reads; undefined: by the module's register map (in the core); null: raw values only. */
  decodeRead: ReadDecoder | null | undefined;
};

export function requireNumber(parsed: Parsed, name: string, min: number, max: number): number {
  const value = numberOption(parsed, name, min, max);
  if (value === undefined) {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

/** The core's decoding by the register map, as lines for people and the `decoded` member of the JSON. */
export function mapDecoding(decoding: NonNullable<RegisterReadView['decoding']>): ReadDecoding {
  if (!decoding.identified) {
    return { lines: [`(not decoded: ${decoding.reason})`], json: { module: null, reason: decoding.reason } };
  }
  const { module, registers } = decoding;
  return {
    lines: [
      `${identifiedLine(decoding)}:`,
      ...(registers.length === 0 ? ['(the map names none of these registers)'] : registers.map(decodedLine)),
    ],
    json: {
      module: module.type,
      profile: `${module.profileId}@${module.profileVersion}`,
      registers: registers.map(decodedJson),
    },
  };
}

/** The decoding to show: the caller's decoder, or the core's by the map; a decoder that trips never hides the values. */
async function decodingOf(
  read: RegisterRead,
  answer: RegisterReadView,
  deps: ReadCliDeps,
  io: CliIo,
): Promise<ReadDecoding | null> {
  try {
    if (deps.decodeRead !== undefined) {
      return deps.decodeRead ? await deps.decodeRead(read) : null;
    }
    if (answer.decodeError !== null) {
      throw new Error(answer.decodeError);
    }
    return answer.decoding ? mapDecoding(answer.decoding) : null;
  } catch (error) {
    io.err(`(could not decode: ${error instanceof Error ? error.message : String(error)})`);
    return null;
  }
}

export async function readCommand(parsed: Parsed, io: CliIo, deps: ReadCliDeps): Promise<number> {
  const bus = busFrom(parsed);
  const slave = requireNumber(parsed, 'slave', 1, 247);
  const register = requireNumber(parsed, 'register', 0, 0xffff);
  const count = numberOption(parsed, 'count', 1, 125) ?? 1;
  if (register + count - 1 > 0xffff) {
    throw new UsageError(`--register ${register} with --count ${count} runs past register 0xFFFF`);
  }
  const fn = boolOption(parsed, 'input') ? 'input' : 'holding';
  const json = boolOption(parsed, 'json');
  const type = typeOption(parsed);
  const answer = await withSession(parsed, io, deps, (session) =>
    withBus(session, bus, ({ busId }) =>
      session.api.call('rs485.readRegisters', {
        busId,
        slave,
        register,
        count,
        function: fn,
        decode: deps.decodeRead === undefined,
        ...(type ? { type } : {}),
      }),
    ),
  );
  const read: RegisterRead = { port: bus.port, slave, register, count, function: fn, values: answer.values };
  const decoded = await decodingOf(read, answer, deps, io);
  if (json) {
    io.out(JSON.stringify(decoded ? { ...read, decoded: decoded.json } : read, null, 2));
    return 0;
  }
  io.out(`slave ${slave} ${fn} ${hex4(register)} ×${count} on ${bus.port}`);
  io.out(
    table(
      ['REGISTER', 'VALUE', 'HEX'],
      answer.values.map((value, i) => [`${hex4(register + i)} (${register + i})`, String(value), hex4(value)]),
    ),
  );
  for (const line of decoded?.lines ?? []) {
    io.out(line);
  }
  return 0;
}
