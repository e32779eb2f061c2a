import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

import type { JsonValue } from '../../../../shared/errors/AppError';
import { AppError } from '../../../../shared/errors/AppError';
import { APP_VERSION } from '../../paths/appVersion';
import type {
  AddFileResult,
  BackupSummary,
  BackupWriter,
  BeginBackupInput,
  ChunkRef,
  FileContent,
  FileEntryInput,
  ReuseFileResult,
  ReuseSource,
} from './BackupStore';
import { Chunker } from './chunker';
import { chunkIdFor } from './chunkCodec';
import { checkEntry, EMPTY_SHA256, entryBase } from './entries';
import { sealAad, type StoredEntry, type StoredLine } from './manifests';
import { loadReuseSource, prepareChunks, reuseCandidate, type ReuseSourceState } from './reuse';
import { seal, type StoreKeys } from './storeCrypto';
import type { StoreContext } from './storeContext';
import { asDiskFull } from './storeFs';

/**
 * Chunks of one file being encoded and appended at once: the thread pool compresses several while this thread cuts
 * and hashes the next. Memory stays bounded by this many chunks of at most maxSize.
 */
const MAX_INFLIGHT_CHUNKS = 8;

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function stopContent(content: FileContent): void {
  const stream = content as Partial<Readable>;
  if (typeof stream.destroy === 'function') {
    stream.destroy();
  }
}

