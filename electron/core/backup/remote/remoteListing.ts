import type { BackupRoot } from '../../../../shared/domain/backup';
import { AppError } from '../../../../shared/errors/AppError';
import type { CommandChannel } from '../../transport/transport';
import { ABSENT_PREFIX, relativeWord } from './backupScript';

/** One path under the profile's roots as `find` sees it on the unit (before anything is read). */
export type ListedEntry = {
  /** Absolute path on the unit. */
  path: string;
  /** find's %y: f file, d folder, l symlink, anything else a special file. */
  kind: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Whole seconds, as tar records them. */
  mtimeSeconds: number;
  /** Fractional seconds as find printed them, for the "modified around the previous backup" rule. */
  mtimeExact: number;
};

export type RemoteListing = { entries: ListedEntry[]; absent: string[] };

const LISTING_TIMEOUT_MS = 120_000;

export function listingScript(roots: readonly Pick<BackupRoot, 'path'>[]): string {
  return [
    'cd / || exit 70',
    'set --',
    `for p in ${roots.map((r) => relativeWord(r.path)).join(' ') || "''"}; do`,
    `  if [ -n "$p" ] && { [ -e "/$p" ] || [ -L "/$p" ]; }; then set -- "$@" "$p"; elif [ -n "$p" ]; then echo "${ABSENT_PREFIX}/$p" >&2; fi`,
    'done',
    '[ $# -eq 0 ] && exit 0',
    // NUL after each record: a path may hold any byte but NUL, spaces and newlines included.
    `find "$@" -printf '%y %m %U %G %s %T@ %p\\0'`,
  ].join('\n');
}

export function parseListing(stdout: string): ListedEntry[] {
  const out: ListedEntry[] = [];
  for (const record of stdout.split('\0')) {
    if (record === '') {
      continue;
    }
    const match = /^(\S) ([0-7]+) (\d+) (\d+) (\d+) (\d+)(?:\.(\d+))? (.+)$/s.exec(record);
    if (!match) {
      throw new AppError(
        'COMMAND_FAILED',
        `the unit's file listing has a line the workstation cannot read: ${JSON.stringify(record.slice(0, 120))}`,
      );
    }
    const [, kind, mode, uid, gid, size, seconds, fraction, name] = match;
    out.push({
      path: `/${name ?? ''}`,
      kind: kind ?? '?',
      mode: parseInt(mode ?? '0', 8) & 0o7777,
      uid: Number(uid),
      gid: Number(gid),
      size: Number(size),
      mtimeSeconds: Number(seconds),
      mtimeExact: Number(`${seconds ?? '0'}.${fraction ?? '0'}`),
    });
  }
  return out;
}

/** Lists every path under the roots that exist, through sudo (root-only folders included). */
export async function listRemote(
  connection: CommandChannel,
  unit: string,
  roots: readonly Pick<BackupRoot, 'path'>[],
  signal?: AbortSignal,
): Promise<RemoteListing> {
  const result = await connection.exec(listingScript(roots), { sudo: true, timeoutMs: LISTING_TIMEOUT_MS, signal });
  const absent = result.stderr
    .split('\n')
    .filter((line) => line.startsWith(ABSENT_PREFIX))
    .map((line) => line.slice(ABSENT_PREFIX.length));
  if (result.exitCode !== 0) {
    const reason = result.stderr.split('\n').find((l) => l.trim() !== '' && !l.startsWith(ABSENT_PREFIX)) ?? '';
    throw new AppError(
      'COMMAND_FAILED',
      `${unit}: listing the unit's files failed (exit ${result.exitCode ?? '?'})${reason ? `: ${reason}` : ''}`,
      {
        retryable: true,
      },
    );
  }
  return { entries: parseListing(result.stdout), absent };
}
