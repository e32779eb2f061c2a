import { BAUD_RATES } from '../../../shared/domain/rs485Text';
import {
  BusSettingsInputSchema,
  type BusInfo,
  type BusSettingsInput,
  type BusSettingsParsed,
} from '../../../shared/ipc/contracts/rs485';
import { stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import type { CliSession } from '../openCore';
import { numberOption } from './rs485Text';

/**
 * How every `ohtw rs485` subcommand reaches the bus: through the core of the data folder, with the contract's calls,
 * as the bus page does. The command line's settings are the contract's; the core alone turns them into the master's.
 */

/** The port and the settings the command line asks for (the firmware's defaults for what it does not say). */
export type CliBus = { port: string; settings: BusSettingsParsed };

export type Rs485SessionDeps = { openCore: (io: CliIo, dataDir: string | undefined) => Promise<CliSession> };

function baudOption(parsed: Parsed): BusSettingsInput['baudRate'] {
  const baud = stringOption(parsed, 'baud');
  const rate = BAUD_RATES.find((r) => String(r) === baud);
  if (baud !== undefined && rate === undefined) {
    throw new UsageError(`--baud must be one of ${BAUD_RATES.join(', ')}, not "${baud}"`);
  }
  return rate;
}

function parityOption(parsed: Parsed): BusSettingsInput['parity'] {
  const parity = stringOption(parsed, 'parity');
  if (parity !== undefined && parity !== 'none' && parity !== 'even' && parity !== 'odd') {
    throw new UsageError(`--parity must be none, even or odd, not "${parity}"`);
  }
  return parity;
}

/** `--port` and the bus options (--baud --parity --stop-bits --timeout --retries --gap). */
export function busFrom(parsed: Parsed): CliBus {
  const port = stringOption(parsed, 'port');
  if (port === undefined || port === '') {
    throw new UsageError('--port PATH is required (see: ohtw rs485 ports)');
  }
  const stopBits = numberOption(parsed, 'stop-bits', 1, 2);
  const given: BusSettingsInput = {
    baudRate: baudOption(parsed),
    parity: parityOption(parsed),
    stopBits: stopBits === undefined ? undefined : stopBits === 2 ? 2 : 1,
    timeoutMs: numberOption(parsed, 'timeout', 1, 60_000),
    retries: numberOption(parsed, 'retries', 0, 10),
    gapMs: numberOption(parsed, 'gap', 0, 10_000),
  };
  const settings = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return { port, settings: BusSettingsInputSchema.parse(settings) };
}

/** The core of `--data-dir` (or the default data folder) for `use`; closed afterwards, whatever happens. */
export async function withSession<T>(
  parsed: Parsed,
  io: CliIo,
  deps: Rs485SessionDeps,
  use: (session: CliSession) => Promise<T>,
): Promise<T> {
  const session = await deps.openCore(io, stringOption(parsed, 'data-dir'));
  try {
    return await use(session);
  } finally {
    await session.core.close();
  }
}

/** Connects the bus through the core for `use`, and releases it afterwards, whatever happens. */
export async function withBus<T>(session: CliSession, bus: CliBus, use: (info: BusInfo) => Promise<T>): Promise<T> {
  const info = await session.api.call('rs485.connect', { port: bus.port, settings: bus.settings });
  try {
    return await use(info);
  } finally {
    await session.api.call('rs485.release', { busId: info.busId });
  }
}

/** `--address 2 --address 0x05` (or 2,5): the addresses to scan instead of a range. */
export function addressesOption(parsed: Parsed): number[] | undefined {
  const raw = parsed.values['address'];
  const texts = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((t) => String(t).split(','));
  if (texts.length === 0) {
    return undefined;
  }
  return texts.map((text) => {
    const value = /^0x[0-9a-f]+$/i.test(text)
      ? Number.parseInt(text.slice(2), 16)
      : /^\d+$/.test(text)
        ? Number(text)
        : NaN;
    if (!Number.isInteger(value) || value < 1 || value > 247) {
      throw new UsageError(`--address must be a slave address from 1 to 247 (decimal or 0x hex), not "${text}"`);
    }
    return value;
  });
}
