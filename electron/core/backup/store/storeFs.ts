import { mkdir, open, rename, rm } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import type { StoreFs } from './BackupStore';

/** The real file system: exclusive create, write, fsync, close; a failed write removes its partial file. */
export const nodeStoreFs: StoreFs = {
  async writeFileDurable(path, data) {
    const handle = await open(path, 'wx', 0o600);
    try {
      const parts = data instanceof Uint8Array ? [data] : data;
      for (const part of parts) {
        let done = 0;
        // A short write (a disk filling up) continues until an error says why.
        while (done < part.length) {
          const { bytesWritten } = await handle.write(part, done, part.length - done);
          if (bytesWritten === 0) {
            throw Object.assign(new Error(`No space left writing ${path}`), { code: 'ENOSPC' });
          }
          done += bytesWritten;
        }
      }
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true }).catch(() => undefined);
      throw error;
    }
    await handle.close();
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
