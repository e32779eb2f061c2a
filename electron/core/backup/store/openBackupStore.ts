import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import type { BackupPull, BackupPush } from '../../../../shared/domain/backup';
import { AppError } from '../../../../shared/errors/AppError';
import type { ReplicaTarget } from '../replica/ReplicaTarget';
import type {
  BackupStore,
  BackupSummary,
  BackupWriter,
  BeginBackupInput,
  CheckResult,
  Manifest,
  ManifestFile,
  OpenBackupStoreOptions,
  PruneOptions,
  PruneResult,
  StoreStats,
  VerifyResult,
} from './BackupStore';
import { checkStore } from './check';
import { DEFAULT_CHUNKER, validateChunkerParams } from './chunker';
import { ChunkDamage } from './chunkCodec';
import { ChunkStore } from './chunkStore';
import { backupIdFor, checkBeginInput } from './entries';
import { StoreKeyRing } from './keys';
import { damaged, StoreLayout } from './layout';
import { StoreLocks } from './locks';
import { Manifests, type StoredEntry } from './manifests';
import { DEFAULT_PACK_SIZE } from './packs';
import { pruneStore } from './prune';
import { pullBackup } from './replicaPull';
import { pushStore } from './replicaPush';
import { DEFAULT_KDF_COST } from './storeCrypto';
import type { StoreContext } from './storeContext';
import { nodeStoreFs } from './storeFs';
import { verifyBackup } from './verify';
import { StoreWriter } from './writer';

/** Opens (creating when missing) the store in `options.dir`; see BackupStore for what it promises. */
export async function openBackupStore(options: OpenBackupStoreOptions): Promise<BackupStore> {
  const newChunker = options.chunker ?? DEFAULT_CHUNKER;
  validateChunkerParams(newChunker);
  const logger = options.logger.child({ component: 'backup-store' });
  const layout = new StoreLayout(options.dir, options.fs ?? nodeStoreFs);
  const config = await layout.open(newChunker, options.clock);
  const chunks = new ChunkStore(layout, options.clock, logger, options.packSize ?? DEFAULT_PACK_SIZE);
  await chunks.index.refresh({ legacy: true });
  const ctx: StoreContext = {
    dir: options.dir,
    clock: options.clock,
    logger,
    layout,
    keys: new StoreKeyRing(layout, options.keyProvider, options.kdfCost ?? DEFAULT_KDF_COST, logger),
    locks: new StoreLocks(layout, logger),
    chunks,
    manifests: new Manifests(layout, logger),
    chunker: config.chunker,
    writers: new Set(),
    pruning: false,
  };
  return new LocalBackupStore(ctx);
}

class LocalBackupStore implements BackupStore {
  constructor(private readonly ctx: StoreContext) {}

  get dir(): string {
    return this.ctx.dir;
  }

  async unlock(): Promise<void> {
    await this.ctx.keys.get();
  }

  async beginBackup(input: BeginBackupInput): Promise<BackupWriter> {
    const { ctx } = this;
    checkBeginInput(input);
    if (ctx.pruning) {
      throw pruneConflict();
    }
    const startedMs = ctx.clock.now();
    const id = backupIdFor(input.unit, startedMs);
    if (!(await ctx.locks.acquire(`writer-${id}`))) {
      throw new AppError('CONFLICT', `Backup id ${id} is already in use`);
    }
    const writer = new StoreWriter(ctx, id, input, new Date(startedMs).toISOString());
    ctx.writers.add(writer);
    if (ctx.pruning || (await ctx.locks.isLive('prune'))) {
      ctx.writers.delete(writer);
      await ctx.locks.release(`writer-${id}`);
      throw pruneConflict();
    }
    // Another process may have committed since: its chunks are then reused, not written twice.
    await ctx.chunks.index.refresh();
    ctx.chunks.forgetSeenPacks();
    ctx.logger.debug('backup begun', { backupId: id, unit: input.unit, kind: input.kind });
    return writer;
  }

  list(filter: { unit?: string } = {}): Promise<BackupSummary[]> {
    return this.ctx.manifests.list(filter);
  }

