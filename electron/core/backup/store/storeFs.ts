import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import type { AppendableFile, StoreFs } from './BackupStore';

/** Writes all of `part`; a short write (a disk filling up) continues until an error says why. */
async function writeAll(handle: FileHandle, part: Uint8Array, path: string): Promise<void> {
  let done = 0;
  while (done < part.length) {
    const { bytesWritten } = await handle.write(part, done, part.length - done);
    if (bytesWritten === 0) {
      throw Object.assign(new Error(`No space left writing ${path}`), { code: 'ENOSPC' });
    }
    done += bytesWritten;
  }
}

/** The real file system: exclusive create, write, fsync, close; a failed write removes its partial file. */
export const nodeStoreFs: StoreFs = {
  async writeFileDurable(path, data) {
    const handle = await open(path, 'wx', 0o600);
    try {
      const parts = data instanceof Uint8Array ? [data] : data;
      for (const part of parts) {
        await writeAll(handle, part, path);
      }
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true }).catch(() => undefined);
      throw error;
    }
    await handle.close();
  },
  async createAppendable(path): Promise<AppendableFile> {
    const handle = await open(path, 'wx', 0o600);
    let closed = false;
    return {
      append: (data) => writeAll(handle, data, path),
      async syncAndClose() {
        await handle.sync();
        closed = true;
        await handle.close();
      },
      async discard() {
        if (!closed) {
          closed = true;
          await handle.close().catch(() => undefined);
        }
        await rm(path, { force: true }).catch(() => undefined);
      },
    };
  },
  rename: (from, to) => rename(from, to),
  async mkdir(path) {
    await mkdir(path, { recursive: true, mode: 0o700 });
  },
  async fsyncDir(path) {
    if (process.platform === 'win32') {
      return;
    }
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function isEnoent(error: unknown): boolean {
  return errnoCode(error) === 'ENOENT';
}

/** ENOSPC and EDQUOT become DISK_FULL, with where it happened; anything else passes through unchanged. */
export function asDiskFull(error: unknown, dir: string): unknown {
  const code = errnoCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('DISK_FULL', `The disk holding the backup store (${dir}) is full`, {
      details: { dir },
      cause: error,
    });
  }
  return error;
}
