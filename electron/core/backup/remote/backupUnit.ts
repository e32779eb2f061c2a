import type { Readable } from 'node:stream';

import type { BackupProfile } from '../../../../shared/domain/backup';
import { AppError, isAppError, type JsonValue } from '../../../../shared/errors/AppError';
import type { BackupStore, BackupSummary, FileEntryInput, Manifest, ManifestFile } from '../store/BackupStore';
import type { CommandChannel, StreamChannel, StreamExecEnd, StreamingExec } from '../../transport/transport';
import { enabledParts, isUnder, secretMatcher } from '../profile/backupProfiles';
import { ABSENT_PREFIX, backupScript, DB_MEMBER_DIR, DB_TOOL_PREFIX, SCRIPT_EXIT } from './backupScript';
import { listRemote, type ListedEntry } from './remoteListing';
import { isArchiveDamage, readTar, type TarEntry } from './tarReader';

export type UnitBackupProgress = { files: number; bytes: number; path: string };

export type UnitBackupInput = {
  /** The unit's name: the store files the backup under it, and every message starts with it. */
  unit: string;
  connection: CommandChannel & StreamChannel;
  profile: BackupProfile;
  /**
   * The unit's previous backup: a regular file whose size and modification time are as it recorded them (and that
   * was not being modified around it) is added by reference to the previous backup's entry (its chunks are already in
   * the store: nothing is read, hashed or written again) instead of being read over the network; a file the store
   * will not reference (a chunk gone, the backup pruned meanwhile) is read from the unit after all.
   */
  previous?: Manifest | undefined;
  store: BackupStore;
  /** Kept with the backup: host, host key fingerprint, how the database was copied… */
  meta?: Record<string, JsonValue>;
  /** Extra JSON kept with the backup by name (the RS485 module parameters). */
  attachments?: Record<string, JsonValue>;
  signal?: AbortSignal;
  /** The unit sending nothing for this long stops the backup (60 s when absent). */
  idleTimeoutMs?: number;
  onProgress?: (progress: UnitBackupProgress) => void;
  /** Called once everything was read, before the backup is made durable. */
  onCommitting?: () => void;
};

export type UnitBackupOutcome = {
  summary: BackupSummary;
  /** Roots not on the unit, files changed while read, entries that are neither files, folders nor links. */
  warnings: string[];
  /** How each database was copied (`/opt/oht50/backend/oht50.db: sqlite3`). */
  databases: string[];
  /** Regular files added by reference to the previous backup because they had not changed, and their bytes. */
  reused: { files: number; bytes: number };
};

/** Long enough for a large database copy on an SD card; keepalives notice a vanished unit sooner. */
const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
/** A file modified this close to the previous backup may have changed again within the same second. */
const SETTLE_SECONDS = 2;
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
  // With a previous backup: list the unit first, and ask the archive only for what is not unchanged.
  const plan = input.previous === undefined ? undefined : await planIncremental(input, roots, databases, isSecret);
  for (const path of plan?.absent ?? []) {
    warn(`${path}: not on the unit`);
  }
  const writer = await input.store.beginBackup({
    unit: input.unit,
    profile: { id: input.profile.id, version: input.profile.version },
    kind: 'backup',
    meta: input.meta ?? {},
  });
  let files = 0;
  let bytes = 0;
  const reused = { files: 0, bytes: 0 };

  /**
   * Adds the unchanged files by reference, in the listing's order, before the archive is asked for anything (so in the
   * manifest they come before the archive's members; restore orders by path, not by the manifest); returns
   * what the archive must bring: the changed paths and any unchanged file the store would not reference, in the
   * listing's order.
   */
  const reuseUnchanged = async (incremental: IncrementalPlan, fromBackupId: string): Promise<string[]> => {
    const refused: { path: string; why: string }[] = [];
    for (const item of incremental.unchanged) {
      const outcome = await writer.reuseFile(item.entry, { fromBackupId, path: item.entry.path });
      if (!outcome.reused) {
        refused.push({ path: item.entry.path, why: outcome.message });
        continue;
      }
      files += 1;
      bytes += outcome.size;
      reused.files += 1;
      reused.bytes += outcome.size;
      input.onProgress?.({ files, bytes, path: item.entry.path });
    }
    if (refused.length === 0) {
      return incremental.request;
    }
    const [first] = refused;
    warn(
      `${refused.length} unchanged file${refused.length === 1 ? '' : 's'} read from the unit again: ${first?.why ?? ''}`,
    );
    const place = (path: string): number => incremental.order.get(path) ?? 0;
    return [...incremental.request, ...refused.map((r) => r.path)].sort((a, b) => place(a) - place(b));
  };

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

  let run: StreamingExec | undefined;
  try {
    const request = plan === undefined ? [] : await reuseUnchanged(plan, input.previous?.id ?? '');
    run = input.connection.execStream(backupScript({ roots, databases, listOnStdin: plan !== undefined }), {
      sudo: true,
      idleTimeoutMs: input.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      signal: input.signal,
      stdin: plan === undefined ? 'none' : 'pipe',
    });
    if (plan !== undefined) {
      run.stdin.end(Buffer.from(request.map((p) => `${p.slice(1)}\0`).join(''), 'utf8'));
    }
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
    input.onCommitting?.();
    const summary = await writer.commit();
    return { summary, warnings, databases: tools, reused };
  } catch (error) {
    run?.cancel('the backup failed');
    await writer.abort();
    throw error;
  }
}

