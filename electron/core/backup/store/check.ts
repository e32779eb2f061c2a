import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import type { CheckProblem, CheckResult } from './BackupStore';
import type { ChunkLocation } from './chunkIndex';
import { legacyChunkPath } from './chunkIndex';
import { chunkInBlock, ChunkDamage, decodeBlock, decodeChunk, isEncryptedBlob } from './chunkCodec';
import type { PackEntry } from './packs';
import { packPath } from './packs';
import type { StoreKeys } from './storeCrypto';
import type { StoreContext } from './storeContext';
import { isEnoent } from './storeFs';

/** What a check collects on its way; turned into a CheckResult at the end. */
type Findings = {
  problems: CheckProblem[];
  notes: string[];
  /** Chunk ids found damaged or missing: the backups that reference them are named at the end. */
  badChunks: Map<string, CheckProblem>;
  unreferencedPacks: string[];
  readBytes: number;
  encryptedUnread: number;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Every chunk referenced by a committed backup, and the backups' own health. */
async function checkManifests(ctx: StoreContext, f: Findings): Promise<{ referenced: Set<string>; backups: number }> {
  const ids = await ctx.manifests.headerIds();
  for (const id of ids) {
    try {
      await ctx.manifests.readUncached(id);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) {
        f.problems.push({ kind: 'manifest', subject: id, message: messageOf(error), backups: [id] });
      }
    }
  }
  const referenced = new Set<string>();
  const { orphans } = await ctx.manifests.scanReferences((_id, refs) => refs.forEach((r) => referenced.add(r)));
  if (orphans.length > 0) {
    f.notes.push(`${orphans.length} file list(s) of interrupted commits, never listed (prune removes them)`);
  }
  return { referenced, backups: ids.length };
}

/** Damaged index files, packs the index names that are missing or cut short, and packs no index names. */
async function checkPacks(ctx: StoreContext, f: Findings, referenced: ReadonlySet<string>): Promise<void> {
  for (const [name, why] of ctx.chunks.index.damagedIndexes()) {
    f.problems.push({ kind: 'index', subject: `index/${name}`, message: why, backups: [] });
  }
  for (const pack of ctx.chunks.index.packList()) {
    const size = await stat(packPath(ctx.layout, pack.id)).then(
      (s) => s.size,
      (error: unknown) => {
        if (isEnoent(error)) {
          return -1;
        }
        throw error;
      },
    );
    if (size === pack.bytes) {
      continue;
    }
    if (size < 0) {
      ctx.chunks.index.markMissing(pack.id);
      // Each referenced chunk in it is a problem of its own (checkReferences), naming the backups it damages.
      f.notes.push(`pack ${pack.id.slice(0, 12)} is named by the index but missing from packs/`);
      continue;
    }
    // Cut short (or grown): the chunks past its end are gone; those before it are decoded by readData.
    const why = `its pack has ${size} bytes, the index says ${pack.bytes}`;
    for (const entry of pack.entries.filter((e) => referenced.has(e.id) && e.offset + e.length > size)) {
      await quarantineBad(ctx, f, entry.id, { kind: 'pack', pack: pack.id, entry }, why);
    }
  }
  for (const sub of await readdir(ctx.layout.p('packs'))) {
    for (const name of await readdir(ctx.layout.p('packs', sub)).catch(() => [] as string[])) {
      if (!ctx.chunks.index.hasPack(name)) {
        f.unreferencedPacks.push(name);
      }
    }
  }
  if (f.unreferencedPacks.length > 0) {
    f.notes.push(
      `${f.unreferencedPacks.length} pack(s) no index names, left by an interrupted backup (prune removes them)`,
    );
  }
}

/** A damaged location found by the check: quarantined, and a problem only when no good copy is left. */
async function quarantineBad(
  ctx: StoreContext,
  f: Findings,
  id: string,
  location: ChunkLocation,
  why: string,
): Promise<void> {
  await ctx.chunks.index.quarantine(id, location, why, ctx.clock.nowIso());
  if (ctx.chunks.index.usable(id) === undefined && !f.badChunks.has(id)) {
    f.badChunks.set(id, { kind: 'chunk', subject: id, message: `damaged: ${why}`, backups: [] });
  }
}

/** Every chunk a backup references must be held and not quarantined. */
function checkReferences(ctx: StoreContext, f: Findings, referenced: ReadonlySet<string>): void {
  for (const id of referenced) {
    if (f.badChunks.has(id) || ctx.chunks.index.usable(id) !== undefined) {
      continue;
    }
    f.badChunks.set(id, { kind: 'chunk', subject: id, message: ctx.chunks.whyUnusable(id), backups: [] });
  }
}

/** Indexed packs holding nothing a backup references (an aborted backup's, or emptied by pruned backups). */
function notePacksUnreferenced(ctx: StoreContext, f: Findings, referenced: ReadonlySet<string>): void {
  for (const pack of ctx.chunks.index.packList()) {
    if (!pack.entries.some((e) => referenced.has(e.id))) {
      f.unreferencedPacks.push(pack.id);
    }
  }
}

/** Decodes one blob against its id; encrypted ones only with the keys. */
async function blobProblem(blob: Buffer, id: string, keys: StoreKeys | null, f: Findings): Promise<string | null> {
  const encrypted = isEncryptedBlob(blob);
  if (encrypted === true && keys === null) {
    f.encryptedUnread += 1;
    return null;
  }
  try {
    await decodeChunk(blob, id, encrypted === true ? keys : null);
    return null;
  } catch (error) {
    if (error instanceof ChunkDamage) {
      return error.message;
    }
    throw error;
  }
}

