import type { Readable } from 'node:stream';

import type { BackupProfile } from '../../../../shared/domain/backup';
import { AppError, isAppError, type JsonValue } from '../../../../shared/errors/AppError';
import type { BackupStore, BackupSummary, FileEntryInput } from '../store/BackupStore';
import type { StreamChannel, StreamExecEnd } from '../../transport/transport';
import { enabledParts, isUnder, secretMatcher } from '../profile/backupProfiles';
import { ABSENT_PREFIX, backupScript, DB_MEMBER_DIR, DB_TOOL_PREFIX, SCRIPT_EXIT } from './backupScript';
import { readTar, type TarEntry } from './tarReader';

export type UnitBackupProgress = { files: number; bytes: number; path: string };

export type UnitBackupInput = {
  /** The unit's name: the store files the backup under it, and every message starts with it. */
  unit: string;
  connection: StreamChannel;
  profile: BackupProfile;
  store: BackupStore;
  /** Kept with the backup: host, host key fingerprint, how the database was copied… */
  meta?: Record<string, JsonValue>;
  /** Extra JSON kept with the backup by name (the RS485 module parameters). */
  attachments?: Record<string, JsonValue>;
  signal?: AbortSignal;
  /** The unit sending nothing for this long stops the backup (60 s when absent). */
  idleTimeoutMs?: number;
  onProgress?: (progress: UnitBackupProgress) => void;
};

export type UnitBackupOutcome = {
  summary: BackupSummary;
  /** Roots not on the unit, files changed while read, entries that are neither files, folders nor links. */
  warnings: string[];
  /** How each database was copied (`/opt/oht50/backend/oht50.db: sqlite3`). */
  databases: string[];
};

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const MAX_WARNINGS = 100;

/** Absolute and normal: what the store accepts, and what a well-behaved tar of absolute roots produces. */
function isNormalAbsolute(path: string): boolean {
  return (
    path.startsWith('/') &&
    path.length > 1 &&
    path
      .slice(1)
      .split('/')
      .every((p) => p !== '' && p !== '.' && p !== '..')
  );
}

function stderrLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The script's own failure, or tar's: its first meaningful line of stderr. */
function scriptFailure(unit: string, end: StreamExecEnd): AppError {
  const lines = stderrLines(end.stderr).filter((l) => !l.startsWith(ABSENT_PREFIX) && !l.startsWith(DB_TOOL_PREFIX));
  const own = lines.find((l) => l.startsWith('ohtw: '));
  const first = own?.slice('ohtw: '.length) ?? lines.find((l) => l.startsWith('tar: ')) ?? lines[0];
  const what =
    end.exitCode === SCRIPT_EXIT.databaseCopy || end.exitCode === SCRIPT_EXIT.databaseCheck
      ? 'the database could not be copied consistently'
      : `reading the unit's files failed (exit ${end.exitCode ?? end.signal ?? '?'})`;
  return new AppError('COMMAND_FAILED', `${unit}: ${what}${first ? `: ${first}` : ''}`, {
    details: { unit, exitCode: end.exitCode, stderr: end.stderr.slice(0, 2000) },
    retryable: true,
  });
}

async function settledWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ value: T } | { error: unknown } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One backup of one unit: one SSH exec streams the profile's roots and consistent database copies as a tar, and
 * each member goes straight into the store writer (hashed, chunked and compressed there) as it arrives. Nothing is
 * visible in the store until the archive ended cleanly and the command exited well; any failure (a cut connection, a
 * damaged archive, a full disk) aborts the writer, so no partial backup is ever listed.
 */