type UnchangedFile = { entry: FileEntryInput };

type IncrementalPlan = {
  /** Paths the archive must bring, in the listing's order. */
  request: string[];
  /** Files to add by reference to the previous backup, in the listing's order. */
  unchanged: UnchangedFile[];
  /** Each listed path's place in the listing. */
  order: Map<string, number>;
  absent: string[];
};

function isExcluded(path: string, excludes: readonly string[]): boolean {
  return excludes.some((exclude) => isUnder(path, exclude));
}

async function planIncremental(
  input: UnitBackupInput,
  roots: BackupProfile['roots'],
  databases: BackupProfile['databases'],
  isSecret: (path: string) => boolean,
): Promise<IncrementalPlan> {
  const previous = new Map<string, ManifestFile>((input.previous?.entries ?? []).map((e) => [e.path, e]));
  const previousAtSeconds = Date.parse(input.previous?.createdAt ?? '') / 1000;
  const listing = await listRemote(input.connection, input.unit, roots, input.signal);
  const excludes = [
    ...roots.flatMap((r) => r.exclude),
    ...databases.flatMap((d) => ['', '-wal', '-shm', '-journal'].map((suffix) => `${d.path}${suffix}`)),
  ];
  const plan: IncrementalPlan = { request: [], unchanged: [], order: new Map(), absent: listing.absent };
  const isSame = (listed: ListedEntry, before: ManifestFile | undefined): before is ManifestFile =>
    before !== undefined &&
    before.type === 'file' &&
    listed.kind === 'f' &&
    before.size === listed.size &&
    before.mtimeMs === listed.mtimeSeconds * 1000 &&
    before.secret === isSecret(listed.path) &&
    Number.isFinite(previousAtSeconds) &&
    listed.mtimeExact < previousAtSeconds - SETTLE_SECONDS;
  for (const listed of listing.entries) {
    if (isExcluded(listed.path, excludes) || plan.order.has(listed.path)) {
      continue;
    }
    plan.order.set(listed.path, plan.order.size);
    const before = previous.get(listed.path);
    if (isSame(listed, before)) {
      plan.unchanged.push({
        entry: {
          path: listed.path,
          type: 'file',
          mode: listed.mode,
          uid: listed.uid,
          gid: listed.gid,
          owner: before.uid === listed.uid ? before.owner : String(listed.uid),
          group: before.gid === listed.gid ? before.group : String(listed.gid),
          mtimeMs: listed.mtimeSeconds * 1000,
          size: listed.size,
          ...(before.secret ? { secret: true } : {}),
        },
      });
    } else {
      plan.request.push(listed.path);
    }
  }
  return plan;
}
