import type { JsonValue } from '../../../shared/errors/AppError';
import { BAUD_RATES, busSettings, type BusSettings } from '../../core/rs485/busTiming';
import { exportFormatFor, formatFrameLine, sniffBus, writeFramesFile, BusMonitor } from '../../core/rs485/busMonitor';
import type { ByteChannel } from '../../core/rs485/ByteChannel';
import { connectBus, type Rs485Bus } from '../../core/rs485/connectBus';
import { hex4 } from '../../core/rs485/frame';
import type { BusFrame, ModbusMaster, SerialSettings } from '../../core/rs485/modbusTypes';
import {
  PortWatcher,
  listSerialPorts,
  systemPortLister,
  type PortLister,
  type SerialPortEntry,
} from '../../core/rs485/ports';
import { identifyModule } from '../../core/rs485/identifyModule';
import { shippedRs485Dir } from '../../core/rs485/profiles';
import { applyWrite, planWrite, type WriteResult } from '../../core/rs485/safeWrite';
import { openSerialByteChannel } from '../../core/rs485/SerialByteChannel';
import { startSimBus } from '../../core/rs485/simModulesSlave';
import { boolOption, parseCommandLine, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore, type CliSession } from '../openCore';
import { resolveDataDir } from '../../core/paths/dataDir';
import { diagnoseBusCommand, simBusCommand, stopFirmwareCommand, type Rs485DoctorDeps } from './rs485Doctor';
import { scanCommand } from './rs485Scan';
import { formatName, numberOption, table } from './rs485Text';
import {
  cliActor,
  identifiedLine,
  loadCliProfiles,
  planJson,
  profileDecoder,
  resultJson,
  typeOption,
  type LoadedProfiles,
} from './rs485Safe';

export const RS485_USAGE = `ohtw rs485 ports [--watch] [--json]
ohtw rs485 scan --port PATH [--baud N] [--from A --to B | --address N…] [--thorough] [--json]
  (a quick pass, calibrated to the baud rate and the answers; --thorough: the bus's own timeout and retries)
ohtw rs485 read --port PATH --slave N --register R [--count C] [--input] [--type T] [--json]
  (decoded by the module's register map: name, value with unit, raw word)
ohtw rs485 write --port PATH --slave N --register R --value V --yes [--type T] [--json]
  (R: address or map name; V in the register's units; planned old → new, refused when read-only or out of
   range, written only with --yes, read back, verified and recorded in the audit log)
ohtw rs485 monitor --port PATH [--export FILE] [--json]   (frames on the bus until Ctrl-C; listens only)
ohtw rs485 diagnose --port PATH [--unit NAME] [--json]   (exit 0 OK, 1 WARN, 2 ERROR, 3 STALE; with --unit, also
  asks the unit over SSH whether its firmware polls the bus, and keeps the report in its history)
ohtw rs485 stop-firmware --unit NAME --yes   (stops the firmware service so the workstation is the only master;
  refused while the vehicle moves; audited)
ohtw rs485 sim [--fault F]… [--link PATH] [--json]   (the four modules on a pseudo-terminal until Ctrl-C; F: estop,
  low-battery, missing:TYPE, noise:N[:TYPE], slow:TYPE:MS, ignore-writes:TYPE)
  bus options: --baud N (115200) --parity none|even|odd --stop-bits 1|2 --timeout MS --retries N --gap MS`;

