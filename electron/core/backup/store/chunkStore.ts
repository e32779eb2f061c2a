import { readFile, stat } from 'node:fs/promises';

import type { Clock } from '../../ports/Clock';
import type { ChunkRef } from './BackupStore';
import type { ChunkLocation } from './chunkIndex';
import { ChunkIndex, legacyChunkPath } from './chunkIndex';
import { chunkInBlock, ChunkDamage, decodeBlock, decodeChunk, encodeChunk, isBlockCandidate } from './chunkCodec';
import type { StoreLayout } from './layout';
import type { Logger } from '../../ports/Logger';
import { PackReader, packPath, PackWriter } from './packs';
import type { StoreKeys } from './storeCrypto';
import { isEnoent } from './storeFs';

/**
 * Chunks in and out: a chunk is written once (deduplicated against the index, the packs being filled and the chunks
 * being encoded right now), read back checked against its id, and quarantined where a read finds it damaged, so the
 * next backup that meets the same content writes it again.
 */
export class ChunkStore {
  readonly index: ChunkIndex;
  readonly packs: PackWriter;
  private readonly reader = new PackReader();
  /** Chunks being encoded and appended by a writer of this process: a second writer of the same chunk waits. */
  private readonly encoding = new Map<string, Promise<number>>();
  /** Chunks a full backup read back and found good in this session: one check each is enough. */
  private readonly rechecked = new Set<string>();
  private indexing: Promise<unknown> = Promise.resolve();
  /** Blocks of small chunks read lately, by pack and offset. */
  private readonly blocks = new Map<string, Promise<Buffer>>();
  /** Packs seen on disk in this session (a stat each, once): a chunk is reused only from a pack that is there. */
  private readonly presentPacks = new Set<string>();

  constructor(
    private readonly layout: StoreLayout,
    private readonly clock: Clock,
    logger: Logger,
    packSize: number,
  ) {
    this.index = new ChunkIndex(layout, logger);
    this.packs = new PackWriter(layout, packSize, (sealed) => this.index.addPack(sealed));
  }

  /** Whether a chunk is held (or on its way into a pack): a writer then references it instead of writing it. */
  holds(id: string): boolean {
    return this.encoding.has(id) || this.packs.has(id) || this.index.usable(id) !== undefined;
  }

  /**
   * Where a held chunk can be read from, once its pack was seen on disk in this session (one stat per pack); a pack
   * found missing takes its chunks out of use. Undefined when the store does not hold the chunk (any more).
   */
  async heldAt(id: string): Promise<ChunkLocation | undefined> {
    for (;;) {
      const location = this.index.usable(id);
      if (location?.kind !== 'pack' || this.presentPacks.has(location.pack)) {
        return location;
      }
      try {
        await stat(packPath(this.layout, location.pack));
        this.presentPacks.add(location.pack);
      } catch (error) {
        if (!isEnoent(error)) {
          throw error;
        }
        this.index.markMissing(location.pack);
      }
    }
  }

  /** Looks for the packs these chunks are in on disk (a stat per pack not seen yet in this session). */
  async confirmPacksOf(ids: readonly string[]): Promise<void> {
    const packs = new Set<string>();
    for (const id of ids) {
      const location = this.index.usable(id);
      if (location?.kind === 'pack' && !this.presentPacks.has(location.pack)) {
        packs.add(location.pack);
      }
    }
    for (const pack of packs) {
      try {
        await stat(packPath(this.layout, pack));
        this.presentPacks.add(pack);
      } catch (error) {
        if (!isEnoent(error)) {
          throw error;
        }
        this.index.markMissing(pack);
      }
    }
  }

  /**
   * canReuse without waiting, once confirmPacksOf looked for the chunk's pack: held, and its pack seen on disk. A
   * chunk whose pack is not confirmed yet counts as not reusable (the file is read from the unit then).
   */
  canReuseNow(id: string): boolean {
    if (this.encoding.has(id) || this.packs.has(id)) {
      return true;
    }
    const location = this.index.usable(id);
    return location !== undefined && (location.kind === 'legacy' || this.presentPacks.has(location.pack));
  }

