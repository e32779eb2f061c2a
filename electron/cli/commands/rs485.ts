import { parseCommandLine } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';
import { diagnoseBusCommand, simBusCommand, stopFirmwareCommand } from './rs485Doctor';
import { monitorCommand } from './rs485Monitor';
import { portsCommand } from './rs485Ports';
import { readCommand, type ReadCliDeps } from './rs485Read';
import { scanCommand } from './rs485Scan';
import { busFrom } from './rs485Session';
import { writeCommand } from './rs485Write';

export type { ReadDecoder, ReadDecoding, RegisterRead } from './rs485Read';

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

/**
 * What `ohtw rs485` is built from: the core it opens for each subcommand (every subcommand is a client of the
 * contract, as the bus page is), and how reads are decoded.
 */
export type Rs485CliDeps = ReadCliDeps;

const DEFAULT_DEPS: Rs485CliDeps = {
  openCore: (io, dataDir) => openCore(io, dataDir),
  decodeRead: undefined,
};

/**
 * The `ohtw rs485` command with its collaborators; `deps` replaces some of them (decoding, tests). Register writes
 * take the core's safe-write path (rs485.planWrite → rs485.applyWrite); there is no raw write.
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
        return scanCommand(parsed, io, busFrom(parsed), resolved);
      case 'read':
        return readCommand(parsed, io, resolved);
      case 'write':
        return writeCommand(parsed, io, resolved);
      case 'monitor':
        return monitorCommand(parsed, io, resolved);
      case 'diagnose':
        return diagnoseBusCommand(parsed, io, busFrom(parsed), resolved);
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
