import { isAppError } from '../../shared/errors/AppError';
import { terminalBlock } from '../../shared/util/terminalText';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './CliError';
import { BACKUP_USAGE, backupCommand } from './commands/backup';
import { BACKUPS_USAGE, backupsCommand } from './commands/backups';
import { CONFIG_USAGE, configCommand } from './commands/config';
import { RESTORE_USAGE, restoreCommand } from './commands/restore';
import { AUDIT_USAGE, auditCommand } from './commands/audit';
import { DEMO_USAGE, demoCommand } from './commands/demo';
import { DIAGNOSE_USAGE, diagnoseCommand } from './commands/diagnose';
import { HISTORY_USAGE, historyCommand } from './commands/history';
import { PROCEDURES_USAGE, proceduresCommand } from './commands/procedures';
import { REPORT_USAGE, reportCommand } from './commands/report';
import { RS485_USAGE, rs485Command } from './commands/rs485';
import { SERVE_USAGE, serveCommand } from './commands/serve';
import { SIM_USAGE, simCommand } from './commands/sim';
import { TELEMETRY_USAGE, telemetryCommand } from './commands/telemetry';
import { UNITS_USAGE, unitsCommand } from './commands/units';
import type { CliIo } from './io';
import { APP_VERSION } from '../core/paths/appVersion';

export const USAGE = `OHT-50 Workstation ${APP_VERSION}: diagnose, back up and recover OHT-50 vehicles.

Usage:
  ${UNITS_USAGE.split('\n').join('\n  ')}
  ${DIAGNOSE_USAGE}
  ${HISTORY_USAGE}
  ${REPORT_USAGE.split('\n').join('\n  ')}
  ${TELEMETRY_USAGE}
  ${RS485_USAGE.split('\n').join('\n  ')}
  ${BACKUP_USAGE.split('\n').join('\n  ')}
  ${BACKUPS_USAGE.split('\n').join('\n  ')}
  ${RESTORE_USAGE.split('\n').join('\n  ')}
  ${PROCEDURES_USAGE.split('\n').join('\n  ')}
  ${AUDIT_USAGE}
  ${CONFIG_USAGE.split('\n').join('\n  ')}
  ${SERVE_USAGE}
  ${SIM_USAGE}
  ${DEMO_USAGE}

Options anywhere on the line:
  --data-dir DIR   the fleet history folder (default: $OHTW_DATA_DIR, else the per-user application data folder)
  --json           machine-readable output
  --help           this text`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  units: unitsCommand,
  diagnose: diagnoseCommand,
  history: historyCommand,
  report: reportCommand,
  telemetry: telemetryCommand,
  rs485: rs485Command,
  backup: backupCommand,
  backups: backupsCommand,
  restore: restoreCommand,
  procedures: proceduresCommand,
  audit: auditCommand,
  config: configCommand,
  serve: serveCommand,
  sim: simCommand,
  demo: demoCommand,
};

/** Runs one command line and returns the exit code; every failure becomes one line on stderr, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const commandIndex = argv.findIndex((arg, i) => !arg.startsWith('-') && argv[i - 1] !== '--data-dir');
  const name = commandIndex >= 0 ? argv[commandIndex] : undefined;
  const rest = commandIndex >= 0 ? [...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)] : argv;
  if (argv.includes('--version')) {
    io.out(APP_VERSION);
    return 0;
  }
  if (name === undefined || name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return name === undefined && !argv.includes('--help') && !argv.includes('-h') ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`ohtw: unknown command "${name}"\n\n${USAGE}`);
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
    return await command(rest, shown);
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
