import type { BackupProgress, BackupUnitResult } from '../../../shared/domain/backup';
import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { terminalField } from '../../../shared/util/terminalText';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { CliIo } from '../io';
import { formatBytes, openBackupCore, PASSPHRASE_OPTIONS } from './backupCommon';

export const BACKUP_USAGE = `ohtw backup NAME… | --all [--json] [--parallel N] [--full] [--passphrase-file FILE]
    [--stop-services --yes]   (copy the database with its service stopped; exit 0 all backed up, 1 some failed;
    a backup that left out paths a restore would refuse is 'partial', listed with the reasons, and still exits 0)`;

const OPTIONS = {
  all: { type: 'boolean' },
  parallel: { type: 'string' },
  'stop-services': { type: 'boolean' },
  full: { type: 'boolean' },
  yes: { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
} as const;

/** What `--json` prints per unit. */
export function backupJson(result: BackupUnitResult) {
  return {
    unit: result.unit,
    backupId: result.backupId,
    files: result.files,
    bytes: result.bytes,
    newBytes: result.newBytes,
    durationMs: result.durationMs,
    status: result.status,
    storedBytes: result.storedBytes,
    warnings: result.warnings,
    attachments: result.attachments,
    reusedFiles: result.reusedFiles ?? 0,
    skipped: result.skipped,
    error: result.error,
  };
}

function resultLine(r: BackupUnitResult): string {
  if (r.status === 'failed') {
    return `${r.unit}: FAILED: ${terminalField(r.error?.message ?? 'unknown error')}`;
  }
  const seconds = (r.durationMs / 1000).toFixed(1);
  return (
    `${r.unit}: backed up ${r.files} files, ${formatBytes(r.bytes)} (${formatBytes(r.newBytes)} new, ` +
    `${formatBytes(r.storedBytes)} written${(r.reusedFiles ?? 0) > 0 ? `, ${r.reusedFiles ?? 0} unchanged files not read again` : ''}) ` +
    `in ${seconds} s as ${r.backupId ?? '?'}` +
    (r.attachments.length > 0 ? ` with ${r.attachments.join(', ')}` : '')
  );
}

/** The result line, then the unit's notes and every path left out (escaped: names come from the vehicle). */
function resultLines(r: BackupUnitResult): string[] {
  const lines = [resultLine(r)];
  for (const warning of r.warnings) {
    lines.push(`  note: ${terminalField(warning)}`);
  }
  if (r.skipped.length > 0) {
    lines.push(
      `  WARNING: PARTIAL backup: ${r.skipped.length} path${r.skipped.length === 1 ? '' : 's'} left out, which a restore would refuse:`,
    );
    for (const skipped of r.skipped) {
      lines.push(`    ${terminalField(skipped.path)}: ${terminalField(skipped.reason)}`);
    }
  }
  return lines;
}

export async function backupCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  const all = boolOption(parsed, 'all');
  if (all === parsed.positionals.length > 0) {
    throw new UsageError('backup needs unit names or --all (not both)');
  }
  const stopServices = boolOption(parsed, 'stop-services');
  if (stopServices && !boolOption(parsed, 'yes')) {
    throw new UsageError(
      '--stop-services stops the backend on each vehicle while its database is copied: add --yes to confirm',
    );
  }
  const concurrency = intOption(parsed, 'parallel', 1, 16) ?? 4;
  const json = boolOption(parsed, 'json');
  const session = await openBackupCore(io, stringOption(parsed, 'data-dir'), stringOption(parsed, 'passphrase-file'));
  try {
    const names = all ? (await session.api.call('units.list', {})).map((u) => u.name) : parsed.positionals;
    if (names.length === 0) {
      io.err('ohtw: no units to back up; add one with: ohtw units add');
      return EXIT_FAILURE;
    }
    // One line on stderr as each unit starts and ends, so a long fleet run shows it is moving.
    const unsubscribe = json
      ? () => undefined
      : session.api.on('backup.progress', (p: BackupProgress) => {
          if (p.phase === 'connecting') {
            io.err(`${p.unit}: backing up…`);
          }
        });
    let results: BackupUnitResult[];
    try {
      const run = await session.api.call('backup.run', {
        names,
        concurrency,
        database: stopServices ? 'service-stopped' : 'online',
        confirmServiceStop: stopServices,
        full: boolOption(parsed, 'full'),
      });
      results = run.results;
    } finally {
      unsubscribe();
    }
    if (json) {
      const payload = results.map(backupJson);
      io.out(JSON.stringify(!all && names.length === 1 ? payload[0] : payload, null, 2));
    } else {
      io.out(results.flatMap(resultLines).join('\n'));
    }
    return results.every((r) => r.status !== 'failed') ? 0 : EXIT_FAILURE;
  } finally {
    await session.core.close();
  }
}
