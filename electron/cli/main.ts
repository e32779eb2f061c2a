import { isAppError } from '../../shared/errors/AppError';
import { terminalBlock } from '../../shared/util/terminalText';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './CliError';
import type { CliIo } from './io';

type Command = (argv: string[], io: CliIo) => Promise<number>;
type LoadedCommand = { run: Command; usage: string };

/**
 * Each command's module is loaded only when that command runs (or when the usage text is printed): a command
 * pays for its own dependencies (the core, SSH, serial ports, the browser host), never for the others', and
 * `ohtw --version` loads none of them. The order is the order of the usage text.
 */
const COMMANDS: Record<string, () => Promise<LoadedCommand>> = {
  units: async () => {
    const m = await import('./commands/units');
    return { run: m.unitsCommand, usage: m.UNITS_USAGE };
  },
  diagnose: async () => {
    const m = await import('./commands/diagnose');
    return { run: m.diagnoseCommand, usage: m.DIAGNOSE_USAGE };
  },
  history: async () => {
    const m = await import('./commands/history');
    return { run: m.historyCommand, usage: m.HISTORY_USAGE };
  },
  report: async () => {
    const m = await import('./commands/report');
    return { run: m.reportCommand, usage: m.REPORT_USAGE };
  },
  telemetry: async () => {
    const m = await import('./commands/telemetry');
    return { run: m.telemetryCommand, usage: m.TELEMETRY_USAGE };
  },
  shell: async () => {
    const m = await import('./commands/shell');
    return { run: m.shellCommand, usage: m.SHELL_USAGE };
  },
  logs: async () => {
    const m = await import('./commands/logs');
    return { run: m.logsCommand, usage: m.LOGS_USAGE };
  },
  rs485: async () => {
    const m = await import('./commands/rs485');
    return { run: m.rs485Command, usage: m.RS485_USAGE };
  },
  backup: async () => {
    const m = await import('./commands/backup');
    return { run: m.backupCommand, usage: m.BACKUP_USAGE };
  },
  backups: async () => {
    const m = await import('./commands/backups');
    return { run: m.backupsCommand, usage: m.BACKUPS_USAGE };
  },
  restore: async () => {
    const m = await import('./commands/restore');
    return { run: m.restoreCommand, usage: m.RESTORE_USAGE };
  },
  procedures: async () => {
    const m = await import('./commands/procedures');
    return { run: m.proceduresCommand, usage: m.PROCEDURES_USAGE };
  },
  audit: async () => {
    const m = await import('./commands/audit');
    return { run: m.auditCommand, usage: m.AUDIT_USAGE };
  },
  team: async () => {
    const m = await import('./commands/team');
    return { run: m.teamCommand, usage: m.TEAM_USAGE };
  },
  sync: async () => {
    const m = await import('./commands/team');
    return { run: m.syncCommand, usage: m.SYNC_USAGE };
  },
  config: async () => {
    const m = await import('./commands/config');
    return { run: m.configCommand, usage: m.CONFIG_USAGE };
  },
  serve: async () => {
    const m = await import('./commands/serve');
    return { run: m.serveCommand, usage: m.SERVE_USAGE };
  },
  sim: async () => {
    const m = await import('./commands/sim');
    return { run: m.simCommand, usage: m.SIM_USAGE };
  },
  demo: async () => {
    const m = await import('./commands/demo');
    return { run: m.demoCommand, usage: m.DEMO_USAGE };
  },
};

/** The whole usage text; it names every command, so it loads them all. */
export async function usage(version: string): Promise<string> {
  const usages = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).usage));
  return `OHT-50 Workstation ${version}: diagnose, back up and recover OHT-50 vehicles.

Usage:
  ${usages.map((text) => text.split('\n').join('\n  ')).join('\n  ')}

Options anywhere on the line:
  --data-dir DIR   the fleet history folder (default: $OHTW_DATA_DIR, else the per-user application data folder)
  --json           machine-readable output
  --version        the version of this workstation
  --help           this text`;
}

/** Runs one command line and returns the exit code; every failure becomes one line on stderr, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const commandIndex = argv.findIndex((arg, i) => !arg.startsWith('-') && argv[i - 1] !== '--data-dir');
  const name = commandIndex >= 0 ? argv[commandIndex] : undefined;
  const rest = commandIndex >= 0 ? [...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)] : argv;
  if (argv.includes('--version')) {
    io.out(io.layout.version);
    return 0;
  }
  if (name === undefined || name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    io.out(await usage(io.layout.version));
    return name === undefined && !argv.includes('--help') && !argv.includes('-h') ? EXIT_USAGE : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`ohtw: unknown command "${name}"\n\n${await usage(io.layout.version)}`);
    return EXIT_USAGE;
  }
  // Whatever a command prints, a vehicle's escape sequences and bidirectional overrides reach the terminal escaped;
  // fields that must stay on one line are escaped where they are formatted (terminalField).
  const shown: CliIo = {
    ...io,
    out: (text) => io.out(terminalBlock(text)),
    err: (text) => io.err(terminalBlock(text)),
  };
  try {
    const command = await load();
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      shown.err(`ohtw ${name}: ${error.message} (see: ohtw --help)`);
      return EXIT_USAGE;
    }
    if (isAppError(error)) {
      shown.err(`ohtw: ${error.message}`);
      return error.code === 'VALIDATION' ? EXIT_USAGE : EXIT_FAILURE;
    }
    shown.err(`ohtw: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
}
