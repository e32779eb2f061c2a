import { readdir, rm, stat } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import type { PruneOptions, PruneResult } from './BackupStore';
import { legacyChunkPath } from './chunkIndex';
import { packPath, readPackTrailer } from './packs';
import { needsRepack, packUse, repack } from './repack';
import { selectRetained } from './retention';
import type { StoreContext } from './storeContext';

/** Temporary files of key and config creation (outside any backup's lock) older than this are garbage. */
const LOOSE_TMP_STALE_MS = 10 * 60 * 1000;

type Collected = { removedChunks: number; removedPacks: number; freedBytes: number };

function pruneConflict(): AppError {
  return new AppError('CONFLICT', 'The backup store is being pruned; try again when it is done', { retryable: true });
}

function checkCounts(options: PruneOptions): void {
  const counts = {
    keepDaily: options.keepDaily,
    keepMonthly: options.keepMonthly,
    keepSnapshotDays: options.keepSnapshotDays ?? 30,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new AppError('VALIDATION', `${name} must be a whole number of 0 or more`, {
        details: { [name]: String(value) },
      });
    }
  }
}

/** Retention, then garbage collection, under the prune lock (see BackupStore.prune). */
export async function pruneStore(ctx: StoreContext, options: PruneOptions): Promise<PruneResult> {
  checkCounts(options);
  if (ctx.writers.size > 0) {
    throw new AppError('CONFLICT', 'A backup is being written into the store; prune when it is done', {
      retryable: true,
    });
  }
  if (ctx.pruning) {
    throw pruneConflict();
  }
  ctx.pruning = true;
  try {
    if (!(await ctx.locks.acquire('prune'))) {
      if (await ctx.locks.isLive('prune')) {
        throw pruneConflict();
      }
      await ctx.locks.release('prune');
      if (!(await ctx.locks.acquire('prune'))) {
        throw pruneConflict();
      }
    }
    try {
      await ctx.locks.staleWriterLocks(options.dryRun !== true);
      return await pruneLocked(ctx, options);
    } finally {
      await ctx.locks.release('prune');
    }
  } finally {
    ctx.pruning = false;
  }
}

async function pruneLocked(ctx: StoreContext, options: PruneOptions): Promise<PruneResult> {
  const summaries = await ctx.manifests.list();
  const keep = selectRetained(
    summaries.map((s) => ({ id: s.id, unit: s.unit, kind: s.kind, createdAtMs: Date.parse(s.createdAt) })),
    {
      keepDaily: options.keepDaily,
      keepMonthly: options.keepMonthly,
      keepSnapshotDays: options.keepSnapshotDays ?? 30,
      nowMs: options.now ?? ctx.clock.now(),
    },
  );
  const removedBackups = summaries.filter((s) => !keep.has(s.id)).map((s) => s.id);
  const dryRun = options.dryRun === true;
  if (!dryRun) {
    for (const id of removedBackups) {
      await ctx.manifests.remove(id);
      ctx.logger.info('backup pruned', { backupId: id });
    }
  }
  const gone = new Set(removedBackups);
  const referenced = new Set<string>();
  const { unreadable, orphans } = await ctx.manifests.scanReferences((id, refs) => {
    if (!gone.has(id)) {
      refs.forEach((r) => referenced.add(r));
    }
  });
  let collected: Collected = { removedChunks: 0, removedPacks: 0, freedBytes: 0 };
  if (unreadable.length > 0) {
    ctx.logger.warn('file list unreadable; keeping every chunk', { backups: unreadable });
  } else {
    if (!dryRun) {
      // No backup is open: what the pack writer holds uncommitted belongs to aborted ones.
      await ctx.chunks.packs.reset();
    }
    await ctx.chunks.index.refresh({ legacy: true });
    collected = await collect(ctx, referenced, dryRun);
  }
  if (!dryRun) {
    for (const id of orphans) {
      await ctx.manifests.removeOrphan(id);
    }
    await clearTmp(ctx);
  }
  return { removedBackups, keptBackups: summaries.length - removedBackups.length, ...collected };
}

/**
 * Packs no index names are what an interrupted backup left: removed, unless one holds a referenced chunk the store
 * has nowhere else (an index file was lost), which is then taken back into the index from the pack's trailer.
 */
