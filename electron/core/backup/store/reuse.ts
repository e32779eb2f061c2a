import { AppError } from '../../../../shared/errors/AppError';
import type { FileEntryInput, ReuseRefusal, ReuseSource } from './BackupStore';
import { CHUNK_ID_PATTERN } from './entries';
import type { RawManifest, StoredEntry } from './manifests';
import type { StoreKeys } from './storeCrypto';
import type { StoreContext } from './storeContext';

export type ReuseCandidate = { stored: StoredEntry; sha256: string } | { reason: ReuseRefusal; message: string };

/** An earlier backup files are taken from, read once per writer (or why it cannot be read). */
export type ReuseSourceState = { raw: RawManifest } | { reason: ReuseRefusal; why: string };

/**
 * Reads (and checks) an earlier backup once per writer: while the writer holds its lock no prune can remove or
 * rewrite it. Usually the manifest cache has it already (the backup that plans an incremental read it), which is
 * trusted only while both of its files are the same ones on disk.
 */
export async function loadReuseSource(ctx: StoreContext, backupId: string): Promise<ReuseSourceState> {
  try {
    return { raw: await ctx.manifests.read(backupId) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      return { reason: 'backup-missing', why: 'no such committed backup' };
    }
    if (error instanceof AppError && error.code === 'BACKUP_DAMAGED') {
      return { reason: 'backup-damaged', why: error.message };
    }
    throw error;
  }
}

/**
 * Before a batch of files is judged: every pack their chunks are in is looked for on disk (a stat each, once), so the
 * judgment itself needs no more waiting.
 */
export async function prepareChunks(
  ctx: StoreContext,
  source: ReuseSourceState,
  paths: readonly string[],
): Promise<void> {
  if (!('raw' in source)) {
    return;
  }
  const ids = paths.flatMap((path) => ctx.manifests.entryOf(source.raw, path)?.chunks.map((c) => c.id) ?? []);
  await ctx.chunks.confirmPacksOf(ids);
}

/**
 * For reuseFile: the entry of a committed backup that a new one may reference, with its plaintext SHA-256 (unsealed
 * for a secret file), or why it may not. Asks only the manifest and the index: every chunk must be held, in a pack
 * seen on disk, and not quarantined. Nothing is read from the chunks themselves (verify, check and full backups do
 * that). Synchronous: the caller prepared the source, the packs and the keys.
 */
export function reuseCandidate(
  ctx: StoreContext,
  from: ReuseSource,
  entry: FileEntryInput,
  source: ReuseSourceState,
  keys: StoreKeys | null,
): ReuseCandidate {
  const refuse = (reason: ReuseRefusal, why: string): ReuseCandidate => ({
    reason,
    message: `${from.path} of backup ${from.fromBackupId} cannot be reused: ${why}`,
  });
  if (!('raw' in source)) {
    return refuse(source.reason, source.why);
  }
  const stored = ctx.manifests.entryOf(source.raw, from.path);
  if (stored === undefined) {
    return refuse('entry-missing', 'the backup holds no such path');
  }
  if (stored.type !== 'file') {
    return refuse('not-a-file', `it is a ${stored.type}`);
  }
  if (stored.size !== entry.size) {
    return refuse('size-differs', `it has ${stored.size} bytes, the new entry ${entry.size}`);
  }
  const secret = entry.secret === true;
  if (stored.secret !== secret) {
    // Plain chunks must not be referenced as encrypted ones, nor the other way round.
    return refuse('secret-differs', secret ? 'it is stored unencrypted' : 'it is stored encrypted');
  }
  const chunksOk =
    Array.isArray(stored.chunks) &&
    stored.chunks.every((c) => CHUNK_ID_PATTERN.test(c.id) && Number.isInteger(c.size) && c.size > 0) &&
    stored.chunks.reduce((n, c) => n + c.size, 0) === stored.size;
  if (!chunksOk) {
    return refuse('backup-damaged', 'its chunk list does not add up to its size');
  }
  const sha256 = secret && keys !== null ? ctx.manifests.tryUnseal(from.fromBackupId, stored, keys) : stored.sha256;
  if (sha256 === null || !CHUNK_ID_PATTERN.test(sha256)) {
    return refuse('backup-damaged', 'its SHA-256 is missing or does not open');
  }
  for (const [index, ref] of stored.chunks.entries()) {
    if (ctx.chunks.canReuseNow(ref.id)) {
      continue;
    }
    const which = `chunk ${index + 1} of ${stored.chunks.length}`;
    return ctx.chunks.index.quarantineOf(ref.id) === undefined
      ? refuse('chunk-missing', `${which} is no longer in the store (${ctx.chunks.whyUnusable(ref.id)})`)
      : refuse('chunk-quarantined', `${which} was found damaged: ${ctx.chunks.whyUnusable(ref.id)}`);
  }
  return { stored, sha256 };
}
