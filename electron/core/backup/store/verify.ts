import { createHash } from 'node:crypto';

import { AppError } from '../../../../shared/errors/AppError';
import type { ChunkRef, VerifyProblem, VerifyResult } from './BackupStore';
import { ChunkDamage } from './chunkCodec';
import { ID_PATTERN, notFound, type RawManifest, type StoredEntry } from './manifests';
import type { StoreKeys } from './storeCrypto';
import type { StoreContext } from './storeContext';

/** Per chunk id: null when it checked out, otherwise what is wrong; a chunk shared by files is read once. */
type ChunkVerdicts = Map<string, string | null>;

function shuffledSample<T>(items: readonly T[], n: number): Set<T> {
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
  }
  return new Set(shuffled.slice(0, Math.max(0, Math.floor(n))));
}

/** Without a passphrase the plain files are still checked; the secret ones are reported, never passed unread. */
async function keysForVerify(ctx: StoreContext, raw: RawManifest): Promise<StoreKeys | null> {
  return raw.header.summary.hasSecrets ? ctx.keys.getIfAvailable() : null;
}

/** Checks one chunk: only that it is held (not read), or read in full; null when it is good. */
async function chunkProblem(
  ctx: StoreContext,
  ref: ChunkRef,
  keys: StoreKeys | null,
  full: boolean,
  verdicts: ChunkVerdicts,
): Promise<{ problem: string | null; plain: Buffer | null }> {
  if (!full) {
    if (await ctx.chunks.canReuse(ref.id)) {
      return { problem: null, plain: null };
    }
    return { problem: ctx.chunks.whyUnusable(ref.id), plain: null };
  }
  const known = verdicts.get(ref.id);
  if (known !== undefined && known !== null) {
    return { problem: known, plain: null };
  }
  try {
    const plain = await ctx.chunks.read(ref, keys);
    verdicts.set(ref.id, null);
    return { problem: null, plain };
  } catch (error) {
    if (!(error instanceof ChunkDamage)) {
      throw error;
    }
    verdicts.set(ref.id, error.message);
    return { problem: error.message, plain: null };
  }
}

async function verifyFile(
  ctx: StoreContext,
  backupId: string,
  entry: StoredEntry,
  keys: StoreKeys | null,
  full: boolean,
  verdicts: ChunkVerdicts,
): Promise<VerifyProblem | null> {
  const hash = createHash('sha256');
  let size = 0;
  for (const [index, ref] of entry.chunks.entries()) {
    const { problem, plain } = await chunkProblem(ctx, ref, entry.secret ? keys : null, full, verdicts);
    if (problem !== null) {
      return {
        path: entry.path,
        problem: /^(missing|its pack \w+ is missing)$/.test(problem) ? 'chunk-missing' : 'chunk-damaged',
        message: `chunk ${index + 1} of ${entry.chunks.length}: ${problem}`,
        chunk: ref.id,
      };
    }
    if (plain !== null) {
      hash.update(plain);
      size += plain.length;
    }
  }
  if (!full) {
    return null;
  }
  const expected = entry.sha256 ?? (keys === null ? null : ctx.manifests.tryUnseal(backupId, entry, keys));
  if (expected === null || size !== entry.size || hash.digest('hex') !== expected) {
    return {
      path: entry.path,
      problem: 'content-mismatch',
      message: 'the content does not match its size and SHA-256',
    };
  }
  return null;
}

/**
 * Re-reads a backup's chunks and checks every hash (see BackupStore.verify). A damaged chunk is quarantined by the
 * read that finds it; the result names the other backups that share a damaged or missing chunk.
 */
export async function verifyBackup(
  ctx: StoreContext,
  backupId: string,
  options: { sample?: number } = {},
): Promise<VerifyResult> {
  if (!ID_PATTERN.test(backupId)) {
    throw notFound(backupId);
  }
  let raw: RawManifest;
  try {
    // Verify reads the manifest from disk again, never from the cache: it is what is checked first.
    raw = await ctx.manifests.readUncached(backupId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'BACKUP_DAMAGED') {
      return {
        ok: false,
        checkedFiles: 0,
        problems: [{ path: '', problem: 'manifest-damaged', message: error.message }],
        sharedWith: [],
        quarantined: 0,
      };
    }
    throw error;
  }
  await ctx.chunks.index.refresh();
  // Every pack is looked for on disk again (once each) by this verify.
  ctx.chunks.forgetSeenPacks();
  const keys = await keysForVerify(ctx, raw);
  const files = raw.entries.filter((e) => e.type === 'file');
  const readFully = options.sample === undefined ? new Set(files) : shuffledSample(files, options.sample);
  const quarantinedBefore = ctx.chunks.index.quarantineRecords().length;
  const problems: VerifyProblem[] = [];
  const verdicts: ChunkVerdicts = new Map();
  let checkedFiles = 0;
  for (const entry of files) {
    if (entry.secret && keys === null) {
      problems.push({
        path: entry.path,
        problem: 'passphrase-needed',
        message: 'encrypted: its content can be checked only with the store passphrase',
      });
      continue;
    }
    const full = readFully.has(entry);
    checkedFiles += full ? 1 : 0;
    const problem = await verifyFile(ctx, backupId, entry, keys, full, verdicts);
    if (problem !== null) {
      problems.push(problem);
    }
  }
  const bad = new Set(problems.flatMap((p) => (p.chunk === undefined ? [] : [p.chunk])));
  return {
    ok: problems.length === 0,
    checkedFiles,
    problems,
    sharedWith: await ctx.manifests.backupsReferencing(bad, backupId),
    quarantined: ctx.chunks.index.quarantineRecords().length - quarantinedBefore,
  };
}