async function unindexedPacks(ctx: StoreContext, referenced: ReadonlySet<string>, dryRun: boolean): Promise<Collected> {
  const out: Collected = { removedChunks: 0, removedPacks: 0, freedBytes: 0 };
  for (const sub of await readdir(ctx.layout.p('packs'))) {
    for (const name of await readdir(ctx.layout.p('packs', sub)).catch(() => [] as string[])) {
      if (ctx.chunks.index.hasPack(name)) {
        continue;
      }
      const path = packPath(ctx.layout, name);
      const size = (await stat(path)).size;
      const entries = await readPackTrailer(path).catch(() => []);
      if (entries.some((e) => referenced.has(e.id) && ctx.chunks.index.usable(e.id) === undefined)) {
        ctx.chunks.index.addPack({ id: name, bytes: size, entries });
        ctx.logger.warn('pack taken back into the index from its trailer', { pack: name });
        continue;
      }
      out.removedPacks += 1;
      out.removedChunks += entries.length;
      out.freedBytes += size;
      if (!dryRun) {
        await rm(path, { force: true });
      }
    }
  }
  return out;
}

/**
 * Removes the packs and legacy chunk files that serve no referenced chunk, rewrites packs that are mostly dead, and
 * rewrites the index for the rest.
 */
async function collect(ctx: StoreContext, referenced: ReadonlySet<string>, dryRun: boolean): Promise<Collected> {
  const out = await unindexedPacks(ctx, referenced, dryRun);
  const index = ctx.chunks.index;
  const livePacks = new Set<string>();
  const liveLegacy = new Set<string>();
  for (const id of referenced) {
    const location = index.usable(id);
    if (location?.kind === 'pack') {
      livePacks.add(location.pack);
    } else if (location?.kind === 'legacy') {
      liveLegacy.add(id);
    }
  }
  const dead = index.packList().filter((p) => !livePacks.has(p.id));
  for (const pack of dead) {
    out.removedPacks += 1;
    out.removedChunks += pack.entries.length;
    out.freedBytes += pack.bytes;
  }
  const toRepack = packUse(ctx, referenced, livePacks).filter(needsRepack);
  for (const use of toRepack) {
    out.removedPacks += 1;
    out.removedChunks += use.deadChunks;
    out.freedBytes += use.deadBytes;
  }
  await collectLegacy(ctx, liveLegacy, dryRun, out);
  if (dryRun) {
    return out;
  }
  const repacked = toRepack.length > 0 ? await repack(ctx, toRepack) : [];
  const gone = new Set([...dead.map((p) => p.id), ...repacked]);
  if (gone.size > 0) {
    // The new index first: a crash in between leaves packs no index names, which the next prune removes.
    await index.rewrite(
      index
        .packList()
        .filter((p) => !gone.has(p.id))
        .map((p) => p.id),
    );
    for (const id of gone) {
      ctx.chunks.forgetPack(id);
      await rm(packPath(ctx.layout, id), { force: true });
    }
  }
  await forgetQuarantineOf(ctx, gone, referenced);
  return out;
}

async function collectLegacy(
  ctx: StoreContext,
  liveLegacy: ReadonlySet<string>,
  dryRun: boolean,
  out: Collected,
): Promise<void> {
  for (const id of ctx.chunks.index.legacyIds().filter((c) => !liveLegacy.has(c))) {
    out.removedChunks += 1;
    out.freedBytes += await stat(legacyChunkPath(ctx.layout, id)).then(
      (s) => s.size,
      () => 0,
    );
    if (!dryRun) {
      await rm(legacyChunkPath(ctx.layout, id), { force: true });
      ctx.chunks.index.forgetLegacy(id);
    }
  }
}

/** Quarantine records whose bytes prune removed (their pack, or a damaged legacy file no backup needs). */
async function forgetQuarantineOf(
  ctx: StoreContext,
  removedPacks: ReadonlySet<string>,
  referenced: ReadonlySet<string>,
): Promise<void> {
  for (const [key, record] of ctx.chunks.index.quarantineRecords()) {
    const legacyGone = record.where === 'legacy' && !referenced.has(record.chunk);
    if (removedPacks.has(record.where) || legacyGone) {
      if (legacyGone) {
        await rm(ctx.layout.p('quarantine', 'legacy', record.chunk), { force: true });
      }
      await ctx.chunks.index.forgetQuarantine(key);
      ctx.logger.info('quarantined chunk removed with what held it', { chunk: record.chunk, where: record.where });
    }
  }
}

/**
 * No backup is running (prune holds the lock), so pack and manifest temporaries are garbage; the key and config
 * temporaries belong to an unlock that may be running right now, and go only once they are old.
 */
async function clearTmp(ctx: StoreContext): Promise<void> {
  for (const name of await readdir(ctx.layout.p('tmp'))) {
    const path = ctx.layout.p('tmp', name);
    if (name.startsWith('key.json.') || name.startsWith('store.json.')) {
      try {
        if (Date.now() - (await stat(path)).mtimeMs < LOOSE_TMP_STALE_MS) {
          continue;
        }
      } catch {
        continue;
      }
    }
    await rm(path, { force: true, recursive: true });
  }
}
