import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { formatBytes, formatTable, openBackupCore, PASSPHRASE_OPTIONS } from './backupCommon';

export const BACKUPS_USAGE = `ohtw backups list [NAME] [--json]
ohtw backups show ID [--json]
ohtw backups verify ID [--sample N] [--json]   (exit 0 intact, 2 damaged)
ohtw backups prune [--keep-daily 7 --keep-monthly 12] [--dry-run] [--json]
    (--passphrase-file FILE, else $OHTW_PASSPHRASE, for backups with secret files)`;

const OPTIONS = {
  sample: { type: 'string' },
  'keep-daily': { type: 'string' },
  'keep-monthly': { type: 'string' },
  'dry-run': { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
} as const;

/** `backups verify` exits 2 when the backup is damaged: a result, not a failure to check. */
export const EXIT_DAMAGED = 2;

export async function backupsCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  const [sub, arg, ...extra] = parsed.positionals;
  if (extra.length > 0) {
    throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  }
  const json = boolOption(parsed, 'json');
  const needId = (): string => {
    if (arg === undefined) {
      throw new UsageError(`backups ${sub ?? ''} needs a backup id (see: ohtw backups list)`);
    }
    return arg;
  };
  if (sub !== 'list' && sub !== 'show' && sub !== 'verify' && sub !== 'prune') {
    throw new UsageError(sub === undefined ? 'backups needs list, show, verify or prune' : `unknown: backups ${sub}`);
  }
  if (sub === 'prune' && arg !== undefined) {
    throw new UsageError('backups prune takes no names: retention applies to every unit');
  }
  const sample = intOption(parsed, 'sample', 1, 1_000_000);
  const keepDaily = intOption(parsed, 'keep-daily', 0, 3650) ?? 7;
  const keepMonthly = intOption(parsed, 'keep-monthly', 0, 1200) ?? 12;
  const session = await openBackupCore(io, stringOption(parsed, 'data-dir'), stringOption(parsed, 'passphrase-file'));
  try {
    switch (sub) {
      case 'list': {
        const backups = await session.api.call('backup.list', arg === undefined ? {} : { unit: arg });
        if (json) {
          io.out(JSON.stringify(backups, null, 2));
        } else if (backups.length === 0) {
          io.out(arg === undefined ? 'No backups yet. Make one: ohtw backup NAME' : `No backups of ${arg} yet.`);
        } else {
          io.out(
            formatTable(
              ['ID', 'UNIT', 'KIND', 'TAKEN', 'FILES', 'SIZE', 'NEW'],
              backups.map((b) => [
                b.id,
                b.unit,
                b.kind,
                b.createdAt,
                String(b.files),
                formatBytes(b.bytes),
                formatBytes(b.newBytes),
              ]),
            ),
          );
        }
        return 0;
      }
      case 'show': {
        const detail = await session.api.call('backup.get', { backupId: needId() });
        if (json) {
          io.out(JSON.stringify(detail, null, 2));
        } else {
          const head = `${detail.id}: ${detail.unit}, ${detail.kind} of ${detail.createdAt}, profile ${String(detail.profile.id)}@${String(detail.profile.version)}, ${detail.files} entries, ${formatBytes(detail.bytes)}`;
          const rows = detail.entries.map((e) => [
            `${e.type === 'dir' ? 'd' : e.type === 'symlink' ? 'l' : '-'}${(e.mode & 0o7777).toString(8).padStart(4, '0')}`,
            `${e.owner}:${e.group}`,
            e.type === 'file' ? String(e.size) : '',
            e.secret ? 'secret' : '',
            e.type === 'symlink' ? `${e.path} -> ${e.linkTarget ?? ''}` : e.path,
          ]);
          const attachments = Object.keys(detail.attachments);
          io.out(
            [
              head,
              formatTable(['MODE', 'OWNER', 'SIZE', '', 'PATH'], rows),
              ...(attachments.length > 0 ? [`attachments: ${attachments.join(', ')}`] : []),
            ].join('\n'),
          );
        }
        return 0;
      }
      case 'verify': {
        const backupId = needId();
        const result = await session.api.call('backup.verify', {
          backupId,
          ...(sample === undefined ? {} : { sample }),
        });
        if (json) {
          io.out(
            JSON.stringify({ ok: result.ok, checkedFiles: result.checkedFiles, problems: result.problems }, null, 2),
          );
        } else if (result.ok) {
          io.out(
            `${backupId}: intact (${result.checkedFiles} files read and checked${sample === undefined ? '' : ', a sample'})`,
          );
        } else {
          io.out(
            [
              `${backupId}: DAMAGED (${result.problems.length} problems, ${result.checkedFiles} files checked)`,
              ...result.problems.map((p) => `  ${p.path || '(manifest)'}: ${p.problem}: ${p.message}`),
            ].join('\n'),
          );
        }
        return result.ok ? 0 : EXIT_DAMAGED;
      }
      case 'prune': {
        const dryRun = boolOption(parsed, 'dry-run');
        const result = await session.api.call('backup.prune', { keepDaily, keepMonthly, dryRun });
        if (json) {
          io.out(JSON.stringify(result, null, 2));
        } else {
          io.out(
            `${dryRun ? 'Would remove' : 'Removed'} ${result.removedBackups.length} backups (keeping ${result.keptBackups}: ` +
              `the newest of each of the last ${keepDaily} days and ${keepMonthly} months per unit)` +
              (dryRun ? '' : `, ${result.removedChunks} chunks, ${formatBytes(result.freedBytes)} freed`) +
              (result.removedBackups.length > 0 ? `\n  ${result.removedBackups.join('\n  ')}` : ''),
          );
        }
        return 0;
      }
    }
    return 0;
  } finally {
    await session.core.close();
  }
}