const OPTIONS = {
  port: { type: 'string' },
  baud: { type: 'string' },
  parity: { type: 'string' },
  'stop-bits': { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  gap: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  slave: { type: 'string' },
  register: { type: 'string' },
  count: { type: 'string' },
  value: { type: 'string' },
  input: { type: 'boolean' },
  yes: { type: 'boolean' },
  watch: { type: 'boolean' },
  export: { type: 'string' },
  type: { type: 'string' },
  unit: { type: 'string' },
  fault: { type: 'string', multiple: true },
  address: { type: 'string', multiple: true },
  thorough: { type: 'boolean' },
  link: { type: 'string' },
} as const;

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

/** Decodes raw values (by register-map profile); may read more through `master`. Null: nothing to add. */
export type ReadDecoder = (read: RegisterRead, master: ModbusMaster) => Promise<ReadDecoding | null>;

export type Rs485CliDeps = {
  connect: (settings: BusSettings) => Promise<Rs485Bus>;
  /** A raw channel for the passive monitor. */
  openChannel: (settings: SerialSettings) => Promise<ByteChannel>;
  lister: PortLister;
  /** The register maps (shipped and the technician's own in the data folder) that reads and writes go by. */
  loadProfiles: (dataDir: string, shippedDir: string) => Promise<LoadedProfiles>;
  /** Adds meaning to reads; undefined: by the module's register map; null: raw values only. */
  decodeRead: ReadDecoder | null | undefined;
  /** The core (for the audit log) of the data folder. */
  openCore: (io: CliIo, dataDir: string) => Promise<CliSession>;
  /** The simulated module bus (ohtw rs485 sim). */
  startSim: Rs485DoctorDeps['startSim'];
};

const DEFAULT_DEPS: Rs485CliDeps = {
  connect: (settings) => connectBus(settings),
  openChannel: (settings) => openSerialByteChannel(settings),
  lister: systemPortLister,
  loadProfiles: loadCliProfiles,
  decodeRead: undefined,
  openCore: (io, dataDir) => openCore(io, dataDir),
  startSim: (options) => startSimBus(options),
};

/**
 * The `ohtw rs485` command with its collaborators; `deps` replaces some of them (decoding, maps, tests). Register
 * writes always take the safe-write path (planWrite → applyWrite); the raw write is applyWrite's own primitive.
 */
export function createRs485Command(deps: Partial<Rs485CliDeps> = {}): (argv: string[], io: CliIo) => Promise<number> {
  const resolved: Rs485CliDeps = { ...DEFAULT_DEPS, ...deps };
  return async (argv, io) => {
    const parsed = parseCommandLine(argv, OPTIONS);
    const [sub, ...extra] = parsed.positionals;
    if (extra.length > 0) {
      throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    }
    switch (sub) {
      case 'ports':
        return portsCommand(parsed, io, resolved);
      case 'scan':
        return scanCommand(parsed, io, settingsFrom(parsed), resolved);
      case 'read':
        return readCommand(parsed, io, resolved);
      case 'write':
        return writeCommand(parsed, io, resolved);
      case 'monitor':
        return monitorCommand(parsed, io, resolved);
      case 'diagnose':
        return diagnoseBusCommand(parsed, io, settingsFrom(parsed), resolved);
      case 'stop-firmware':
        return stopFirmwareCommand(parsed, io, resolved);
      case 'sim':
        return simBusCommand(parsed, io, resolved);
      case undefined:
        throw new UsageError(`rs485 needs a subcommand: ${SUBCOMMANDS}`);
      default:
        throw new UsageError(`unknown rs485 subcommand "${sub}": ${SUBCOMMANDS}`);
    }
  };
}

const SUBCOMMANDS = 'ports, scan, read, write, monitor, diagnose, stop-firmware or sim';

export const rs485Command = createRs485Command();

function requireNumber(parsed: Parsed, name: string, min: number, max: number): number {
  const value = numberOption(parsed, name, min, max);
  if (value === undefined) {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

function settingsFrom(parsed: Parsed): BusSettings {
  const path = stringOption(parsed, 'port');
  if (path === undefined || path === '') {
    throw new UsageError('--port PATH is required (see: ohtw rs485 ports)');
  }
  const overrides: Partial<Omit<BusSettings, 'path'>> = {};
  const baud = stringOption(parsed, 'baud');
  if (baud !== undefined) {
    const rate = BAUD_RATES.find((r) => String(r) === baud);
    if (rate === undefined) {
      throw new UsageError(`--baud must be one of ${BAUD_RATES.join(', ')}, not "${baud}"`);
    }
    overrides.baudRate = rate;
  }
  const parity = stringOption(parsed, 'parity');
  if (parity !== undefined) {
    if (parity !== 'none' && parity !== 'even' && parity !== 'odd') {
      throw new UsageError(`--parity must be none, even or odd, not "${parity}"`);
    }
    overrides.parity = parity;
  }
  const stopBits = numberOption(parsed, 'stop-bits', 1, 2);
  if (stopBits !== undefined) {
    overrides.stopBits = stopBits === 2 ? 2 : 1;
  }
  const timeout = numberOption(parsed, 'timeout', 1, 60_000);
  if (timeout !== undefined) {
    overrides.timeoutMs = timeout;
  }
  const retries = numberOption(parsed, 'retries', 0, 10);
  if (retries !== undefined) {
    overrides.retries = retries;
  }
  const gap = numberOption(parsed, 'gap', 0, 10_000);
  if (gap !== undefined) {
    overrides.interFrameGapMs = gap;
  }
  return busSettings(path, overrides);
}

async function withBus<T>(deps: Rs485CliDeps, settings: BusSettings, use: (bus: Rs485Bus) => Promise<T>): Promise<T> {
  const bus = await deps.connect(settings);
  try {
    return await use(bus);
  } finally {
    await bus.release();
  }
}

// ---- ports ----

function portsTable(ports: readonly SerialPortEntry[]): string {
  if (ports.length === 0) {
    return 'No serial ports found. Plug in the USB-RS485 adapter (the CH340 is 1a86:7523).';
  }
  const rows = ports.map((p) => [p.path, p.vidPid ?? '-', p.manufacturer ?? '', p.serialNumber ?? '', p.hint ?? '']);
  return table(['PATH', 'VID:PID', 'MANUFACTURER', 'SERIAL', 'NOTE'], rows);
}

const portLine = (p: SerialPortEntry): string =>
  [p.path, p.vidPid ?? '', p.manufacturer ?? '', p.serialNumber ? `serial ${p.serialNumber}` : '', p.hint ?? '']
    .filter((part) => part !== '')
    .join('  ');

async function portsCommand(parsed: Parsed, io: CliIo, deps: Rs485CliDeps): Promise<number> {
  const json = boolOption(parsed, 'json');
  if (!boolOption(parsed, 'watch')) {
    const ports = await listSerialPorts(deps.lister);
    io.out(json ? JSON.stringify({ ports }, null, 2) : portsTable(ports));
    return 0;
  }
  const watcher = new PortWatcher({ lister: deps.lister });
  const off = watcher.onChange((event) => {
    io.out(
      json
        ? JSON.stringify({ event: event.kind, port: event.port })
        : `${event.kind === 'added' ? '+' : '-'} ${portLine(event.port)}`,
    );
  });
  try {
    await watcher.start();
    const ports = watcher.current();
    if (json) {
      for (const port of ports) {
        io.out(JSON.stringify({ event: 'present', port }));
      }
    } else {
      io.out(portsTable(ports));
      io.out('Watching for adapters being plugged in or pulled out. Press Ctrl-C to stop.');
    }
    await io.waitForStop();
    return 0;
  } finally {
    off();
    await watcher.stop();
  }
}

// ---- read ----

async function readCommand(parsed: Parsed, io: CliIo, deps: Rs485CliDeps): Promise<number> {
  const settings = settingsFrom(parsed);
  const slave = requireNumber(parsed, 'slave', 1, 247);
  const register = requireNumber(parsed, 'register', 0, 0xffff);
  const count = numberOption(parsed, 'count', 1, 125) ?? 1;
  if (register + count - 1 > 0xffff) {
    throw new UsageError(`--register ${register} with --count ${count} runs past register 0xFFFF`);
  }
  const input = boolOption(parsed, 'input');
  const json = boolOption(parsed, 'json');
  const type = typeOption(parsed);
  let decodeRead = deps.decodeRead;
  if (decodeRead === undefined) {
    const dataDir = resolveDataDir(stringOption(parsed, 'data-dir'), io.env);
    decodeRead = profileDecoder(await deps.loadProfiles(dataDir, shippedRs485Dir(io.layout.resourcesDir)), type);
  }
  return withBus(deps, settings, async (bus) => {
    const values = input
      ? await bus.master.readInputRegisters(slave, register, count)
      : await bus.master.readHoldingRegisters(slave, register, count);
    const read: RegisterRead = {
      port: settings.path,
      slave,
      register,
      count,
      function: input ? 'input' : 'holding',
      values,
    };
    let decoded: ReadDecoding | null = null;
    try {
      decoded = decodeRead ? await decodeRead(read, bus.master) : null;
    } catch (error) {
      // The raw values are what was asked for; a decoder that trips must not hide them.
      io.err(`(could not decode: ${error instanceof Error ? error.message : String(error)})`);
    }
    if (json) {
      io.out(JSON.stringify(decoded ? { ...read, decoded: decoded.json } : read, null, 2));
      return 0;
    }
    io.out(`slave ${slave} ${read.function} ${hex4(register)} ×${count} on ${settings.path}`);
    io.out(
      table(
        ['REGISTER', 'VALUE', 'HEX'],
        values.map((value, i) => [`${hex4(register + i)} (${register + i})`, String(value), hex4(value)]),
      ),
    );
    for (const line of decoded?.lines ?? []) {
      io.out(line);
    }
    return 0;
  });
}

// ---- write ----

async function writeCommand(parsed: Parsed, io: CliIo, deps: Rs485CliDeps): Promise<number> {
  const settings = settingsFrom(parsed);
  const slave = requireNumber(parsed, 'slave', 1, 247);
  const register = stringOption(parsed, 'register');
  if (register === undefined || register.trim() === '') {
    throw new UsageError('--register is required (an address such as 0x0030, or the name in the register map)');
  }
  const value = stringOption(parsed, 'value');
  if (value === undefined || value.trim() === '') {
    throw new UsageError("--value is required (in the register's units, a raw 0x word, or an enum name)");
  }
  const type = typeOption(parsed);
  const yes = boolOption(parsed, 'yes');
  const json = boolOption(parsed, 'json');
  const dataDir = resolveDataDir(stringOption(parsed, 'data-dir'), io.env);
  const profiles = await deps.loadProfiles(dataDir, shippedRs485Dir(io.layout.resourcesDir));
  const actor = cliActor(io.env);

  return withBus(deps, settings, async (bus) => {
    const id = await identifyModule(bus.master, slave, profiles.catalog, {
      override: type,
      selection: profiles.selection,
    });
    if (!id.ok) {
      const message = `Refused: nothing written to slave ${slave} on ${settings.path}: ${id.reason}`;
      io.out(json ? JSON.stringify({ outcome: 'refused', message, typeRaw: id.typeRaw }, null, 2) : message);
      return 1;
    }
    const plan = await planWrite(bus.master, id.module, register.trim(), value.trim(), { unit: null });
    if (!json) {
      io.out(identifiedLine(id));
      for (const note of id.notes) {
        io.out(`(${note})`);
      }
      if (plan.refused === undefined) {
        io.out(`Plan: ${plan.summary}`);
      }
    }

    if (plan.refused === undefined && !yes) {
      if (json) {
        io.out(JSON.stringify({ port: settings.path, plan: planJson(plan), outcome: 'not-confirmed' }, null, 2));
      }
      throw new UsageError(
        `refusing to write to slave ${slave} without --yes; nothing written ` +
          '(a register write changes how the module behaves: check the plan, then add --yes)',
      );
    }

    // A refused plan is still recorded (applyWrite sends nothing for it); a confirmed one is written and verified.
    const session = await deps.openCore(io, dataDir);
    let result: WriteResult;
    try {
      result = await applyWrite(bus.master, plan, {
        audit: session.core.history,
        actor,
        port: settings.path,
        confirmation: yes && plan.refused === undefined ? plan.confirmationToken : undefined,
      });
    } finally {
      await session.core.close();
    }
    const confirmed = plan.refused === undefined && plan.needsConfirmation;
    if (json) {
      io.out(
        JSON.stringify(
          {
            port: settings.path,
            plan: planJson(plan),
            ...(confirmed ? { confirmedBy: '--yes' } : {}),
            ...resultJson(result),
          },
          null,
          2,
        ),
      );
    } else {
      if (confirmed) {
        io.out(`${plan.register?.label ?? 'This register'} is safety-critical: the write was confirmed by --yes.`);
      }
      const raw = result.readBack ? ` (raw ${result.readBack.raw}, ${result.readBack.rawHex})` : '';
      const trail = `audit log entry #${result.audit.seq} by ${actor}`;
      io.out(
        plan.refused !== undefined
          ? `Refused: ${plan.summary}; nothing written (${trail}).`
          : result.outcome === 'ok'
            ? `Done: ${result.message}${raw}; ${trail}.`
            : `${result.outcome === 'refused' ? 'Refused' : 'FAILED'}: ${result.message}${raw}; ${trail}.`,
      );
    }
    return result.outcome === 'ok' ? 0 : 1;
  });
}

// ---- monitor ----

async function monitorCommand(parsed: Parsed, io: CliIo, deps: Rs485CliDeps): Promise<number> {
  const settings = settingsFrom(parsed);
  const exportPath = stringOption(parsed, 'export');
  const json = boolOption(parsed, 'json');
  const channel = await deps.openChannel(settings);
  const monitor = new BusMonitor(100_000);
  const print = (frame: BusFrame): void => {
    monitor.add(frame);
    io.out(
      json
        ? JSON.stringify({
            at: new Date(frame.at).toISOString(),
            direction: frame.direction,
            bytes: Array.from(frame.bytes, (b) => b.toString(16).padStart(2, '0')).join(' '),
            crcOk: frame.crcOk,
            meaning: frame.meaning,
          })
        : formatFrameLine(frame),
    );
  };
  const ended: { lost: Error | null } = { lost: null };
  const stopSniffing = sniffBus(channel, print, { format: settings });
  try {
    if (!json) {
      io.out(`Listening on ${settings.path} (${formatName(settings)}); this sends nothing. Press Ctrl-C to stop.`);
    }
    await new Promise<void>((resolve) => {
      const offClose = channel.onClose((reason) => {
        ended.lost = reason;
        resolve();
      });
      void io.waitForStop().then(() => {
        offClose();
        resolve();
      });
    });
  } finally {
    stopSniffing();
    await channel.close();
  }
  if (exportPath !== undefined) {
    await writeFramesFile(exportPath, monitor.frames(), exportFormatFor(exportPath));
    io.err(`Saved ${monitor.frames().length} frame(s) to ${exportPath}.`);
  }
  if (ended.lost !== null) {
    throw ended.lost;
  }
  return 0;
}