/** One file's chunks on their way into the store, at most MAX_INFLIGHT_CHUNKS at a time. */
class ChunkPipeline {
  readonly refs: ChunkRef[] = [];
  newBytes = 0;
  storedBytes = 0;
  private readonly inflight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly ctx: StoreContext,
    private readonly keys: StoreKeys | null,
    private readonly recheck: boolean,
    /** Stored bytes reach the backup's total even when they are known only later (a small chunk's block). */
    private readonly onStored: (bytes: number) => void,
  ) {}

  /** `knownId`: the chunk is the whole file, whose SHA-256 is its id already (a plain file's chunk is named so). */
  async submit(chunk: Buffer, knownId?: string): Promise<void> {
    const id = knownId ?? chunkIdFor(chunk, this.keys);
    this.refs.push({ id, size: chunk.length });
    const onStored = (bytes: number): void => {
      this.storedBytes += bytes;
      this.onStored(bytes);
    };
    const task: Promise<void> = this.ctx.chunks.put(id, chunk, this.keys, this.recheck, onStored).then(
      (isNew) => {
        if (isNew) {
          this.newBytes += chunk.length;
        }
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    const tracked = task.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
    if (this.inflight.size >= MAX_INFLIGHT_CHUNKS) {
      await Promise.race(this.inflight);
    }
    this.throwIfFailed();
  }

  async finish(): Promise<void> {
    await Promise.all(this.inflight);
    this.throwIfFailed();
  }

  async settle(): Promise<void> {
    await Promise.allSettled(this.inflight);
  }

  private throwIfFailed(): void {
    if (this.failure !== null) {
      throw this.failure.error;
    }
  }
}

/** A backup being written: entries collected in memory (a line each), made durable and visible by commit. */
export class StoreWriter implements BackupWriter {
  private readonly lines: StoredLine[] = [];
  private readonly paths = new Set<string>();
  private readonly attachmentNames = new Set<string>();
  private readonly chunkIds = new Set<string>();
  private bytes = 0;
  private newBytes = 0;
  private storedBytes = 0;
  private skipped = 0;
  private hasSecrets = false;
  private state: 'open' | 'closed' = 'open';
  private queue: Promise<unknown> = Promise.resolve();
  private current: FileContent | null = null;
  /** Earlier backups files are reused from, read once each. */
  private readonly reuseSources = new Map<string, ReuseSourceState>();

  constructor(
    private readonly ctx: StoreContext,
    readonly id: string,
    private readonly input: BeginBackupInput,
    private readonly createdAt: string,
  ) {}

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => undefined).then(fn);
    this.queue = run;
    return run;
  }

  private ensureOpen(): void {
    if (this.state !== 'open') {
      throw new AppError('PRECONDITION_FAILED', `Backup ${this.id} is already committed or aborted`);
    }
  }

  private ensureNew(path: string): void {
    if (this.paths.has(path)) {
      throw new AppError('CONFLICT', `${path} was added to backup ${this.id} twice`, { details: { path } });
    }
  }

  addFile(entry: FileEntryInput, content?: FileContent): Promise<AddFileResult> {
    return this.serialize(async () => {
      try {
        this.ensureOpen();
        checkEntry(entry);
        this.ensureNew(entry.path);
      } catch (error) {
        if (content !== undefined) {
          stopContent(content);
        }
        throw error;
      }
      return entry.type === 'file' ? this.addContent(entry, content) : this.addBare(entry, content);
    });
  }

  private addBare(entry: FileEntryInput, content: FileContent | undefined): AddFileResult {
    if (content !== undefined) {
      stopContent(content);
      throw new AppError('VALIDATION', `${entry.path} is a ${entry.type}: it has no content`);
    }
    this.paths.add(entry.path);
    this.lines.push({ kind: 'entry', entry: { ...entryBase(entry), size: 0, sha256: EMPTY_SHA256, chunks: [] } });
    return { sha256: EMPTY_SHA256, size: 0, newBytes: 0, storedBytes: 0 };
  }

  private async addContent(entry: FileEntryInput, content: FileContent | undefined): Promise<AddFileResult> {
    if (content === undefined) {
      throw new AppError('VALIDATION', `${entry.path} is a regular file: its content is needed`);
    }
    let keys: StoreKeys | null = null;
    if (entry.secret === true) {
      try {
        keys = await this.ctx.keys.get();
      } catch (error) {
        stopContent(content);
        throw error;
      }
    }
    const pipeline = new ChunkPipeline(this.ctx, keys, this.input.recheckReused === true, (bytes) => {
      this.storedBytes += bytes;
    });
    const chunker = new Chunker(this.ctx.chunker);
    const fileHash = createHash('sha256');
    let sha256: string | undefined;
    let size = 0;
    this.current = content;
    try {
      for await (const data of content as AsyncIterable<Uint8Array | string>) {
        if (this.state !== 'open') {
          throw new AppError('CANCELLED', `Backup ${this.id} was aborted`);
        }
        const buf = typeof data === 'string' ? Buffer.from(data) : asBuffer(data);
        size += buf.length;
        fileHash.update(buf);
        const chunks = chunker.push(buf);
        for (const chunk of chunks) {
          await pipeline.submit(chunk);
        }
      }
      const tail = chunker.finish();
      if (tail !== null) {
        // A small file is one chunk: its SHA-256 names the chunk too, without hashing it twice.
        const whole = keys === null && pipeline.refs.length === 0 ? (sha256 = fileHash.digest('hex')) : undefined;
        await pipeline.submit(tail, whole);
      }
      await pipeline.finish();
    } catch (error) {
      stopContent(content);
      await pipeline.settle();
      if (this.state !== 'open') {
        throw new AppError('CANCELLED', `Backup ${this.id} was aborted`, { cause: error });
      }
      throw asDiskFull(error, this.ctx.dir);
    } finally {
      this.current = null;
    }
    sha256 ??= fileHash.digest('hex');
    this.recordFile(entry, sha256, size, pipeline.refs, keys);
    this.newBytes += pipeline.newBytes;
    return { sha256, size, newBytes: pipeline.newBytes, storedBytes: pipeline.storedBytes };
  }

  /** A regular file's entry: a secret file's SHA-256 sealed to this backup and path. */
  private recordFile(
    entry: FileEntryInput,
    sha256: string,
    size: number,
    chunks: ChunkRef[],
    keys: StoreKeys | null,
  ): void {
    const stored: StoredEntry = { ...entryBase(entry), size, sha256: keys === null ? sha256 : null, chunks };
    if (keys !== null) {
      stored.sealedSha256 = seal(keys.enc, Buffer.from(sha256, 'utf8'), sealAad(this.id, entry.path)).toString(
        'base64',
      );
    }
    this.paths.add(entry.path);
    this.lines.push({ kind: 'entry', entry: stored });
    for (const ref of chunks) {
      this.chunkIds.add(ref.id);
    }
    this.bytes += size;
    this.hasSecrets ||= stored.secret;
  }

  reuseFile(entry: FileEntryInput, from: ReuseSource): Promise<ReuseFileResult> {
    return this.reuseFiles([{ entry, from }]).then((results) => results[0] as ReuseFileResult);
  }

  reuseFiles(items: readonly { entry: FileEntryInput; from: ReuseSource }[]): Promise<ReuseFileResult[]> {
    return this.serialize(async () => {
      this.ensureOpen();
      for (const { entry, from } of items) {
        checkEntry(entry);
        if (entry.type !== 'file') {
          throw new AppError(
            'VALIDATION',
            `${entry.path} is a ${entry.type}: only regular files are added by reference`,
          );
        }
        if (typeof from?.fromBackupId !== 'string' || typeof from.path !== 'string') {
          throw new AppError('VALIDATION', `Reusing ${entry.path} needs the earlier backup's id and path`);
        }
      }
      // Everything that needs waiting first, once for the batch; then each file is judged without a pause.
      const sources = new Map<string, ReuseSourceState>();
      for (const id of new Set(items.map((i) => i.from.fromBackupId))) {
        const source = this.reuseSources.get(id) ?? (await loadReuseSource(this.ctx, id));
        this.reuseSources.set(id, source);
        sources.set(id, source);
        await prepareChunks(
          this.ctx,
          source,
          items.filter((i) => i.from.fromBackupId === id).map((i) => i.from.path),
        );
      }
      const keys = items.some((i) => i.entry.secret === true) ? await this.ctx.keys.get() : null;
      if (this.state !== 'open') {
        throw new AppError('CANCELLED', `Backup ${this.id} was aborted`);
      }
      return items.map(({ entry, from }) => this.reuseOne(entry, from, sources.get(from.fromBackupId), keys));
    });
  }

  private reuseOne(
    entry: FileEntryInput,
    from: ReuseSource,
    source: ReuseSourceState | undefined,
    keys: StoreKeys | null,
  ): ReuseFileResult {
    this.ensureNew(entry.path);
    const candidate = reuseCandidate(this.ctx, from, entry, source ?? { reason: 'backup-missing', why: '' }, keys);
    if ('reason' in candidate) {
      return { reused: false, reason: candidate.reason, message: candidate.message };
    }
    // The chunk list exactly as the earlier backup has it; the objects are copied, never shared with its manifest.
    const chunks = candidate.stored.chunks.map((c) => ({ id: c.id, size: c.size }));
    this.recordFile(entry, candidate.sha256, candidate.stored.size, chunks, entry.secret === true ? keys : null);
    return { reused: true, sha256: candidate.sha256, size: candidate.stored.size, newBytes: 0, storedBytes: 0 };
  }

  addAttachment(name: string, value: JsonValue): Promise<void> {
    return this.serialize(async () => {
      this.ensureOpen();
      if (typeof name !== 'string' || name === '' || this.attachmentNames.has(name)) {
        throw new AppError('CONFLICT', `Attachment ${JSON.stringify(name)} is empty or given twice`, {
          details: { name: String(name) },
        });
      }
      this.attachmentNames.add(name);
      this.lines.push({ kind: 'attachment', name, value: JSON.parse(JSON.stringify(value)) as JsonValue });
    });
  }

  skip(path: string, reason: string): Promise<void> {
    return this.serialize(async () => {
      this.ensureOpen();
      this.skipped += 1;
      this.lines.push({ kind: 'skipped', path: String(path), reason: String(reason) });
    });
  }

  commit(): Promise<BackupSummary> {
    return this.serialize(async () => {
      this.ensureOpen();
      try {
        // First: the small chunks' blocks are written, so the stored bytes below are known.
        await this.ctx.chunks.commitPacks();
        this.assertChunksDurable();
        const summary = this.summary();
        await this.ctx.manifests.commit(summary, this.lines);
        return summary;
      } finally {
        await this.close();
      }
    });
  }

  private summary(): BackupSummary {
    return {
      id: this.id,
      unit: this.input.unit,
      kind: this.input.kind,
      createdAt: this.createdAt,
      completedAt: this.ctx.clock.nowIso(),
      profile: this.input.profile,
      toolVersion: APP_VERSION,
      meta: this.input.meta ?? {},
      files: this.lines.filter((l) => l.kind === 'entry').length,
      bytes: this.bytes,
      newBytes: this.newBytes,
      storedBytes: this.storedBytes,
      hasSecrets: this.hasSecrets,
      ...(this.skipped > 0 ? { skipped: this.skipped } : {}),
    };
  }

  /** A manifest never names a chunk the index does not hold: one lost with a pack that failed fails the commit. */
  private assertChunksDurable(): void {
    for (const id of this.chunkIds) {
      if (this.ctx.chunks.index.usable(id) !== undefined) {
        continue;
      }
      const lost = this.ctx.chunks.packs.lostChunk(id);
      if (lost instanceof Error) {
        throw lost;
      }
      const record = this.ctx.chunks.index.quarantineOf(id);
      throw new AppError(
        'BACKUP_DAMAGED',
        `Backup ${this.id} cannot be committed: chunk ${id.slice(0, 12)} it references ${record === undefined ? 'is not in the store' : `was found damaged meanwhile (${record.reason})`}; back up again`,
        { details: { backupId: this.id, chunk: id } },
      );
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'closed') {
      return;
    }
    this.state = 'closed';
    if (this.current !== null) {
      stopContent(this.current);
    }
    await this.queue.catch(() => undefined);
    await this.close();
  }

  private async close(): Promise<void> {
    this.state = 'closed';
    if (this.ctx.writers.delete(this)) {
      await this.ctx.locks.release(`writer-${this.id}`);
    }
  }
}
