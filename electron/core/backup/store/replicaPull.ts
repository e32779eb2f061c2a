import { randomBytes } from 'node:crypto';
import { link, rm, stat } from 'node:fs/promises';

import type { BackupPull } from '../../../../shared/domain/backup';
import { AppError } from '../../../../shared/errors/AppError';
import { sha256Of, type ReplicaTarget } from '../replica/ReplicaTarget';
import { readReplica, replicaPaths, type ReplicaView } from '../replica/replicaView';
import { damaged, sha256Hex } from './layout';
import { parseFileList, parseHeader, type Header } from './manifests';
import { packPath, parseTrailer, type SealedPack } from './packs';
import { agreeOnKey } from './replicaKey';
import type { StoreContext } from './storeContext';
import { asDiskFull, errnoCode } from './storeFs';

type Wanted = { header: Header; headerText: Buffer; files: Buffer };

async function readHeaderAt(target: ReplicaTarget, id: string): Promise<{ header: Header; text: Buffer }> {
  const text = await target.readFile(replicaPaths.header(id));
  if (text === null) {
    throw new AppError('NOT_FOUND', `${target.description} holds no backup ${id}`, { details: { backupId: id } });
  }
  return { header: parseHeader(text.toString('utf8'), id), text };
}

/** The backup named, or the newest backup (not a pre-restore snapshot) of the unit named. */
async function selectBackup(target: ReplicaTarget, view: ReplicaView, selector: string): Promise<string> {
  if (view.headers.has(selector)) {
    return selector;
  }
  let newest: Header | undefined;
  for (const id of view.headers) {
    const { header } = await readHeaderAt(target, id).catch(() => ({ header: undefined }));
    const s = header?.summary;
    if (s !== undefined && s.unit === selector && s.kind === 'backup') {
      if (newest === undefined || s.createdAt > newest.summary.createdAt) {
        newest = header;
      }
    }
  }
  if (newest === undefined) {
    throw new AppError(
      'NOT_FOUND',
      `${target.description} holds no backup ${selector} and no backup of a unit so named`,
      {
        details: { target: target.description, selector },
      },
    );
  }
  return newest.summary.id;
}

/** The backup's header and file list from the target, both checked against the header's own hashes. */
async function readWanted(target: ReplicaTarget, id: string): Promise<Wanted> {
  const { header, text } = await readHeaderAt(target, id);
  const files = await target.readFile(replicaPaths.fileList(id));
  if (files === null || sha256Hex(files) !== header.filesSha256) {
    throw damaged(`The file list of backup ${id} at ${target.description} is missing or damaged`, {
      backupId: id,
      target: target.description,
    });
  }
  return { header, headerText: text, files };
}

/** Copies one pack from the target into the store: checked against its name, then linked into place. */
async function fetchPack(ctx: StoreContext, target: ReplicaTarget, id: string): Promise<SealedPack> {
  const data = await target.readFile(replicaPaths.pack(id));
  if (data === null || sha256Of(data) !== id) {
    throw damaged(
      `Pack ${id.slice(0, 12)} at ${target.description} is ${data === null ? 'missing' : 'damaged'} (ohtw backups check --at ${target.description} --read-data)`,
      { pack: id, target: target.description },
    );
  }
  const sealed: SealedPack = { id, bytes: data.length, entries: parseTrailer(data) };
  const final = packPath(ctx.layout, id);
  if ((await stat(final).catch(() => null))?.size === data.length) {
    return sealed;
  }
  const tmp = ctx.layout.tmpPath('pull');
  try {
    await ctx.layout.fs.writeFileDurable(tmp, data);
    await ctx.layout.ensureDir(ctx.layout.p('packs', id.slice(0, 2)));
    await link(tmp, final).catch((error: unknown) => {
      if (errnoCode(error) !== 'EEXIST') {
        throw error;
      }
    });
    await ctx.layout.fsyncDir(ctx.layout.p('packs', id.slice(0, 2)));
  } catch (error) {
    throw asDiskFull(error, ctx.layout.dir);
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  return sealed;
}

/** The packs holding the chunks of `files` this store cannot read yet. */
function packsToFetch(
  ctx: StoreContext,
  view: ReplicaView,
  target: ReplicaTarget,
  id: string,
  files: Buffer,
): Set<string> {
  const packs = new Set<string>();
  for (const entry of parseFileList(files.toString('utf8')).entries) {
    for (const chunk of entry.chunks) {
      if (ctx.chunks.index.usable(chunk.id) !== undefined) {
        continue;
      }
      const pack = view.chunkPacks.get(chunk.id);
      if (pack === undefined) {
        throw damaged(`Backup ${id} at ${target.description} references a chunk its index does not hold`, {
          backupId: id,
          chunk: chunk.id,
        });
      }
      packs.add(pack);
    }
  }
  return packs;
}

/**
 * Brings one backup of the target (by id, or a unit's newest) into this store: the packs holding what this store
 * lacks, an index file naming them, then the manifest (header last). Everything is checked against its hashes on
 * the way; the backup then lists, verifies and restores like one taken here. A prune cannot run meanwhile.
 */
export async function pullBackup(ctx: StoreContext, target: ReplicaTarget, selector: string): Promise<BackupPull> {
  const view = await readReplica(target);
  const id = await selectBackup(target, view, selector);
  const wanted = await readWanted(target, id);
  const result: BackupPull = { target: target.description, backups: [], packsCopied: 0, bytesCopied: 0 };
  const { unit, createdAt } = wanted.header.summary;
  if ((await ctx.manifests.headerIds()).includes(id)) {
    result.backups.push({ backupId: id, unit, createdAt, status: 'present' });
    return result;
  }
  await agreeOnKey(ctx, view, target);
  const lock = `writer-pull-${randomBytes(6).toString('hex')}`;
  if (ctx.pruning || !(await ctx.locks.acquire(lock)) || (await ctx.locks.isLive('prune'))) {
    await ctx.locks.release(lock);
    throw new AppError('CONFLICT', 'The backup store is being pruned; try again when it is done', { retryable: true });
  }
  try {
    await ctx.chunks.index.refresh();
    const fetched: SealedPack[] = [];
    for (const pack of packsToFetch(ctx, view, target, id, wanted.files)) {
      const sealed = await fetchPack(ctx, target, pack);
      fetched.push(sealed);
      result.packsCopied += 1;
      result.bytesCopied += sealed.bytes;
    }
    for (const pack of fetched) {
      ctx.chunks.index.addPack(pack);
    }
    await ctx.chunks.index.writeIndexFile(fetched);
    await ctx.layout.writeDurable(ctx.layout.p('manifests', `${id}.files.jsonl`), wanted.files);
    await ctx.layout.writeDurable(ctx.layout.p('manifests', `${id}.json`), wanted.headerText);
    await ctx.layout.fsyncDir(ctx.layout.p('manifests'));
  } finally {
    await ctx.locks.release(lock);
  }
  result.backups.push({ backupId: id, unit, createdAt, status: 'pulled' });
  return result;
}