/** Checks a small chunk inside its block (each block decoded once). */
async function memberProblem(
  blocks: Map<number, Promise<Buffer>>,
  blob: Buffer,
  entry: PackEntry,
): Promise<string | null> {
  let block = blocks.get(entry.offset);
  if (block === undefined) {
    block = decodeBlock(blob);
    blocks.set(entry.offset, block);
  }
  try {
    chunkInBlock(await block, entry.id, entry.inner ?? 0, entry.size);
    return null;
  } catch (error) {
    if (error instanceof ChunkDamage) {
      return error.message;
    }
    throw error;
  }
}

/** Reads one pack in full: its SHA-256 against its name, then every blob the index places in it. */
async function readPack(
  ctx: StoreContext,
  f: Findings,
  pack: { id: string; entries: readonly PackEntry[] },
  keys: StoreKeys | null,
): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(packPath(ctx.layout, pack.id));
  } catch (error) {
    if (isEnoent(error)) {
      return; // reported by checkPacks
    }
    throw error;
  }
  f.readBytes += data.length;
  const hashOk = createHash('sha256').update(data).digest('hex') === pack.id;
  const blocks = new Map<number, Promise<Buffer>>();
  for (const entry of pack.entries) {
    const location: ChunkLocation = { kind: 'pack', pack: pack.id, entry };
    if (ctx.chunks.index.isQuarantined(entry.id, location)) {
      continue;
    }
    const blob = data.subarray(entry.offset, entry.offset + entry.length);
    const why =
      blob.length !== entry.length
        ? 'its pack is cut short'
        : entry.inner === undefined
          ? await blobProblem(blob, entry.id, keys, f)
          : await memberProblem(blocks, blob, entry);
    if (why !== null) {
      await quarantineBad(ctx, f, entry.id, location, why);
    }
  }
  if (!hashOk && !f.problems.some((p) => p.subject === pack.id)) {
    f.notes.push(`pack ${pack.id.slice(0, 12)} does not match its SHA-256 (its damaged chunks are quarantined)`);
  }
}

async function readLegacy(ctx: StoreContext, f: Findings, keys: StoreKeys | null): Promise<void> {
  for (const id of ctx.chunks.index.legacyIds()) {
    let blob: Buffer;
    try {
      blob = await readFile(legacyChunkPath(ctx.layout, id));
    } catch (error) {
      if (!isEnoent(error)) {
        throw error;
      }
      blob = Buffer.alloc(0);
    }
    f.readBytes += blob.length;
    const why = blob.length === 0 ? 'missing' : await blobProblem(blob, id, keys, f);
    if (why !== null) {
      await quarantineBad(ctx, f, id, { kind: 'legacy' }, why);
    }
  }
}

async function noteLeftovers(ctx: StoreContext, f: Findings): Promise<void> {
  const tmp = await readdir(ctx.layout.p('tmp'));
  if (tmp.length > 0 && ctx.writers.size === 0) {
    f.notes.push(`${tmp.length} temporary file(s) of interrupted runs in tmp/ (prune removes them)`);
  }
  const superseded = ctx.chunks.index.quarantineRecords().filter(([, r]) => ctx.chunks.index.usable(r.chunk));
  if (superseded.length > 0) {
    f.notes.push(`${superseded.length} quarantined chunk location(s) kept for inspection; a good copy is in use`);
  }
}

/** restic's `check` for this store (see BackupStore.check). */
export async function checkStore(ctx: StoreContext, options: { readData?: boolean } = {}): Promise<CheckResult> {
  await ctx.chunks.index.refresh({ legacy: true });
  const f: Findings = {
    problems: [],
    notes: [],
    badChunks: new Map(),
    unreferencedPacks: [],
    readBytes: 0,
    encryptedUnread: 0,
  };
  try {
    await ctx.keys.readRecord();
  } catch (error) {
    f.problems.push({ kind: 'key', subject: 'key.json', message: messageOf(error), backups: [] });
  }
  const { referenced, backups } = await checkManifests(ctx, f);
  await checkPacks(ctx, f, referenced);
  if (options.readData === true) {
    const keys = await ctx.keys.getIfAvailable().catch(() => null);
    for (const pack of ctx.chunks.index.packList()) {
      await readPack(ctx, f, pack, keys);
    }
    await readLegacy(ctx, f, keys);
  }
  checkReferences(ctx, f, referenced);
  notePacksUnreferenced(ctx, f, referenced);
  await noteLeftovers(ctx, f);
  if (f.encryptedUnread > 0) {
    f.notes.push(`${f.encryptedUnread} encrypted chunk(s) not decoded: the store passphrase is needed for that`);
  }
  for (const [id, problem] of f.badChunks) {
    if (referenced.has(id)) {
      problem.backups = await ctx.manifests.backupsReferencing(new Set([id]));
      f.problems.push(problem);
    } else {
      f.notes.push(`chunk ${id.slice(0, 12)} is ${problem.message}, but no backup references it`);
    }
  }
  return {
    ok: f.problems.length === 0,
    readData: options.readData === true,
    problems: f.problems,
    notes: f.notes,
    unreferencedPacks: [...new Set(f.unreferencedPacks)].sort(),
    counts: {
      backups,
      packs: ctx.chunks.index.packList().length,
      chunks: ctx.chunks.index.chunkCount(),
      legacyChunks: ctx.chunks.index.legacyIds().length,
      quarantined: ctx.chunks.index.quarantineRecords().length,
      readBytes: f.readBytes,
    },
  };
}
