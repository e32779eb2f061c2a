import { isAbsolute, resolve } from 'node:path';

import type {
  RestorePlan,
  RestoreProgress,
  RestoreResult,
  RestoreToFolderResult,
} from '../../../shared/domain/restore';
import { boolOption, parseCommandLine, stringOption, type Parsed } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { CliIo } from '../io';
import { terminalField } from '../../../shared/util/terminalText';
import { formatBytes, openBackupCore, PASSPHRASE_OPTIONS } from './backupCommon';
import { EXIT_DAMAGED } from './backups';

export const RESTORE_USAGE = `ohtw restore NAME BACKUP_ID --dry-run [--json] [--replacement]   (what would change; touches nothing)
ohtw restore NAME BACKUP_ID --to DIR [--json]   (the backup's files under DIR with their modes, owners as root; no unit
    is touched; DIR new or empty)
ohtw restore NAME BACKUP_ID --yes [--json] [--replacement] [--passphrase-file FILE]
    (snapshot, apply, restart, health gate; rolled back to the snapshot when the gate fails: exit 0 committed,
    1 rolled back or failed; --replacement: a new board whose key was pinned with ohtw units trust --fingerprint)`;

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  to: { type: 'string' },
  yes: { type: 'boolean' },
  replacement: { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
} as const;

const SYMBOL = { create: '+', modify: '~', delete: '-' } as const;

export function planJson(plan: RestorePlan) {
  return {
    unit: plan.unit,
    backupId: plan.backupId,
    backupCreatedAt: plan.backupCreatedAt,
    replacement: plan.replacement,
    changes: plan.changes.map((c) => ({ path: c.path, action: c.action })),
    services: plan.services,
    counts: plan.counts,
    bytesToSend: plan.bytesToSend,
    notes: plan.notes ?? [],
  };
}

export function formatPlan(plan: RestorePlan): string {
  const lines = [
    `Restore of ${plan.unit} from ${plan.backupId} (taken ${plan.backupCreatedAt})${plan.replacement ? ' onto a replacement board' : ''}:`,
  ];
  for (const note of plan.notes ?? []) {
    lines.push(`  NOTE: ${terminalField(note)}`);
  }
  if (plan.changes.length === 0) {
    lines.push('  nothing to change: the unit already matches the backup');
  }
  for (const change of plan.changes) {
    const what = change.differs.length > 0 ? `  (${change.differs.join(', ')})` : '';
    // The unit's own file names: escaped, so none can drive the terminal or forge a line.
    lines.push(`  ${SYMBOL[change.action]} ${terminalField(change.path)}${change.type === 'dir' ? '/' : ''}${what}`);
  }
  lines.push(
    `${plan.counts.create} to create, ${plan.counts.modify} to change, ${plan.counts.delete} to delete, ` +
      `${plan.counts.unchanged} unchanged; ${formatBytes(plan.bytesToSend)} to send`,
    `Services restarted: ${plan.services.join(', ') || 'none'}`,
  );
  return lines.join('\n');
}

export function formatResult(result: RestoreResult): string {
  const lines = result.phases.map(
    (p) =>
      `  ${p.phase.padEnd(13)} ${p.status.padEnd(7)} ${(p.durationMs / 1000).toFixed(1).padStart(5)} s  ${p.detail}`,
  );
  const head =
    result.result === 'committed'
      ? `${result.unit} is restored from ${result.backupId} (${result.changes.length} changes).`
      : `${result.unit} was ROLLED BACK to its state before the restore (snapshot ${result.snapshotId ?? '?'}): ${result.reason ?? ''}`;
  return [head, ...lines].join('\n');
}

export function formatFolderResult(result: RestoreToFolderResult): string {
  return [
    `${result.files} files, ${result.dirs} folders and ${result.links} links of ${result.backupId} (${terminalField(result.unit)}), ` +
      `${formatBytes(result.bytes)}, are in ${result.dir} with their modes${result.owners ? ' and owners' : ' (owners only when run as root)'}; no unit was touched.`,
    ...result.problems.map((p) => `  NOT WRITTEN: ${terminalField(p.path)}: ${terminalField(p.message)}`),
  ].join('\n');
}

/** `--to DIR`: the backup's files into a folder of this machine; the backup must be one of the named unit's. */
async function restoreToFolder(
  io: CliIo,
  parsed: Parsed,
  request: { name: string; backupId: string; dir: string; json: boolean },
): Promise<number> {
  const session = await openBackupCore(io, stringOption(parsed, 'data-dir'), stringOption(parsed, 'passphrase-file'));
  try {
    const ofUnit = await session.api.call('backup.list', { unit: request.name, kind: 'all' });
    if (!ofUnit.some((b) => b.id === request.backupId)) {
      throw new UsageError(
        `${request.backupId} is not a backup of ${request.name} (see: ohtw backups list ${request.name})`,
      );
    }
    const result = await session.api.call('restore.toFolder', { backupId: request.backupId, dir: request.dir });
    io.out(request.json ? JSON.stringify(result, null, 2) : formatFolderResult(result));
    return result.problems.length === 0 ? 0 : EXIT_DAMAGED;
  } finally {
    await session.core.close();
  }
}

export async function restoreCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  const [name, backupId, ...extra] = parsed.positionals;
  if (name === undefined || backupId === undefined || extra.length > 0) {
    throw new UsageError('restore needs a unit name and a backup id (see: ohtw backups list NAME)');
  }
  const dryRun = boolOption(parsed, 'dry-run');
  const yes = boolOption(parsed, 'yes');
  const to = stringOption(parsed, 'to');
  if ([dryRun, yes, to !== undefined].filter(Boolean).length > 1) {
    throw new UsageError('--dry-run, --yes and --to exclude each other');
  }
  const json = boolOption(parsed, 'json');
  if (to !== undefined) {
    return restoreToFolder(io, parsed, { name, backupId, dir: isAbsolute(to) ? to : resolve(io.cwd, to), json });
  }
  const replacement = boolOption(parsed, 'replacement');
  const session = await openBackupCore(io, stringOption(parsed, 'data-dir'), stringOption(parsed, 'passphrase-file'));
  try {
    if (!yes) {
      const plan = await session.api.call('restore.plan', { name, backupId, replacement });
      if (dryRun) {
        io.out(json ? JSON.stringify(planJson(plan), null, 2) : formatPlan(plan));
        return 0;
      }
      io.out(json ? JSON.stringify({ ...planJson(plan), result: 'not-confirmed' }, null, 2) : formatPlan(plan));
      throw new UsageError(
        `refusing to restore ${name} without --yes; nothing was changed (a restore stops and restarts the vehicle's services: check the plan above, then add --yes)`,
      );
    }
    const unsubscribe = json
      ? () => undefined
      : session.api.on('restore.progress', (p: RestoreProgress) => {
          if (p.status !== 'started' || p.done === undefined) {
            io.err(`${p.phase}: ${p.status === 'started' ? '…' : p.status} ${p.detail}`);
          }
        });
    let result: RestoreResult;
    try {
      result = await session.api.call('restore.run', { name, backupId, replacement, confirm: true });
    } finally {
      unsubscribe();
    }
    io.out(
      json
        ? JSON.stringify(
            { ...result, changes: result.changes.map((c) => ({ path: c.path, action: c.action })) },
            null,
            2,
          )
        : formatResult(result),
    );
    return result.result === 'committed' ? 0 : EXIT_FAILURE;
  } finally {
    await session.core.close();
  }
}