  /** Whether a chunk can be referenced by a new backup: held, and its pack on disk. */
  async canReuse(id: string): Promise<boolean> {
    return this.encoding.has(id) || this.packs.has(id) || (await this.heldAt(id)) !== undefined;
  }

  /**
   * Stores one chunk unless the store holds it; true when it was new. `onStored` learns the bytes it takes on disk
   * after compression (for a small chunk packed into a block, its share of the block, once the block is written). With
   * `recheck` (a full backup), a chunk already held is read back and checked first, and written again if damaged.
   */
  async put(
    id: string,
    plaintext: Buffer,
    keys: StoreKeys | null,
    recheck: boolean,
    onStored: (bytes: number) => void,
  ): Promise<boolean> {
    if (await this.alreadyHeld(id, keys, recheck)) {
      return false;
    }
    // Checked again after the awaits above, and registered before the next one, so a second writer of the same
    // chunk waits for the first instead of writing it again.
    const pending = this.encoding.get(id);
    if (pending !== undefined || this.packs.has(id)) {
      await pending?.catch(() => undefined);
      return false;
    }
    if (isBlockCandidate(plaintext, keys)) {
      await this.packs.appendToBlock(id, plaintext, onStored);
      return true;
    }
    const work = encodeChunk(plaintext, id, keys).then(async (parts) => {
      await this.packs.append(id, plaintext.length, parts);
      return parts.reduce((n, b) => n + b.length, 0);
    });
    this.encoding.set(id, work);
    try {
      onStored(await work);
      return true;
    } finally {
      this.encoding.delete(id);
    }
  }

  /** Whether put can skip this chunk: being written, in a pack being filled, or held (and good, when rechecked). */
  private async alreadyHeld(id: string, keys: StoreKeys | null, recheck: boolean): Promise<boolean> {
    const pending = this.encoding.get(id);
    if (pending !== undefined) {
      await pending.catch(() => undefined);
      return true;
    }
    if (this.packs.has(id) || this.index.usable(id) === undefined) {
      return this.packs.has(id);
    }
    const held = await this.heldAt(id);
    if (held === undefined) {
      return false;
    }
    // A damaged one is quarantined by isGood, and this content written again.
    return !recheck || this.rechecked.has(id) || (await this.isGoodAt(id, held, keys));
  }

  private async isGoodAt(id: string, location: ChunkLocation, keys: StoreKeys | null): Promise<boolean> {
    try {
      await this.readAt(id, location, keys, null);
      this.rechecked.add(id);
      return true;
    } catch (error) {
      if (!(error instanceof ChunkDamage)) {
        throw error;
      }
      await this.quarantine(id, location, `a full backup read it back: ${error.message}`);
      return false;
    }
  }

  /** The encoded bytes at a location, decoded and checked against the id (and the size, when known). */
  private async readAt(
    id: string,
    location: ChunkLocation,
    keys: StoreKeys | null,
    size: number | null,
  ): Promise<Buffer> {
    if (location.kind === 'pack' && location.entry.inner !== undefined) {
      const block = await this.blockAt(location.pack, location.entry.offset, location.entry.length);
      return chunkInBlock(block, id, location.entry.inner, location.entry.size);
    }
    const bytes = await this.blobAt(id, location);
    const plain = await decodeChunk(bytes, id, keys);
    if (size !== null && plain.length !== size) {
      throw new ChunkDamage('size does not match the manifest');
    }
    return plain;
  }

  /** A block's plaintext; the last few are kept, since a restore reads a block's small files one after another. */
  private async blockAt(pack: string, offset: number, length: number): Promise<Buffer> {
    const key = `${pack}:${offset}`;
    let block = this.blocks.get(key);
    if (block === undefined) {
      block = this.blobAt('', { kind: 'pack', pack, entry: { id: '', offset, length, size: 0 } }).then(decodeBlock);
      this.blocks.set(key, block);
      block.catch(() => this.blocks.delete(key));
      while (this.blocks.size > 4) {
        this.blocks.delete(this.blocks.keys().next().value as string);
      }
    }
    return block;
  }

