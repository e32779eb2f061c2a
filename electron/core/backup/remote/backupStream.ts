import type { BackupProfile } from '../../../../shared/domain/backup';
import { AppError, isAppError } from '../../../../shared/errors/AppError';
import type { BackupWriter, FileEntryInput } from '../store/BackupStore';
import type { StreamChannel, StreamExecEnd } from '../../transport/transport';
import { isUnder } from '../profile/backupProfiles';
import { ABSENT_PREFIX, backupScript, DB_MEMBER_DIR, DB_TOOL_PREFIX, SCRIPT_EXIT } from './backupScript';
import type { BackupSafety } from './entrySafety';
import { isArchiveDamage, readTar, type TarContent, type TarEntry } from './tarReader';

/** Long enough for a large database copy on an SD card; keepalives notice a vanished unit sooner. */
const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

export type StreamInput = {
  unit: string;
  connection: StreamChannel;
  roots: BackupProfile['roots'];
  databases: BackupProfile['databases'];
  isSecret: (path: string) => boolean;
  safety: BackupSafety;
  writer: BackupWriter;
  /** With a previous backup: the paths to ask for (each alone); without, the profile's roots whole. */
  request: string[] | undefined;
  signal?: AbortSignal | undefined;
  idleTimeoutMs?: number | undefined;
  onFile: (path: string, bytes: number) => void;
};

export type StreamOutcome = {
  /** Roots not on the unit, tar's own notes (a file changed while read). */
  warnings: string[];
  /** How each database was copied (`/opt/oht50/backend/oht50.db: sqlite3`). */
  databases: string[];
};

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

/** The path on the unit an archive member stands for (a database copy stands for its database). */
function memberPath(input: StreamInput, entry: TarEntry): string | null {
  if (entry.name === DB_MEMBER_DIR) {
    return null;
  }
  if (entry.name.startsWith(`${DB_MEMBER_DIR}/`)) {
    const database = input.databases[Number(entry.name.slice(DB_MEMBER_DIR.length + 1))];
    if (database === undefined || entry.type !== 'file') {
      throw new AppError('COMMAND_FAILED', `${input.unit}: the unit sent an unexpected member ${entry.name}`);
    }
    return database.path;
  }
  const path = `/${entry.name}`;
  if (!isNormalAbsolute(path) || !input.roots.some((root) => isUnder(path, root.path))) {
    // tar of the profile's roots cannot produce this: refuse rather than store what was not asked for.
    throw new AppError(
      'UNSAFE_PATH',
      `${input.unit}: the unit sent ${JSON.stringify(entry.name)}, outside the profile`,
    );
  }
  return path;
}

function fileEntryOf(
  input: StreamInput,
  entry: TarEntry,
  path: string,
): Omit<FileEntryInput, 'type'> & { type: string } {
  return {
    path,
    type: entry.type === 'other' ? `special file (tar type ${entry.typeFlag})` : entry.type,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    owner: entry.uname === '' ? String(entry.uid) : entry.uname,
    group: entry.gname === '' ? String(entry.gid) : entry.gname,
    mtimeMs: entry.mtimeMs,
    size: entry.size,
    ...(entry.type === 'symlink' ? { linkTarget: entry.linkName } : {}),
    ...(entry.type === 'file' && input.isSecret(path) ? { secret: true } : {}),
  };
}

/** Reads what the unit's tar ended with on stderr: roots it did not have, database tools, tar's own notes. */
function readStderr(input: StreamInput, stderr: string): StreamOutcome {
  const warnings: string[] = [];
  const tools: string[] = [];
  for (const line of stderrLines(stderr)) {
    if (line.startsWith(ABSENT_PREFIX)) {
      warnings.push(`${line.slice(ABSENT_PREFIX.length)}: not on the unit`);
    } else if (line.startsWith(DB_TOOL_PREFIX)) {
      const [index, tool] = line.slice(DB_TOOL_PREFIX.length).split(' ');
      const database = input.databases[Number(index)];
      if (database !== undefined) {
        tools.push(`${database.path}: ${tool ?? '?'}`);
      }
    } else if (line.startsWith('tar: ') && !line.includes('Removing leading')) {
      warnings.push(line.slice('tar: '.length));
    }
  }
  return { warnings, databases: tools };
}

/**
 * One SSH exec streams the database copies and the requested files as a tar; each member goes straight into the
 * writer (hashed, chunked and compressed there) as it arrives, after the restore's safety rules: what a restore would
 * refuse is skipped and listed. A damaged archive or a failed script is an error (the caller aborts the writer).
 */
export async function streamArchive(input: StreamInput): Promise<StreamOutcome> {
  const onEntry = async (entry: TarEntry, content: TarContent): Promise<void> => {
    const path = memberPath(input, entry);
    if (path === null) {
      return;
    }
    if (entry.type === 'hardlink') {
      input.safety.skipped.push({ path, reason: 'a hard link the unit did not resolve' });
      return;
    }
    const admitted = input.safety.admit(fileEntryOf(input, entry, path));
    if (admitted === null) {
      return;
    }
    await input.writer.addFile(admitted, admitted.type === 'file' ? content : undefined);
    input.onFile(path, entry.size);
  };
  const run = input.connection.execStream(
    backupScript({ roots: input.roots, databases: input.databases, listOnStdin: input.request !== undefined }),
    {
      sudo: true,
      idleTimeoutMs: input.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      signal: input.signal,
      stdin: input.request === undefined ? 'none' : 'pipe',
    },
  );
  try {
    if (input.request !== undefined) {
      run.stdin.end(Buffer.from(input.request.map((p) => `${p.slice(1)}\0`).join(''), 'utf8'));
    }
    await readArchive(input.unit, run, onEntry);
    const end = await run.done;
    // tar exits 1 when a file changed while it was read: the archive is whole, the file is as it was at some moment.
    if (end.exitCode !== 0 && end.exitCode !== 1) {
      throw scriptFailure(input.unit, end);
    }
    return readStderr(input, end.stderr);
  } catch (error) {
    run.cancel('the backup failed');
    throw error;
  }
}

async function readArchive(
  unit: string,
  run: ReturnType<StreamChannel['execStream']>,
  onEntry: (entry: TarEntry, content: TarContent) => Promise<void>,
): Promise<void> {
  try {
    await readTar(run.stdout, onEntry);
  } catch (error) {
    // When the script itself failed, its message says more than the archive that stopped short.
    const end = await settledWithin(run.done, 2000);
    run.cancel('the archive could not be read');
    if (
      isArchiveDamage(error) &&
      end !== undefined &&
      'value' in end &&
      end.value.exitCode !== 0 &&
      end.value.exitCode !== 1
    ) {
      throw scriptFailure(unit, end.value);
    }
    if (end !== undefined && 'error' in end && isAppError(end.error) && !isAppError(error)) {
      throw end.error;
    }
    throw error;
  }
}
