import { createHash, randomBytes, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

import type { AppendableFile } from './BackupStore';
import { BLOCK_TARGET, encodeBlock } from './chunkCodec';
import type { StoreLayout } from './layout';
import { asDiskFull } from './storeFs';

/**
 * Packs: many encoded chunks appended to one file, then a trailer that lists them, made durable with one fsync and
 * renamed to its SHA-256 (packs/ab/<id>). The trailer lets a pack be understood without the index; the name lets a
 * full check prove every byte is as written.
 *
 *   blob blob blob … trailer-json u32be(trailer length) "OHP1"
 */

/**
 * One chunk in a pack. `length` is the encoded blob's, `size` the plaintext's. A small chunk packed into a block with
 * others has `inner`, its offset in the block's plaintext; the block's blob is at `offset` and `length`.
 */
export type PackEntry = { id: string; offset: number; length: number; size: number; inner?: number };

type EntryTuple = [string, number, number, number] | [string, number, number, number, number];

export function entryTuple(e: PackEntry): EntryTuple {
  return e.inner === undefined ? [e.id, e.offset, e.length, e.size] : [e.id, e.offset, e.length, e.size, e.inner];
}

export function entryOfTuple([id, offset, length, size, inner]: EntryTuple): PackEntry {
  return inner === undefined ? { id, offset, length, size } : { id, offset, length, size, inner };
}
export type SealedPack = { id: string; bytes: number; entries: PackEntry[] };

/**
 * Packs are closed at this size: large enough that a backup of thousands of small files costs a handful of fsyncs
 * (bench/backup-vs-tar.ts), small enough that prune can drop a pack whose chunks are all gone.
 */
export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;
/** Appended blobs are collected to this size before one write: thousands of small files, not thousands of writes. */
const WRITE_BUFFER = 1024 * 1024;
const FOOTER_MAGIC = Buffer.from('OHP1', 'latin1');
const FOOTER = 8;
/** A trailer lists a few thousand chunks at most; anything larger is not one. */
const MAX_TRAILER = 64 * 1024 * 1024;

export function packPath(layout: StoreLayout, id: string): string {
  return layout.p('packs', id.slice(0, 2), id);
}

/**
 * The trailer carries a nonce: a pack written again with the same chunks (a chunk healed after its pack was damaged)
 * gets a name of its own, never the damaged pack's.
 */
export function encodeTrailer(entries: readonly PackEntry[]): Buffer {
  const json = Buffer.from(
    JSON.stringify({
      format: 1,
      nonce: randomBytes(8).toString('hex'),
      chunks: entries.map(entryTuple),
    }),
    'utf8',
  );
  const footer = Buffer.alloc(FOOTER);
  footer.writeUInt32BE(json.length, 0);
  FOOTER_MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

/** The entries a pack's trailer lists; throws when the pack does not end in a well-formed trailer. */
export function parseTrailer(pack: Buffer | { tail: Buffer; size: number }): PackEntry[] {
  const tail = Buffer.isBuffer(pack) ? pack : pack.tail;
  const size = Buffer.isBuffer(pack) ? pack.length : pack.size;
  if (tail.length < FOOTER || !tail.subarray(tail.length - 4).equals(FOOTER_MAGIC)) {
    throw new Error('no pack trailer');
  }
  const length = tail.readUInt32BE(tail.length - FOOTER);
  if (length > MAX_TRAILER || length + FOOTER > tail.length) {
    throw new Error('the pack trailer has a bad length');
  }
  const start = tail.length - FOOTER - length;
  const parsed = JSON.parse(tail.subarray(start, tail.length - FOOTER).toString('utf8')) as {
    format: number;
    chunks: EntryTuple[];
  };
  if (parsed.format !== 1 || !Array.isArray(parsed.chunks)) {
    throw new Error('unknown pack trailer format');
  }
  const dataEnd = size - FOOTER - length;
  return parsed.chunks.map((tuple) => {
    const e = entryOfTuple(tuple);
    if (
      !/^[0-9a-f]{64}$/.test(e.id) ||
      !(e.offset >= 0 && e.length > 0 && e.offset + e.length <= dataEnd && e.size >= 0)
    ) {
      throw new Error('the pack trailer lists a chunk outside the pack');
    }
    return e;
  });
}

/** Reads a pack's trailer from disk (the end of the file only). */
export async function readPackTrailer(path: string): Promise<PackEntry[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const want = Math.min(size, 256 * 1024);
    let tail = Buffer.alloc(want);
    await handle.read(tail, 0, want, size - want);
    const length = tail.length >= FOOTER ? tail.readUInt32BE(tail.length - FOOTER) : 0;
    if (length + FOOTER > want && length + FOOTER <= Math.min(size, MAX_TRAILER)) {
      tail = Buffer.alloc(length + FOOTER);
      await handle.read(tail, 0, tail.length, size - tail.length);
    }
    return parseTrailer({ tail, size });
  } finally {
    await handle.close();
  }
}

/** A chunk a blob holds: its id, plaintext size and, in a block, where in the block's plaintext it starts. */
export type BlobMember = { id: string; size: number; inner?: number };

type Block = { members: BlobMember[]; parts: Buffer[]; size: number; onStored: ((bytes: number) => void)[] };

function emptyBlock(): Block {
  return { members: [], parts: [], size: 0, onStored: [] };
}

/** One pack being filled: blobs are hashed as they come and written a megabyte at a time. */
class OpenPack {
  readonly entries: PackEntry[] = [];
  size = 0;
  private readonly hash: Hash = createHash('sha256');
  private buffer: Buffer[] = [];
  private buffered = 0;

  constructor(
    private readonly file: AppendableFile,
    readonly tmp: string,
  ) {}

  /**
   * Places a blob at the pack's end for the chunks it holds (one, or a block's members with their inner offsets); its
   * bytes reach the file with the next write.
   */
  add(members: readonly BlobMember[], parts: readonly Buffer[]): void {
    const length = parts.reduce((n, b) => n + b.length, 0);
    for (const member of members) {
      this.entries.push({ ...member, offset: this.size, length });
    }
    for (const part of parts) {
      this.hash.update(part);
      this.buffer.push(part);
    }
    this.size += length;
    this.buffered += length;
  }

  get needsWrite(): boolean {
    return this.buffered >= WRITE_BUFFER;
  }

  async write(): Promise<void> {
    if (this.buffered === 0) {
      return;
    }
    const data = Buffer.concat(this.buffer, this.buffered);
    this.buffer = [];
    this.buffered = 0;
    await this.file.append(data);
  }

  /** Trailer, one fsync, rename to its name: from here on the pack is durable (its folder is fsynced at commit). */
  async seal(layout: StoreLayout): Promise<SealedPack> {
    const trailer = encodeTrailer(this.entries);
    this.hash.update(trailer);
    this.buffer.push(trailer);
    this.buffered += trailer.length;
    await this.write();
    await this.file.syncAndClose();
    const id = this.hash.digest('hex');
    const path = packPath(layout, id);
    await layout.ensureDir(layout.p('packs', id.slice(0, 2)));
    await layout.fs.rename(this.tmp, path);
    return { id, bytes: this.size + trailer.length, entries: this.entries };
  }

  discard(): Promise<void> {
    return this.file.discard();
  }
}

/**
 * The store's one pack writer, shared by every backup being written into it from this process: chunks of all of them
 * are appended in turn, a full pack is sealed in the background while the next one fills, and a commit seals what is
 * open. A chunk appended here is deduplicated at once (`has`), even before its pack is sealed; a pack that cannot be
 * written takes its chunks with it, and the commit of any backup that counted on them fails (see `lostChunk`).
 */
export class PackWriter {
  private current: OpenPack | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Chunk ids in packs not sealed yet (null: in the block being filled, not in a pack yet). */
  private readonly pending = new Map<string, OpenPack | null>();
  /** Small chunks waiting to be deflated together as one block. */
  private block = emptyBlock();
  private readonly sealing = new Set<Promise<void>>();
  private unindexed: SealedPack[] = [];
  /** Why chunks were lost, by chunk id, for the commit that counted on them. */
  private readonly lost = new Map<string, unknown>();
  private readonly dirsToSync = new Set<string>();

  constructor(
    private readonly layout: StoreLayout,
    private readonly packSize: number,
    private readonly onSealed: (pack: SealedPack) => void,
  ) {}

  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** The error that lost this chunk (its pack could not be written), if it was lost. */
  lostChunk(id: string): unknown {
    return this.lost.get(id);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.catch(() => undefined).then(task);
    this.queue = run;
    return run;
  }

  /** Appends one encoded chunk; resolves once it is placed (and, every megabyte, written to the file). */
  append(id: string, plainSize: number, parts: readonly Buffer[]): Promise<void> {
    return this.enqueue(() => this.appendNow([{ id, size: plainSize }], parts));
  }

  /** Appends a blob as it is (prune copying a pack's live chunks): one chunk, or a block's members. */
  appendBlob(members: readonly BlobMember[], blob: Buffer): Promise<void> {
    return this.enqueue(() => this.appendNow(members, [blob]));
  }

  /**
   * Adds a small plain chunk to the block being filled (see chunkCodec's blocks); a full block is deflated (in the
   * thread pool) and appended. The chunk is deduplicated at once, like any other appended here.
   */
  appendToBlock(id: string, plaintext: Buffer, onStored: (bytes: number) => void): Promise<void> {
    this.pending.set(id, null);
    return this.enqueue(async () => {
      const inner = this.block.size;
      this.block.members.push({ id, size: plaintext.length, inner });
      this.block.onStored.push(onStored);
      this.block.parts.push(plaintext);
      this.block.size += plaintext.length;
      if (this.block.size >= BLOCK_TARGET) {
        await this.closeBlock();
      }
    });
  }

  /** Deflates the block being filled and appends it (inside the queue). */
  private async closeBlock(): Promise<void> {
    const { members, parts, size, onStored } = this.block;
    this.block = emptyBlock();
    if (members.length === 0) {
      return;
    }
    let encoded: Buffer[];
    try {
      encoded = await encodeBlock(Buffer.concat(parts, size));
    } catch (error) {
      for (const member of members) {
        this.pending.delete(member.id);
        this.lost.set(member.id, error);
      }
      throw error;
    }
    await this.appendNow(members, encoded);
    const length = encoded.reduce((n, b) => n + b.length, 0);
    members.forEach((member, i) => onStored[i]?.(Math.round((member.size * length) / size)));
  }

  private async appendNow(members: readonly BlobMember[], parts: readonly Buffer[]): Promise<void> {
    const pack = this.current ?? (this.current = await this.openPack());
    pack.add(members, parts);
    for (const member of members) {
      this.pending.set(member.id, pack);
    }
    try {
      if (pack.needsWrite) {
        await pack.write();
      }
    } catch (error) {
      this.current = null;
      await this.fail(pack, error);
      throw asDiskFull(error, this.layout.dir);
    }
    if (pack.size >= this.packSize) {
      this.current = null;
      this.startSeal(pack);
    }
  }

  private async openPack(): Promise<OpenPack> {
    const tmp = this.layout.tmpPath('pack');
    try {
      return new OpenPack(await this.layout.fs.createAppendable(tmp), tmp);
    } catch (error) {
      throw asDiskFull(error, this.layout.dir);
    }
  }

  private startSeal(pack: OpenPack): void {
    const work = pack.seal(this.layout).then(
      (sealed) => {
        for (const entry of sealed.entries) {
          this.pending.delete(entry.id);
        }
        this.dirsToSync.add(this.layout.p('packs', sealed.id.slice(0, 2)));
        this.unindexed.push(sealed);
        this.onSealed(sealed);
      },
      (error: unknown) => this.fail(pack, error),
    );
    const tracked = work.finally(() => this.sealing.delete(tracked));
    this.sealing.add(tracked);
  }

  private async fail(pack: OpenPack, error: unknown): Promise<void> {
    const reason = asDiskFull(error, this.layout.dir);
    for (const entry of pack.entries) {
      if (this.pending.get(entry.id) === pack) {
        this.pending.delete(entry.id);
        this.lost.set(entry.id, reason);
      }
    }
    await pack.discard();
  }

  /**
   * Seals the open pack and waits for every seal; the packs' folders are fsynced. Returns the sealed packs no index
   * file names yet, and hands them over: the caller writes that index file (or gives them back on failure).
   */
  async flush(): Promise<SealedPack[]> {
    await this.enqueue(() => this.closeBlock()).catch(() => undefined);
    const open = this.current;
    this.current = null;
    if (open !== null) {
      if (open.entries.length === 0) {
        await open.discard();
      } else {
        this.startSeal(open);
      }
    }
    while (this.sealing.size > 0) {
      await Promise.all([...this.sealing]);
    }
    for (const dir of [...this.dirsToSync]) {
      await this.layout.fsyncDir(dir);
      this.dirsToSync.delete(dir);
    }
    const out = this.unindexed;
    this.unindexed = [];
    return out;
  }

  /** Gives packs back whose index file could not be written: the next commit tries again. */
  giveBack(packs: readonly SealedPack[]): void {
    this.unindexed.unshift(...packs);
  }

  /**
   * Forgets everything not committed (prune, with no backup open): the open pack is dropped, and sealed packs no
   * index names are left to the prune that removes them.
   */
  async reset(): Promise<void> {
    await this.close();
    this.unindexed = [];
    this.pending.clear();
    this.block = emptyBlock();
  }

  /** Drops the open pack (closing the store); sealed packs no index names are left for prune. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    while (this.sealing.size > 0) {
      await Promise.allSettled([...this.sealing]);
    }
    const open = this.current;
    this.current = null;
    await open?.discard();
  }
}

/** Open pack files for reading, a few kept at hand: a restore reads thousands of small chunks from the same packs. */
export class PackReader {
  private readonly open = new Map<string, { handle: Promise<FileHandle>; users: number; evicted: boolean }>();

  constructor(private readonly max = 8) {}

  async read(path: string, offset: number, length: number): Promise<Buffer> {
    const slot = this.slot(path);
    slot.users += 1;
    try {
      const handle = await slot.handle;
      const out = Buffer.alloc(length);
      const { bytesRead } = await handle.read(out, 0, length, offset);
      return bytesRead === length ? out : out.subarray(0, bytesRead);
    } finally {
      slot.users -= 1;
      this.closeIfDone(slot);
    }
  }

  private slot(path: string): { handle: Promise<FileHandle>; users: number; evicted: boolean } {
    let slot = this.open.get(path);
    if (slot !== undefined) {
      // Most recently used last.
      this.open.delete(path);
      this.open.set(path, slot);
      return slot;
    }
    const handle = open(path, 'r');
    slot = { handle, users: 0, evicted: false };
    const added = slot;
    handle.catch(() => {
      if (this.open.get(path) === added) {
        this.open.delete(path);
      }
    });
    this.open.set(path, slot);
    while (this.open.size > this.max) {
      const [oldest, old] = this.open.entries().next().value as [string, typeof slot];
      this.open.delete(oldest);
      old.evicted = true;
      this.closeIfDone(old);
    }
    return slot;
  }

  private closeIfDone(slot: { handle: Promise<FileHandle>; users: number; evicted: boolean }): void {
    if (slot.evicted && slot.users === 0) {
      void slot.handle.then((h) => h.close()).catch(() => undefined);
    }
  }

  /** Forgets a pack (removed by prune, or found damaged): its handle closes once no read uses it. */
  forget(path: string): void {
    const slot = this.open.get(path);
    if (slot !== undefined) {
      this.open.delete(path);
      slot.evicted = true;
      this.closeIfDone(slot);
    }
  }

  close(): void {
    for (const path of [...this.open.keys()]) {
      this.forget(path);
    }
  }
}
