import { isAbsolute, resolve } from 'node:path';

import type { BackupPull, BackupPush, BackupWhere } from '../../../shared/domain/backup';
import { terminalField } from '../../../shared/util/terminalText';
import { boolOption, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import type { CliSession } from '../openCore';
import { formatBytes, formatTable } from './backupCommon';

export const REPLICA_USAGE = `ohtw backups push [NAME] [--to TARGET] [--key FILE] [--json]   (copies what the target lacks)
ohtw backups pull NAME|ID [--from TARGET] [--key FILE] [--json]   (a unit's newest backup, or one by id)
ohtw backups check --at TARGET [--read-data] [--json]   (the copy at the target; exit 0 clean, 2 damaged)
ohtw backups where ID|NAME [--json]   (which targets and laptops hold a backup, or a unit's backups, on the team)
ohtw backups target TARGET [--key FILE] | --clear   (the default target; TARGET: a folder or sftp://user@host[:port]/path)
ohtw backups trust-target sftp://… [--fingerprint SHA256:…]   (pins the server's host key)`;

export const REPLICA_OPTIONS = {
  to: { type: 'string' },
  from: { type: 'string' },
  at: { type: 'string' },
  key: { type: 'string' },
  fingerprint: { type: 'string' },
  clear: { type: 'boolean' },
} as const;

type ReplicaContext = { session: CliSession; io: CliIo; parsed: Parsed; arg: string | undefined; json: boolean };

/** A folder named relative to where the command runs becomes absolute; a URL stays as typed. */
export function absoluteTarget(text: string | undefined, cwd: string): string | undefined {
  if (text === undefined || text.includes('://') || isAbsolute(text)) {
    return text;
  }
  return resolve(cwd, text);
}

function keyPathOf(parsed: Parsed, cwd: string): string | undefined {
  const key = stringOption(parsed, 'key');
  return key === undefined ? undefined : resolve(cwd, key);
}

function optionalFields(
  target: string | undefined,
  keyPath: string | undefined,
): { target?: string; keyPath?: string } {
  return { ...(target === undefined ? {} : { target }), ...(keyPath === undefined ? {} : { keyPath }) };
}

export function formatPush(result: BackupPush): string {
  return [
    `${terminalField(result.target)}: ${result.pushed.length} backup(s) copied, ${result.alreadyThere} already there; ` +
      `${result.packsCopied} pack(s) copied (${formatBytes(result.bytesCopied)}), ${result.packsPresent} already there`,
    ...result.pushed.map((id) => `  copied ${id}`),
    ...result.skipped.map((s) => `  NOT copied ${s.backupId}: ${terminalField(s.reason)}`),
    ...result.conflicts.map((c) => `  differs at the target, left as it is: ${terminalField(c)}`),
  ].join('\n');
}

export function formatPull(result: BackupPull): string {
  return result.backups
    .map(
      (b) =>
        `${b.backupId} (${terminalField(b.unit)}, ${b.createdAt}): ` +
        (b.status === 'present'
          ? 'already in this store'
          : `fetched from ${terminalField(result.target)}, ${result.packsCopied} pack(s), ${formatBytes(result.bytesCopied)}. Restore it: ohtw restore ${terminalField(b.unit)} ${b.backupId} --dry-run`),
    )
    .join('\n');
}

export async function pushBackups({ session, io, parsed, arg, json }: ReplicaContext): Promise<number> {
  const result = await session.api.call('backup.push', {
    ...optionalFields(absoluteTarget(stringOption(parsed, 'to'), io.cwd), keyPathOf(parsed, io.cwd)),
    ...(arg === undefined ? {} : { unit: arg }),
  });
  io.out(json ? JSON.stringify(result, null, 2) : formatPush(result));
  return result.skipped.length > 0 || result.conflicts.length > 0 ? 1 : 0;
}

export async function pullBackup({ session, io, parsed, arg, json }: ReplicaContext): Promise<number> {
  if (arg === undefined) {
    throw new UsageError('backups pull needs a unit name or a backup id');
  }
  const result = await session.api.call('backup.pull', {
    selector: arg,
    ...optionalFields(absoluteTarget(stringOption(parsed, 'from'), io.cwd), keyPathOf(parsed, io.cwd)),
  });
  io.out(json ? JSON.stringify(result, null, 2) : formatPull(result));
  return 0;
}

export function formatWhere(result: BackupWhere): string {
  if (result.locations.length === 0) {
    return `No location recorded for ${terminalField(result.selector)}: a push or a pull records one (and a team sync shares it)`;
  }
  return formatTable(
    ['BACKUP', 'UNIT', 'WHERE', 'RECORDED', 'BY'],
    result.locations.map((l) => [
      l.backupId,
      terminalField(l.unit ?? '-'),
      l.kind === 'laptop' ? `laptop ${terminalField(l.laptop ?? l.place)}` : terminalField(l.place),
      l.recordedAt,
      terminalField(l.recordedBy ?? 'this laptop'),
    ]),
  );
}

export async function whereBackups({ session, io, arg, json }: ReplicaContext): Promise<number> {
  if (arg === undefined) {
    throw new UsageError('backups where needs a backup id or a unit name');
  }
  const result = await session.api.call('backup.where', { selector: arg });
  io.out(json ? JSON.stringify(result, null, 2) : formatWhere(result));
  return 0;
}

export async function setTarget({ session, io, parsed, arg, json }: ReplicaContext): Promise<number> {
  const clear = boolOption(parsed, 'clear');
  if ((arg === undefined) === !clear) {
    throw new UsageError('backups target takes a TARGET, or --clear');
  }
  const settings = await session.api.call('backup.setTarget', {
    target: clear ? null : (absoluteTarget(arg, io.cwd) ?? null),
    keyPath: keyPathOf(parsed, io.cwd) ?? null,
  });
  io.out(
    json
      ? JSON.stringify(settings, null, 2)
      : settings.target === null
        ? 'No default backup target: push and pull need --to / --from'
        : `Backups are pushed to ${terminalField(settings.target)} by default${settings.keyPath === null ? '' : ` (SSH key ${terminalField(settings.keyPath)})`}`,
  );
  return 0;
}

export async function trustTarget({ session, io, parsed, arg, json }: ReplicaContext): Promise<number> {
  if (arg === undefined) {
    throw new UsageError('backups trust-target needs an sftp://user@host[:port]/path target');
  }
  const fingerprint = stringOption(parsed, 'fingerprint');
  const key = await session.api.call('backup.trustTarget', {
    target: arg,
    ...(fingerprint === undefined ? {} : { fingerprint }),
  });
  io.out(
    json
      ? JSON.stringify(key, null, 2)
      : `${terminalField(key.target)} presents ${key.algorithm} ${key.fingerprint}\nPinned: pushes and pulls accept only this key.`,
  );
  return 0;
}
