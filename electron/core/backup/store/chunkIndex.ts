import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';

import type { Logger } from '../../ports/Logger';
import type { StoreLayout } from './layout';
import { sha256Hex } from './layout';
import { entryOfTuple, entryTuple, type PackEntry, type SealedPack } from './packs';
import { asDiskFull, isEnoent } from './storeFs';

/** Where a chunk's bytes are: a blob in a pack, or a chunk file of the format 1 layout. */
export type PackLocation = { kind: 'pack'; pack: string; entry: PackEntry };
export type ChunkLocation = PackLocation | { kind: 'legacy' };

export type QuarantineRecord = {
  chunk: string;
  /** The pack id, or 'legacy' for a chunk file (moved to quarantine/legacy/<chunk>). */
  where: string;
  offset?: number;
  length?: number;
  reason: string;
  at: string;
};

const CHUNK_ID = /^[0-9a-f]{64}$/;
export const INDEX_NAME = /^([0-9a-f]{64})\.json$/;

type IndexFile = { format: 1; packs: { id: string; bytes: number; chunks: Parameters<typeof entryOfTuple>[0][] }[] };

const LEGACY: ChunkLocation = { kind: 'legacy' };

export function locationKey(id: string, location: ChunkLocation): string {
  return `${id}.${location.kind === 'pack' ? location.pack : 'legacy'}`;
}

export function legacyChunkPath(layout: StoreLayout, id: string): string {
  return layout.p('chunks', id.slice(0, 2), id);
}

/** An index file naming these packs: its text and its name (the SHA-256 of the text). */
export function indexFileText(packs: readonly SealedPack[]): { name: string; text: string } {
  const body: IndexFile = {
    format: 1,
    packs: packs.map((p) => ({ id: p.id, bytes: p.bytes, chunks: p.entries.map(entryTuple) })),
  };
  const text = `${JSON.stringify(body)}\n`;
  return { name: `${sha256Hex(text)}.json`, text };
}

/** The packs an index file names; throws when its content does not match its name or its format is unknown. */
export function parseIndexFile(text: string, name: string): SealedPack[] {
  if (`${sha256Hex(text)}.json` !== name) {
    throw new Error('its content does not match its name');
  }
  const parsed = JSON.parse(text) as IndexFile;
  if (parsed.format !== 1 || !Array.isArray(parsed.packs)) {
    throw new Error('unknown format');
  }
  return parsed.packs.map((pack) => ({ id: pack.id, bytes: pack.bytes, entries: pack.chunks.map(entryOfTuple) }));
}

/**
 * What the store knows about its chunks: every pack an index file names and the chunks in it, the chunk files of the
 * format 1 layout, and the locations quarantined as damaged. Held in memory (a chunk costs about a hundred bytes),
 * loaded when the store opens and refreshed before a backup, a check or a prune (another process may have committed).
 */
export class ChunkIndex {
  /** Locations by chunk id, kept as the objects usable() hands out: a lookup allocates nothing. */
  private readonly byId = new Map<string, PackLocation[]>();
  private readonly packs = new Map<string, { bytes: number; entries: PackEntry[] }>();
  private readonly indexFiles = new Set<string>();
  private readonly damagedIndexFiles = new Map<string, string>();
  private legacy = new Set<string>();
  private readonly quarantined = new Map<string, QuarantineRecord>();
  /** Packs the index names that were found missing on disk in this session: their chunks are not usable. */
  private readonly missingPacks = new Set<string>();

  constructor(
    private readonly layout: StoreLayout,
    private readonly logger: Logger,
  ) {}

  /** Reads index files not read yet, the quarantine records and (with `legacy`) the chunk files of format 1. */
  async refresh(options: { legacy?: boolean } = {}): Promise<void> {
    for (const name of await readdir(this.layout.p('index'))) {
      if (!INDEX_NAME.test(name) || this.indexFiles.has(name)) {
        continue;
      }
      await this.loadIndexFile(name);
    }
    for (const name of await readdir(this.layout.p('quarantine'))) {
      if (name.endsWith('.json') && !this.quarantined.has(name.slice(0, -'.json'.length))) {
        await this.loadQuarantine(name);
      }
    }
    if (options.legacy === true) {
      this.legacy = await this.scanLegacy();
    }
  }