export async function backupUnit(input: UnitBackupInput): Promise<UnitBackupOutcome> {
  const { roots, databases } = enabledParts(input.profile);
  const isSecret = secretMatcher(input.profile.secrets);
  const rootPaths = roots.map((r) => r.path);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    if (warnings.length < MAX_WARNINGS) {
      warnings.push(message);
    }
  };
  if (input.profile.secrets.length > 0) {
    // A missing or wrong passphrase fails here, before anything is read from the unit.
    await input.store.unlock();
  }
  const writer = await input.store.beginBackup({
    unit: input.unit,
    profile: { id: input.profile.id, version: input.profile.version },
    kind: 'backup',
    meta: input.meta ?? {},
  });
  const run = input.connection.execStream(backupScript({ roots, databases }), {
    sudo: true,
    idleTimeoutMs: input.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    signal: input.signal,
  });
  let files = 0;
  let bytes = 0;

  const onEntry = async (entry: TarEntry, content: Readable): Promise<void> => {
    let path: string;
    if (entry.name === DB_MEMBER_DIR) {
      return;
    }
    if (entry.name.startsWith(`${DB_MEMBER_DIR}/`)) {
      const database = databases[Number(entry.name.slice(DB_MEMBER_DIR.length + 1))];
      if (database === undefined || entry.type !== 'file') {
        throw new AppError('COMMAND_FAILED', `${input.unit}: the unit sent an unexpected member ${entry.name}`);
      }
      path = database.path;
    } else {
      path = `/${entry.name}`;
      if (!isNormalAbsolute(path) || !rootPaths.some((root) => isUnder(path, root))) {
        // tar of the profile's roots cannot produce this: refuse rather than store what was not asked for.
        throw new AppError(
          'UNSAFE_PATH',
          `${input.unit}: the unit sent ${JSON.stringify(entry.name)}, outside the profile`,
        );
      }
    }
    if (entry.type === 'hardlink' || entry.type === 'other') {
      warn(
        `${path}: skipped (a ${entry.type === 'hardlink' ? 'hard link' : `special file, tar type ${entry.typeFlag}`})`,
      );
      return;
    }
    const file: FileEntryInput = {
      path,
      type: entry.type,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      owner: entry.uname === '' ? String(entry.uid) : entry.uname,
      group: entry.gname === '' ? String(entry.gid) : entry.gname,
      mtimeMs: entry.mtimeMs,
      size: entry.size,
      ...(entry.type === 'symlink' ? { linkTarget: entry.linkName } : {}),
      ...(entry.type === 'file' && isSecret(path) ? { secret: true } : {}),
    };
    await writer.addFile(file, entry.type === 'file' ? content : undefined);
    files += 1;
    bytes += entry.size;
    input.onProgress?.({ files, bytes, path });
  };

  try {
    try {
      await readTar(run.stdout, onEntry);
    } catch (error) {
      // When the script itself failed, its message says more than the archive that stopped short.
      const end = await settledWithin(run.done, 2000);
      run.cancel('the archive could not be read');
      if (end !== undefined && 'value' in end && end.value.exitCode !== 0 && end.value.exitCode !== 1) {
        throw scriptFailure(input.unit, end.value);
      }
      if (end !== undefined && 'error' in end && isAppError(end.error) && !isAppError(error)) {
        throw end.error;
      }
      throw error;
    }
    const end = await run.done;
    // tar exits 1 when a file changed while it was read: the archive is whole, the file is as it was at some moment.
    if (end.exitCode !== 0 && end.exitCode !== 1) {
      throw scriptFailure(input.unit, end);
    }
    const tools: string[] = [];
    for (const line of stderrLines(end.stderr)) {
      if (line.startsWith(ABSENT_PREFIX)) {
        warn(`${line.slice(ABSENT_PREFIX.length)}: not on the unit`);
      } else if (line.startsWith(DB_TOOL_PREFIX)) {
        const [index, tool] = line.slice(DB_TOOL_PREFIX.length).split(' ');
        const database = databases[Number(index)];
        if (database !== undefined) {
          tools.push(`${database.path}: ${tool ?? '?'}`);
        }
      } else if (line.startsWith('tar: ') && !line.includes('Removing leading')) {
        warn(line.slice('tar: '.length));
      }
    }
    if (warnings.length > 0) {
      await writer.addAttachment('backup-warnings', warnings);
    }
    for (const [name, value] of Object.entries(input.attachments ?? {})) {
      await writer.addAttachment(name, value);
    }
    const summary = await writer.commit();
    return { summary, warnings, databases: tools };
  } catch (error) {
    run.cancel('the backup failed');
    await writer.abort();
    throw error;
  }
}
