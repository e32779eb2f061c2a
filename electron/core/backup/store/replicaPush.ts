import { readFile } from 'node:fs/promises';

import type { BackupPush } from '../../../../shared/domain/backup';
import { putVerified, sha256Of, type ReplicaTarget } from '../replica/ReplicaTarget';
import { readReplica, replicaPaths, type ReplicaView } from '../replica/replicaView';
import { indexFileText } from './chunkIndex';
import { packPath, type SealedPack } from './packs';
import { agreeOnKey } from './replicaKey';
import type { StoreContext } from './storeContext';

/** A backup to copy: the packs it needs that the target's index does not name yet. */
type Candidate = { id: string; packs: Set<string> };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The packs a backup needs at the target, or why it cannot be pushed from here. */
async function packsNeeded(ctx: StoreContext, view: ReplicaView, id: string): Promise<Set<string> | string> {
  let chunkIds: string[];
  try {
    const raw = await ctx.manifests.readUncached(id);
    chunkIds = raw.entries.flatMap((e) => e.chunks.map((c) => c.id));
  } catch (error) {
    return `its manifest is damaged here (${messageOf(error)})`;
  }
  const packs = new Set<string>();
  for (const chunk of chunkIds) {
    if (view.chunkPacks.has(chunk)) {
      continue;
    }
    const location = ctx.chunks.index.usable(chunk);
    if (location === undefined) {
      return `chunk ${chunk.slice(0, 12)} is damaged or missing here (ohtw backups verify ${id})`;
    }
    if (location.kind === 'legacy') {
      return 'it references chunk files of the earlier store layout; a new backup of the unit (--full) can be pushed';
    }
    packs.add(location.pack);
  }
  return packs;
}

/** Copies one pack unless the target has it; its SHA-256 is checked here before and at the target after. */
async function copyPack(
  ctx: StoreContext,
  target: ReplicaTarget,
  view: ReplicaView,
  id: string,
  localBytes: ReadonlyMap<string, number>,
  result: BackupPush,
): Promise<string | null> {
  const bytes = localBytes.get(id);
  const there = view.packFiles.get(id);
  if (there !== undefined) {
    if (there === bytes) {
      result.packsPresent += 1;
      return null;
    }
    result.conflicts.push(replicaPaths.pack(id));
    return `pack ${id.slice(0, 12)} at the target has ${there} bytes, not ${String(bytes)}: left as it is (ohtw backups check --at)`;
  }
  const data = await readFile(packPath(ctx.layout, id));
  if (sha256Of(data) !== id) {
    return `pack ${id.slice(0, 12)} is damaged here (ohtw backups check --read-data)`;
  }
  const outcome = await putVerified(target, replicaPaths.pack(id), data);
  view.packFiles.set(id, data.length);
  if (outcome === 'written') {
    result.packsCopied += 1;
    result.bytesCopied += data.length;
  } else {
    result.packsPresent += 1;
  }
  return null;
}

/** Copies a backup's file list, then its header (its presence is the commit at the target, as here). */
async function copyManifest(ctx: StoreContext, target: ReplicaTarget, id: string, result: BackupPush): Promise<void> {
  const files = await readFile(ctx.layout.p('manifests', `${id}.files.jsonl`));
  const header = await readFile(ctx.layout.p('manifests', `${id}.json`));
  const placed = await putVerified(target, replicaPaths.fileList(id), files);
  if (placed === 'exists' && !(await target.readFile(replicaPaths.fileList(id)))?.equals(files)) {
    result.conflicts.push(replicaPaths.fileList(id));
    result.skipped.push({ backupId: id, reason: 'a different file list of the same id is at the target' });
    return;
  }
  if ((await putVerified(target, replicaPaths.header(id), header)) === 'exists') {
    result.alreadyThere += 1;
    if ((await target.readFile(replicaPaths.header(id)))?.equals(header)) {
      result.alreadyThereIds.push(id);
    } else {
      result.conflicts.push(replicaPaths.header(id));
    }
    return;
  }
  result.pushed.push(id);
  result.bytesCopied += files.length + header.length;
}

/**
 * Copies to the target what it lacks: the packs the backups need, one index file naming them, then each backup's
 * manifest (header last). Safe to interrupt and run again: packs already there are not copied twice, and a backup is
 * listed at the target only once everything it needs is there. Nothing at the target is ever overwritten.
 */
export async function pushStore(ctx: StoreContext, target: ReplicaTarget, unit?: string): Promise<BackupPush> {
  await ctx.chunks.index.refresh({ legacy: true });
  const view = await readReplica(target);
  await agreeOnKey(ctx, view, target);
  const result: BackupPush = {
    target: target.description,
    pushed: [],
    alreadyThere: 0,
    alreadyThereIds: [],
    skipped: [],
    packsCopied: 0,
    packsPresent: 0,
    bytesCopied: 0,
    conflicts: [],
  };
  const candidates: Candidate[] = [];
  // Oldest first: an interrupted push leaves the target with a prefix of the history, not holes in it.
  for (const summary of (await ctx.manifests.list(unit === undefined ? {} : { unit })).reverse()) {
    if (view.headers.has(summary.id)) {
      const here = await readFile(ctx.layout.p('manifests', `${summary.id}.json`));
      if ((await target.readFile(replicaPaths.header(summary.id)))?.equals(here)) {
        result.alreadyThereIds.push(summary.id);
      } else {
        result.conflicts.push(replicaPaths.header(summary.id));
      }
      result.alreadyThere += 1;
      continue;
    }
    const packs = await packsNeeded(ctx, view, summary.id);
    if (typeof packs === 'string') {
      result.skipped.push({ backupId: summary.id, reason: packs });
    } else {
      candidates.push({ id: summary.id, packs });
    }
  }
  const failedPacks = new Map<string, string>();
  const localBytes = new Map(ctx.chunks.index.packList().map((p) => [p.id, p.bytes]));
  for (const pack of new Set(candidates.flatMap((c) => [...c.packs]))) {
    const why = await copyPack(ctx, target, view, pack, localBytes, result);
    if (why !== null) {
      failedPacks.set(pack, why);
    }
  }
  const ready = candidates.filter((c) => {
    const why = [...c.packs].map((p) => failedPacks.get(p)).find((w) => w !== undefined);
    if (why !== undefined) {
      result.skipped.push({ backupId: c.id, reason: why });
    }
    return why === undefined;
  });
  const toIndex: SealedPack[] = ctx.chunks.index
    .packList()
    .filter((p) => !view.indexedPacks.has(p.id) && ready.some((c) => c.packs.has(p.id)))
    .map((p) => ({ id: p.id, bytes: p.bytes, entries: [...p.entries] }));
  if (toIndex.length > 0) {
    const { name, text } = indexFileText(toIndex);
    await putVerified(target, replicaPaths.index(name), Buffer.from(text, 'utf8'));
  }
  for (const candidate of ready) {
    await copyManifest(ctx, target, candidate.id, result);
  }
  return result;
}