  private async loadIndexFile(name: string): Promise<void> {
    try {
      const text = await readFile(this.layout.p('index', name), 'utf8');
      for (const pack of parseIndexFile(text, name)) {
        this.addPack(pack);
      }
      this.indexFiles.add(name);
      this.damagedIndexFiles.delete(name);
    } catch (error) {
      if (isEnoent(error)) {
        return; // removed by a prune meanwhile
      }
      const message = error instanceof Error ? error.message : String(error);
      this.damagedIndexFiles.set(name, message);
      this.logger.warn('backup store index file unreadable', { file: name, error: message });
    }
  }

  private async loadQuarantine(name: string): Promise<void> {
    try {
      const record = JSON.parse(await readFile(this.layout.p('quarantine', name), 'utf8')) as QuarantineRecord;
      this.quarantined.set(name.slice(0, -'.json'.length), record);
    } catch (error) {
      if (!isEnoent(error)) {
        this.logger.warn('quarantine record unreadable', { file: name, error: String(error) });
      }
    }
  }

  private async scanLegacy(): Promise<Set<string>> {
    const out = new Set<string>();
    let subs: string[];
    try {
      subs = await readdir(this.layout.p('chunks'));
    } catch (error) {
      if (isEnoent(error)) {
        return out;
      }
      throw error;
    }
    for (const sub of subs) {
      const names = await readdir(this.layout.p('chunks', sub)).catch(() => [] as string[]);
      for (const name of names) {
        if (CHUNK_ID.test(name) && !this.quarantined.has(`${name}.legacy`)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  addPack(pack: SealedPack): void {
    if (this.packs.has(pack.id)) {
      return;
    }
    this.missingPacks.delete(pack.id);
    this.packs.set(pack.id, { bytes: pack.bytes, entries: pack.entries });
    for (const entry of pack.entries) {
      const list = this.byId.get(entry.id);
      if (list === undefined) {
        this.byId.set(entry.id, [{ kind: 'pack', pack: pack.id, entry }]);
      } else {
        list.push({ kind: 'pack', pack: pack.id, entry });
      }
    }
  }

  /** Where the chunk can be read from: the first location not quarantined; undefined when none is left. */
  usable(id: string): ChunkLocation | undefined {
    const locations = this.byId.get(id);
    if (locations !== undefined) {
      // Nearly always: one location, nothing quarantined, no pack missing.
      const clean = this.quarantined.size === 0 && this.missingPacks.size === 0;
      for (const location of locations) {
        if (clean || (!this.quarantined.has(`${id}.${location.pack}`) && !this.missingPacks.has(location.pack))) {
          return location;
        }
      }
    }
    return this.legacy.has(id) ? LEGACY : undefined;
  }

  /** The quarantine record that took this chunk's last location out of use, if that is why it is unusable. */
  quarantineOf(id: string): QuarantineRecord | undefined {
    for (const { pack } of this.byId.get(id) ?? []) {
      const record = this.quarantined.get(`${id}.${pack}`);
      if (record !== undefined) {
        return record;
      }
    }
    return this.quarantined.get(`${id}.legacy`);
  }

  /** Whether the chunk is unusable because the pack holding it is missing. */
  inMissingPack(id: string): string | undefined {
    return (this.byId.get(id) ?? []).find((l) => this.missingPacks.has(l.pack))?.pack;
  }

  /** A pack the index names is not on disk: none of its chunks is usable (check reports it). */
  markMissing(pack: string): void {
    if (!this.missingPacks.has(pack)) {
      this.missingPacks.add(pack);
      this.logger.warn('a pack the index names is missing', { pack });
    }
  }

  missingPackList(): string[] {
    return [...this.missingPacks];
  }

  isQuarantined(id: string, location: ChunkLocation): boolean {
    return this.quarantined.has(locationKey(id, location));
  }

  /**
   * Moves a damaged location out of use, never deleting it: a pack keeps its bytes (a record names the blob), a
   * legacy chunk file moves to quarantine/legacy/. The next backup that meets the content writes it again.
   */
  async quarantine(id: string, location: ChunkLocation, reason: string, at: string): Promise<void> {
    const key = locationKey(id, location);
    if (this.quarantined.has(key)) {
      return;
    }
    const record: QuarantineRecord =
      location.kind === 'pack'
        ? { chunk: id, where: location.pack, offset: location.entry.offset, length: location.entry.length, reason, at }
        : { chunk: id, where: 'legacy', reason, at };
    try {
      if (location.kind === 'legacy') {
        await this.layout.ensureDir(this.layout.p('quarantine', 'legacy'));
        await rename(legacyChunkPath(this.layout, id), this.layout.p('quarantine', 'legacy', id)).catch(
          (error: unknown) => {
            if (!isEnoent(error)) {
              throw error;
            }
          },
        );
        this.legacy.delete(id);
      }
      await this.layout.writeDurable(this.layout.p('quarantine', `${key}.json`), `${JSON.stringify(record)}\n`);
    } catch (error) {
      throw asDiskFull(error, this.layout.dir);
    }
    this.quarantined.set(key, record);
    this.logger.warn('damaged chunk quarantined', { chunk: id, where: record.where, reason });
  }

  /** Writes one index file naming these packs; their chunks are then found by any process that opens the store. */
  async writeIndexFile(packs: readonly SealedPack[]): Promise<void> {
    if (packs.length === 0) {
      return;
    }
    const { name, text } = indexFileText(packs);
    await this.layout.writeDurable(this.layout.p('index', name), text);
    await this.layout.fsyncDir(this.layout.p('index'));
    this.indexFiles.add(name);
  }

  /** Replaces every index file by one naming `keep` (prune): the new one is durable before the old ones go. */
  async rewrite(keep: readonly string[]): Promise<void> {
    const old = [...this.indexFiles];
    const packs = keep.flatMap((id) => {
      const pack = this.packs.get(id);
      return pack === undefined ? [] : [{ id, bytes: pack.bytes, entries: pack.entries }];
    });
    this.indexFiles.clear();
    await this.writeIndexFile(packs);
    for (const name of old) {
      if (!this.indexFiles.has(name)) {
        await rm(this.layout.p('index', name), { force: true });
      }
    }
    const kept = new Set(keep);
    for (const id of [...this.packs.keys()]) {
      if (!kept.has(id)) {
        this.dropPack(id);
      }
    }
  }

  private dropPack(packId: string): void {
    const pack = this.packs.get(packId);
    this.packs.delete(packId);
    for (const entry of pack?.entries ?? []) {
      const list = (this.byId.get(entry.id) ?? []).filter((l) => l.pack !== packId);
      if (list.length === 0) {
        this.byId.delete(entry.id);
      } else {
        this.byId.set(entry.id, list);
      }
    }
  }

  /** Drops a quarantine record (its pack or file was removed by prune). */
  async forgetQuarantine(key: string): Promise<void> {
    this.quarantined.delete(key);
    await rm(this.layout.p('quarantine', `${key}.json`), { force: true });
  }

  packList(): { id: string; bytes: number; entries: readonly PackEntry[] }[] {
    return [...this.packs].map(([id, p]) => ({ id, bytes: p.bytes, entries: p.entries }));
  }

  hasPack(id: string): boolean {
    return this.packs.has(id);
  }

  legacyIds(): string[] {
    return [...this.legacy];
  }

  forgetLegacy(id: string): void {
    this.legacy.delete(id);
  }

  quarantineRecords(): [string, QuarantineRecord][] {
    return [...this.quarantined];
  }

  damagedIndexes(): [string, string][] {
    return [...this.damagedIndexFiles];
  }

  /** Distinct chunk ids held (packs and legacy files), usable or not. */
  chunkCount(): number {
    let n = this.byId.size;
    for (const id of this.legacy) {
      if (!this.byId.has(id)) {
        n += 1;
      }
    }
    return n;
  }

  /** Bytes of packs and legacy chunk files on disk. */
  async storedBytes(): Promise<number> {
    let total = 0;
    for (const pack of this.packs.values()) {
      total += pack.bytes;
    }
    for (const id of this.legacy) {
      total += await stat(legacyChunkPath(this.layout, id)).then(
        (s) => s.size,
        () => 0,
      );
    }
    return total;
  }
}
