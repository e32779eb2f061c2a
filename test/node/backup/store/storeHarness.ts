import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type {
  BackupStore,
  FileEntryInput,
  KeyProvider,
  StoreFs,
} from '../../../../electron/core/backup/store/BackupStore';
import { staticKeyProvider } from '../../../../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../../../../electron/core/backup/store/openBackupStore';
import type { Clock } from '../../../../electron/core/ports/Clock';
import { fixedClock } from '../../../../electron/core/ports/Clock';
import { createCapturingLogger, type CapturedRecord } from '../../../support/fakes/captureLogger';

export const PROFILE = { id: 'default', version: 1 };

export type Harness = {
  dir: string;
  records: CapturedRecord[];
  open(options?: { keyProvider?: KeyProvider; clock?: Clock; fs?: StoreFs }): Promise<BackupStore>;
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