  async getManifest(backupId: string): Promise<Manifest> {
    const { manifests, keys } = this.ctx;
    const raw = await manifests.read(backupId);
    const storeKeys = raw.header.summary.hasSecrets ? await keys.get() : null;
    const entries: ManifestFile[] = raw.entries.map((e) => {
      const { sealedSha256: _sealed, ...rest } = e;
      const sha256 = e.sha256 ?? (storeKeys === null ? '' : manifests.unseal(backupId, e, storeKeys));
      return { ...rest, sha256 };
    });
    return {
      format: 1,
      ...raw.header.summary,
      entries,
      attachments: raw.attachments,
      skippedPaths: raw.skipped,
    };
  }

  async openFile(backupId: string, path: string): Promise<Readable> {
    const { manifests, keys, chunks } = this.ctx;
    const raw = await manifests.read(backupId);
    const found = manifests.entryOf(raw, path);
    if (found === undefined || found.type !== 'file') {
      throw new AppError('NOT_FOUND', `Backup ${backupId} holds no regular file ${path}`, {
        details: { backupId, path },
      });
    }
    const entry: StoredEntry = found;
    const storeKeys = entry.secret ? await keys.get() : null;
    const expected = entry.sha256 ?? manifests.unseal(backupId, entry, await keys.get());
    async function* content(): AsyncGenerator<Buffer> {
      const hash = createHash('sha256');
      let size = 0;
      for (const [index, ref] of entry.chunks.entries()) {
        let plain: Buffer;
        try {
          plain = await chunks.read(ref, storeKeys);
        } catch (error) {
          if (error instanceof ChunkDamage) {
            throw damaged(`${path} in backup ${backupId} is damaged: chunk ${index + 1} ${error.message}`, {
              backupId,
              path,
              chunk: ref.id,
            });
          }
          throw error;
        }
        hash.update(plain);
        size += plain.length;
        yield plain;
      }
      if (size !== entry.size || hash.digest('hex') !== expected) {
        throw damaged(`${path} in backup ${backupId} does not match its SHA-256`, { backupId, path });
      }
    }
    return Readable.from(content(), { objectMode: false });
  }

  verify(backupId: string, options: { sample?: number } = {}): Promise<VerifyResult> {
    return verifyBackup(this.ctx, backupId, options);
  }

  check(options: { readData?: boolean } = {}): Promise<CheckResult> {
    return checkStore(this.ctx, options);
  }

  prune(options: PruneOptions): Promise<PruneResult> {
    return pruneStore(this.ctx, options);
  }

  push(target: ReplicaTarget, unit?: string): Promise<BackupPush> {
    return pushStore(this.ctx, target, unit);
  }

  pull(target: ReplicaTarget, selector: string): Promise<BackupPull> {
    return pullBackup(this.ctx, target, selector);
  }

  async stats(): Promise<StoreStats> {
    const { manifests, chunks } = this.ctx;
    const summaries = await manifests.list();
    const sizes = new Map<string, number>();
    for (const s of summaries) {
      try {
        const raw = await manifests.read(s.id);
        for (const e of raw.entries) {
          for (const ref of e.chunks) {
            sizes.set(ref.id, ref.size);
          }
        }
      } catch {
        // a damaged backup: verify reports it
      }
    }
    await chunks.index.refresh({ legacy: true });
    return {
      backups: summaries.length,
      units: new Set(summaries.map((s) => s.unit)).size,
      chunks: chunks.index.chunkCount(),
      storedBytes: await chunks.index.storedBytes(),
      logicalBytes: summaries.reduce((n, s) => n + s.bytes, 0),
      uniqueBytes: [...sizes.values()].reduce((n, v) => n + v, 0),
    };
  }

  async close(): Promise<void> {
    for (const writer of [...this.ctx.writers]) {
      await writer.abort();
    }
    await this.ctx.chunks.close();
  }
}

function pruneConflict(): AppError {
  return new AppError('CONFLICT', 'The backup store is being pruned; try again when it is done', { retryable: true });
}
