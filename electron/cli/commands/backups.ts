import { resolve } from 'node:path';

import type { BackupCheck, BackupDetail, BackupSummaryView, BackupVerify } from '../../../shared/domain/backup';
import { terminalField } from '../../../shared/util/terminalText';
import { boolOption, intOption, parseCommandLine, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import type { CliSession } from '../openCore';
import { formatBytes, formatTable, openBackupCore, PASSPHRASE_OPTIONS } from './backupCommon';
import {
  absoluteTarget,
  pullBackup,
  pushBackups,
  REPLICA_OPTIONS,
  REPLICA_USAGE,
  setTarget,
  trustTarget,
  whereBackups,
} from './backupsReplica';

export const BACKUPS_USAGE = `ohtw backups list [NAME] [--json]
ohtw backups show ID [--json]
ohtw backups verify ID [--sample N] [--json]   (exit 0 intact, 2 damaged)
ohtw backups check [--read-data] [--json]   (the whole store; exit 0 clean, 2 damaged)
ohtw backups prune [--keep-daily 7 --keep-monthly 12] [--dry-run] [--json]
${REPLICA_USAGE}
    (--passphrase-file FILE, else $OHTW_PASSPHRASE, for backups with secret files)`;

const OPTIONS = {
  sample: { type: 'string' },
  'keep-daily': { type: 'string' },
  'keep-monthly': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'read-data': { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
  ...REPLICA_OPTIONS,
} as const;

/** `backups verify` and `backups check` exit 2 when something is damaged: a result, not a failure to check. */
export const EXIT_DAMAGED = 2;

const SUBCOMMANDS = [
  'list',
  'show',
  'verify',
  'check',
  'prune',
  'push',
  'pull',
  'where',
  'target',
  'trust-target',
] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

type Context = {
  session: CliSession;
  io: CliIo;
  parsed: Parsed;
  arg: string | undefined;
  json: boolean;
};

export async function backupsCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  const [sub, arg, ...extra] = parsed.positionals;
  if (extra.length > 0) {
    throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  }
  if (!SUBCOMMANDS.includes(sub as Subcommand)) {
    throw new UsageError(sub === undefined ? `backups needs ${SUBCOMMANDS.join(', ')}` : `unknown: backups ${sub}`);
  }
  if ((sub === 'prune' || sub === 'check') && arg !== undefined) {
    throw new UsageError(`backups ${sub} takes no names: it covers the whole store`);
  }
  if ((sub === 'show' || sub === 'verify') && arg === undefined) {
    throw new UsageError(`backups ${sub} needs a backup id (see: ohtw backups list)`);
  }
  const session = await openBackupCore(io, stringOption(parsed, 'data-dir'), stringOption(parsed, 'passphrase-file'));
  const context: Context = { session, io, parsed, arg, json: boolOption(parsed, 'json') };
  try {
    switch (sub as Subcommand) {
      case 'list':
        return await listBackups(context);
      case 'show':
        return await showBackup(context);
      case 'verify':
        return await verifyBackup(context);
      case 'check':
        return await checkStore(context);
      case 'prune':
        return await pruneStore(context);
      case 'push':
        return await pushBackups(context);
      case 'pull':
        return await pullBackup(context);
      case 'where':
        return await whereBackups(context);
      case 'target':
        return await setTarget(context);
      case 'trust-target':
        return await trustTarget(context);
    }
  } finally {
    await session.core.close();
  }
}

function listRows(backups: readonly BackupSummaryView[]): string[][] {
  return backups.map((b) => [
    b.id,
    terminalField(b.unit),
    b.kind,
    b.createdAt,
    String(b.files),
    formatBytes(b.bytes),
    formatBytes(b.newBytes),
    (b.skipped ?? 0) > 0 ? `partial (${b.skipped ?? 0} left out)` : '',
  ]);
}

async function listBackups({ session, io, arg, json }: Context): Promise<number> {
  const backups = await session.api.call('backup.list', arg === undefined ? {} : { unit: arg });
  if (json) {
    io.out(JSON.stringify(backups, null, 2));
  } else if (backups.length === 0) {
    io.out(arg === undefined ? 'No backups yet. Make one: ohtw backup NAME' : `No backups of ${arg} yet.`);
  } else {
    io.out(formatTable(['ID', 'UNIT', 'KIND', 'TAKEN', 'FILES', 'SIZE', 'NEW', ''], listRows(backups)));
  }
  return 0;
}

/** Every field that came from the vehicle goes through `terminalField`: a file name cannot drive the terminal. */
export function formatDetail(detail: BackupDetail): string {
  const head =
    `${detail.id}: ${terminalField(detail.unit)}, ${detail.kind} of ${detail.createdAt}, profile ` +
    `${terminalField(String(detail.profile.id))}@${terminalField(String(detail.profile.version))}, ${detail.files} entries, ` +
    formatBytes(detail.bytes);
  const rows = detail.entries.map((e) => [
    `${e.type === 'dir' ? 'd' : e.type === 'symlink' ? 'l' : '-'}${(e.mode & 0o7777).toString(8).padStart(4, '0')}`,
    `${terminalField(e.owner)}:${terminalField(e.group)}`,
    e.type === 'file' ? String(e.size) : '',
    e.secret ? 'secret' : '',
    e.type === 'symlink' ? `${terminalField(e.path)} -> ${terminalField(e.linkTarget ?? '')}` : terminalField(e.path),
  ]);
  const attachments = Object.keys(detail.attachments);
  return [
    head,
    formatTable(['MODE', 'OWNER', 'SIZE', '', 'PATH'], rows),
    ...detail.skippedPaths.map((s) => `left out: ${terminalField(s.path)}: ${terminalField(s.reason)}`),
    ...(attachments.length > 0 ? [`attachments: ${attachments.map(terminalField).join(', ')}`] : []),
  ].join('\n');
}

async function showBackup({ session, io, arg, json }: Context): Promise<number> {
  const detail = await session.api.call('backup.get', { backupId: arg ?? '' });
  io.out(json ? JSON.stringify(detail, null, 2) : formatDetail(detail));
  return 0;
}

export function formatVerify(backupId: string, result: BackupVerify, sampled: boolean): string {
  if (result.ok) {
    return `${backupId}: intact (${result.checkedFiles} files read and checked${sampled ? ', a sample' : ''})`;
  }
  return [
    `${backupId}: DAMAGED (${result.problems.length} problems, ${result.checkedFiles} files checked)`,
    ...result.problems.map(
      (p) => `  ${terminalField(p.path) || '(manifest)'}: ${p.problem}: ${terminalField(p.message)}`,
    ),
    ...(result.quarantined > 0
      ? [
          `  ${result.quarantined} damaged chunk(s) moved out of use (kept on disk): the next backup of the unit writes that content again (ohtw backup NAME --full)`,
        ]
      : []),
    ...(result.sharedWith.length > 0
      ? [`  the same damaged content is in: ${result.sharedWith.join(', ')} (healed by the same next backup)`]
      : []),
  ].join('\n');
}

async function verifyBackup({ session, io, parsed, arg, json }: Context): Promise<number> {
  const backupId = arg ?? '';
  const sample = intOption(parsed, 'sample', 1, 1_000_000);
  const result = await session.api.call('backup.verify', { backupId, ...(sample === undefined ? {} : { sample }) });
  if (json) {
    const { backupId: _id, ...rest } = result;
    io.out(JSON.stringify(rest, null, 2));
  } else {
    io.out(formatVerify(backupId, result, sample !== undefined));
  }
  return result.ok ? 0 : EXIT_DAMAGED;
}

export function formatCheck(result: BackupCheck): string {
  const { counts } = result;
  const what =
    `${counts.backups} backups, ${counts.packs} packs, ${counts.chunks} chunks` +
    (counts.legacyChunks > 0 ? ` (${counts.legacyChunks} in chunk files of the earlier layout)` : '') +
    (result.readData
      ? `; ${formatBytes(counts.readBytes)} read and decoded`
      : '; structure only (--read-data reads every byte)');
  return [
    `${result.ok ? 'Store is intact' : `Store is DAMAGED (${result.problems.length} problems)`}: ${what}`,
    ...result.problems.map(
      (p) =>
        `  ${p.kind} ${p.subject.length === 64 ? p.subject.slice(0, 12) : p.subject}: ${terminalField(p.message)}` +
        (p.backups.length > 0 ? ` (backups: ${p.backups.join(', ')})` : ''),
    ),
    ...result.notes.map((n) => `  note: ${terminalField(n)}`),
  ].join('\n');
}

async function checkStore({ session, io, parsed, json }: Context): Promise<number> {
  const at = absoluteTarget(stringOption(parsed, 'at'), io.cwd);
  const readData = boolOption(parsed, 'read-data');
  const key = stringOption(parsed, 'key');
  const result =
    at === undefined
      ? await session.api.call('backup.check', { readData })
      : await session.api.call('backup.checkAt', {
          target: at,
          readData,
          ...(key === undefined ? {} : { keyPath: resolve(io.cwd, key) }),
        });
  io.out(json ? JSON.stringify(result, null, 2) : formatCheck(result));
  return result.ok ? 0 : EXIT_DAMAGED;
}

async function pruneStore({ session, io, parsed, json }: Context): Promise<number> {
  const keepDaily = intOption(parsed, 'keep-daily', 0, 3650) ?? 7;
  const keepMonthly = intOption(parsed, 'keep-monthly', 0, 1200) ?? 12;
  const dryRun = boolOption(parsed, 'dry-run');
  const result = await session.api.call('backup.prune', { keepDaily, keepMonthly, dryRun });
  if (json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    io.out(
      `${dryRun ? 'Would remove' : 'Removed'} ${result.removedBackups.length} backups (keeping ${result.keptBackups}: ` +
        `the newest of each of the last ${keepDaily} days and ${keepMonthly} months per unit)` +
        `${dryRun ? ', would free' : ','} ${result.removedChunks} chunks, ${result.removedPacks} packs, ${formatBytes(result.freedBytes)}${dryRun ? '' : ' freed'}` +
        (result.removedBackups.length > 0 ? `\n  ${result.removedBackups.join('\n  ')}` : ''),
    );
  }
  return 0;
}
