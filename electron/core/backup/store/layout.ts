import { createHash, randomBytes } from 'node:crypto';
import { link, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { JsonValue } from '../../../../shared/errors/AppError';
import { AppError } from '../../../../shared/errors/AppError';
import type { Clock } from '../../ports/Clock';
import type { StoreFs } from './BackupStore';
import type { ChunkerParams } from './chunker';
import { validateChunkerParams } from './chunker';
import { asDiskFull, errnoCode, isEnoent } from './storeFs';

/**
 * The store folder, and the small files that describe it. On disk, under `dir`:
 *
 *   store.json                 format and chunker parameters (fixed for the store's life: dedup depends on them)
 *   key.json                   the key-check record (scrypt parameters, salt, an HMAC proving the passphrase)
 *   packs/ab/<packId>          packs: many encoded chunks, then a trailer listing them; named by their SHA-256
 *   index/<sha256>.json        which chunks each pack holds, at what offset; one file per commit that wrote packs
 *   chunks/ab/<chunkId>        one chunk per file, as format 1 stores wrote them: read, never written
 *   quarantine/<chunk>.<where>.json  a damaged chunk's location, moved out of use (legacy files go to quarantine/legacy)
 *   manifests/<id>.files.jsonl the entries of a backup, one JSON object a line
 *   manifests/<id>.json        the header: summary and the SHA-256 of the entries; its presence is the commit
 *   locks/<name>.lock          a running backup ('writer-<id>') or prune ('prune'): pid, host, time
 *   tmp/                       files being written; always garbage once no writer holds a lock
 */
export const STORE_FORMAT = 2;
export const SUBDIRS = ['', 'packs', 'index', 'quarantine', 'manifests', 'tmp', 'locks'] as const;

export type StoreConfig = {
  format: 1 | 2;
  chunker: ChunkerParams;
  createdAt: string;
  /** Set when a format 1 store was opened by this layout: its chunk files are still read where they are. */
  upgradedAt?: string;
};

export function damaged(message: string, details: Record<string, JsonValue>, cause?: unknown): AppError {
  return new AppError('BACKUP_DAMAGED', message, cause === undefined ? { details } : { details, cause });
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Paths inside the store folder and the durable writes every part of the store shares. */
export class StoreLayout {
  private readonly knownDirs = new Set<string>();

  constructor(
    readonly dir: string,
    readonly fs: StoreFs,
  ) {}

  p(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  async ensureDir(path: string): Promise<void> {
    if (this.knownDirs.has(path)) {
      return;
    }
    try {
      await this.fs.mkdir(path);
    } catch (error) {
      throw asDiskFull(error, this.dir);
    }
    this.knownDirs.add(path);
  }

  async fsyncDir(path: string): Promise<void> {
    try {
      await this.fs.fsyncDir(path);
    } catch (error) {
      throw asDiskFull(error, this.dir);
    }
  }

  /** A unique name under tmp/. */
  tmpPath(suffix: string): string {
    return this.p('tmp', `${randomBytes(8).toString('hex')}.${suffix}`);
  }

  /** Writes a file under tmp/ durably and renames it into place (replacing what was there). */
  async writeDurable(finalPath: string, data: string | Uint8Array): Promise<void> {
    const tmp = this.tmpPath('part');
    try {
      await this.fs.writeFileDurable(tmp, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      await this.fs.rename(tmp, finalPath);
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw asDiskFull(error, this.dir);
    }
  }

  /** Writes a file under tmp/ and hard-links it into place: it appears whole, and never replaces an existing one. */
  async createExclusive(name: string, text: string): Promise<boolean> {
    const tmp = this.p('tmp', `${name}.${randomBytes(6).toString('hex')}`);
    try {
      await this.fs.writeFileDurable(tmp, Buffer.from(text, 'utf8'));
      try {
        await link(tmp, this.p(name));
      } catch (error) {
        if (errnoCode(error) === 'EEXIST') {
          return false;
        }
        throw error;
      }
      await this.fs.fsyncDir(this.dir);
      return true;
    } catch (error) {
      throw asDiskFull(error, this.dir);
    } finally {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /**
   * Creates the folders and reads store.json, creating it for a new store and moving a format 1 store to format 2
   * (its chunk files stay where they are and are read there).
   */
  async open(newChunker: ChunkerParams, clock: Clock): Promise<StoreConfig> {
    for (const sub of SUBDIRS) {
      await this.ensureDir(this.p(sub));
    }
    let config = await this.readConfig();
    if (config === null) {
      const fresh: StoreConfig = { format: STORE_FORMAT, chunker: newChunker, createdAt: clock.nowIso() };
      await this.createExclusive('store.json', `${JSON.stringify(fresh, null, 2)}\n`);
      config = await this.readConfig();
    }
    if (config === null) {
      throw new AppError('INTERNAL', `Could not create ${this.p('store.json')}`);
    }
    if (config.format === 1) {
      // From now on the store holds packs, which the one-file-per-chunk layout cannot read: say so to it.
      config = { ...config, format: STORE_FORMAT, upgradedAt: clock.nowIso() };
      await this.writeDurable(this.p('store.json'), `${JSON.stringify(config, null, 2)}\n`);
      await this.fsyncDir(this.dir);
    }
    return config;
  }

  private async readConfig(): Promise<StoreConfig | null> {
    let text: string;
    try {
      text = await readFile(this.p('store.json'), 'utf8');
    } catch (error) {
      if (isEnoent(error)) {
        return null;
      }
      throw error;
    }
    try {
      const config = JSON.parse(text) as StoreConfig;
      if (config.format !== 1 && config.format !== STORE_FORMAT) {
        throw new Error(`format ${String(config.format)}, which this version does not know`);
      }
      validateChunkerParams(config.chunker);
      return config;
    } catch (error) {
      throw damaged(
        `The backup store's ${this.p('store.json')} is unreadable: ${error instanceof Error ? error.message : String(error)}`,
        { dir: this.dir },
        error,
      );
    }
  }
}