  /** The encoded bytes at a location; a pack (or chunk file) that is not there is damage. */
  private async blobAt(id: string, location: ChunkLocation): Promise<Buffer> {
    let bytes: Buffer;
    try {
      if (location.kind === 'pack') {
        const { offset, length } = location.entry;
        bytes = await this.reader.read(packPath(this.layout, location.pack), offset, length);
        if (bytes.length !== length) {
          throw new ChunkDamage(`its pack ${location.pack.slice(0, 12)} is cut short`);
        }
      } else {
        bytes = await readFile(legacyChunkPath(this.layout, id));
      }
    } catch (error) {
      if (isEnoent(error) && location.kind === 'pack') {
        // The whole pack is gone: every chunk in it is out of use, without a quarantine record each.
        this.index.markMissing(location.pack);
        throw new ChunkDamage(`its pack ${location.pack.slice(0, 12)} is missing`);
      }
      if (isEnoent(error)) {
        throw new ChunkDamage('missing');
      }
      throw error;
    }
    return bytes;
  }

  /**
   * Reads and checks one chunk. A damaged location is quarantined and the next one tried; ChunkDamage when none
   * gives the chunk back ('missing', or why it is quarantined).
   */
  async read(ref: ChunkRef, keys: StoreKeys | null): Promise<Buffer> {
    for (;;) {
      const location = this.index.usable(ref.id);
      if (location === undefined) {
        throw new ChunkDamage(this.whyUnusable(ref.id));
      }
      try {
        return await this.readAt(ref.id, location, keys, ref.size);
      } catch (error) {
        if (!(error instanceof ChunkDamage)) {
          throw error;
        }
        await this.quarantine(ref.id, location, error.message);
        if (this.index.usable(ref.id) === undefined) {
          throw error;
        }
      }
    }
  }

  /** Takes a damaged location out of use; a missing pack is already out of use as a whole. */
  private async quarantine(id: string, location: ChunkLocation, why: string): Promise<void> {
    if (location.kind === 'pack' && this.index.missingPackList().includes(location.pack)) {
      return;
    }
    await this.index.quarantine(id, location, why, this.clock.nowIso());
  }

  /** Why a chunk has no usable location: missing, in a pack that is gone, or quarantined (and why). */
  whyUnusable(id: string): string {
    const record = this.index.quarantineOf(id);
    if (record !== undefined) {
      return `quarantined as damaged (${record.reason})`;
    }
    const pack = this.index.inMissingPack(id);
    return pack === undefined ? 'missing' : `its pack ${pack.slice(0, 12)} is missing`;
  }

  /**
   * Makes every chunk appended so far durable and findable: the open pack is sealed, every seal awaited, the packs'
   * folders fsynced and one index file written for the packs no index names yet. Serialized: two commits at once
   * never index a pack twice, and the second waits for the first's index.
   */
  commitPacks(): Promise<void> {
    const run = this.indexing
      .catch(() => undefined)
      .then(async () => {
        const sealed = await this.packs.flush();
        try {
          await this.index.writeIndexFile(sealed);
        } catch (error) {
          this.packs.giveBack(sealed);
          throw error;
        }
      });
    this.indexing = run;
    return run;
  }

  /** A backup begins: packs are looked for on disk again (one stat each) before its chunks are reused from them. */
  forgetSeenPacks(): void {
    this.presentPacks.clear();
    this.blocks.clear();
  }

  /** Forgets open pack handles of removed packs. */
  forgetPack(id: string): void {
    this.presentPacks.delete(id);
    this.blocks.clear();
    this.reader.forget(packPath(this.layout, id));
  }

  async close(): Promise<void> {
    await this.packs.close();
    this.reader.close();
  }
}
