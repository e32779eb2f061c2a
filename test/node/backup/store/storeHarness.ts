import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, beforeEach, expect } from 'vitest';

import type {
  BackupStore,
  FileEntryInput,
  VerifyResult,
  StoreFs,
} from '../../../../electron/core/backup/store/BackupStore';
import type { KeyProvider } from '../../../../electron/core/ports/KeyProvider';
import { staticKeyProvider } from '../../../../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../../../../electron/core/backup/store/openBackupStore';
import type { Clock } from '../../../../electron/core/ports/Clock';
import { fixedClock } from '../../../../electron/core/ports/Clock';
import { createCapturingLogger, type CapturedRecord } from '../../../support/fakes/captureLogger';

export const PROFILE = { id: 'default', version: 1 };

export type Harness = {
  dir: string;
  records: CapturedRecord[];
  open(options?: { keyProvider?: KeyProvider; clock?: Clock; fs?: StoreFs; packSize?: number }): Promise<BackupStore>;
  cleanup(): Promise<void>;
};

export async function createHarness(): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'ohtw-store-'));
  const dir = join(root, 'backups');
  const { logger, records } = createCapturingLogger();
  const opened: BackupStore[] = [];
  return {
    dir,
    records,
    async open(options = {}) {
      const store = await openBackupStore({
        dir,
        clock: options.clock ?? fixedClock(Date.parse('2026-11-28T10:00:00Z'), 1000),
        logger,
        keyProvider: options.keyProvider ?? staticKeyProvider('correct horse battery staple'),
        kdfCost: 10,
        ...(options.fs === undefined ? {} : { fs: options.fs }),
        ...(options.packSize === undefined ? {} : { packSize: options.packSize }),
      });
      opened.push(store);
      return store;
    },
    async cleanup() {
      for (const store of opened) {
        await store.close();
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh store folder for each test of the file, closed and removed after it; with `noErrors`, a test that logged an
 * error fails.
 */
export function useHarness(options: { noErrors?: boolean } = {}): Harness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await createHarness();
  });
  afterEach(async () => {
    const done = now();
    current = undefined;
    try {
      if (options.noErrors === true) {
        expect(done.records.filter((r) => r.level === 'error')).toEqual([]);
      }
    } finally {
      await done.cleanup();
    }
  });
  function now(): Harness {
    if (current === undefined) {
      throw new Error('The store harness is only there during a test');
    }
    return current;
  }
  return {
    get dir() {
      return now().dir;
    },
    get records() {
      return now().records;
    },
    open: (openOptions) => now().open(openOptions),
    cleanup: () => now().cleanup(),
  };
}

/** What `verify` answers for a backup whose `checkedFiles` files all read back whole. */
export function cleanVerify(checkedFiles: number): VerifyResult {
  return { ok: true, checkedFiles, problems: [], sharedWith: [], quarantined: 0 };
}

export function fileEntry(path: string, size: number, extra: Partial<FileEntryInput> = {}): FileEntryInput {
  return {
    path,
    type: 'file',
    mode: 0o644,
    uid: 1000,
    gid: 1000,
    owner: 'orangepi',
    group: 'orangepi',
    mtimeMs: Date.parse('2026-11-01T08:00:00Z'),
    size,
    ...extra,
  };
}

export function dirEntry(path: string): FileEntryInput {
  return { ...fileEntry(path, 0), type: 'dir', mode: 0o755 };
}

/** Deterministic pseudo-random bytes (a hash in counter mode), so the same seed gives the same "firmware". */
export function seededBytes(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let offset = 0;
  for (let counter = 0; offset < length; counter += 1) {
    const block = createHash('sha512').update(`${seed}:${counter}`).digest();
    offset += block.copy(out, offset);
  }
  return out;
}

/** A stream of `chunkSize` blocks: a Readable that never holds the whole content. */
export function streamOf(data: Buffer, blockSize = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      this.push(data.subarray(offset, offset + blockSize));
      offset += blockSize;
    },
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) {
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Random (incompressible) content of `total` bytes generated on the fly; `digest()` gives its SHA-256 at the end. */
export function generatedStream(total: number, onBlock?: () => void): { stream: Readable; digest(): string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const block = randomBytes(Math.min(1024 * 1024, total - sent));
      hash.update(block);
      sent += block.length;
      onBlock?.();
      this.push(block);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

/** Where the store put a chunk, read from its index files on disk (as another program would read them). */
export type StoredChunk = { id: string; pack: string; offset: number; length: number; size: number };

export async function indexedChunks(dir: string): Promise<Map<string, StoredChunk>> {
  const out = new Map<string, StoredChunk>();
  const names = await readdir(join(dir, 'index')).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const body = JSON.parse(await readFile(join(dir, 'index', name), 'utf8')) as {
      packs: { id: string; chunks: [string, number, number, number][] }[];
    };
    const present = existsSync(join(dir, 'packs'));
    for (const pack of body.packs) {
      // A chunk written again after its pack went missing is in two packs: the one on disk wins.
      const onDisk = present && existsSync(packPathOf(dir, pack.id));
      for (const [id, offset, length, size] of pack.chunks) {
        if (!out.has(id) || onDisk) {
          out.set(id, { id, pack: pack.id, offset, length, size });
        }
      }
    }
  }
  return out;
}

/** Pack files on disk (paths). */
export async function packFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(join(dir, 'packs')).catch(() => [] as string[])) {
    for (const name of await readdir(join(dir, 'packs', sub))) {
      out.push(join(dir, 'packs', sub, name));
    }
  }
  return out.sort();
}

export function packPathOf(dir: string, pack: string): string {
  return join(dir, 'packs', pack.slice(0, 2), pack);
}

/**
 * Damages one stored chunk on disk: a byte flipped inside its blob, its pack truncated in the middle of it (which
 * takes every later blob and the trailer with it), or its whole pack removed.
 */
export async function damageChunk(dir: string, id: string, how: 'flip' | 'truncate' | 'remove-pack'): Promise<void> {
  const chunk = (await indexedChunks(dir)).get(id);
  if (chunk === undefined) {
    throw new Error(`chunk ${id} is not in the index`);
  }
  const path = packPathOf(dir, chunk.pack);
  if (how === 'remove-pack') {
    await rm(path);
    return;
  }
  if (how === 'truncate') {
    await truncate(path, chunk.offset + Math.floor(chunk.length / 2));
    return;
  }
  const bytes = await readFile(path);
  const at = chunk.offset + chunk.length - 3;
  bytes[at] = (bytes[at] as number) ^ 0x5a;
  await writeFile(path, bytes);
}

/** Every file under `dir` (relative path, '/'-separated) with its bytes: what a replica folder holds. */
export async function filesUnder(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path.slice(dir.length + 1), await readFile(path));
    }
  }
  return out;
}
