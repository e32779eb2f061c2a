import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { AppError } from '../../../../shared/errors/AppError';
import { errnoCode, isEnoent, nodeStoreFs } from '../store/storeFs';
import type { ReplicaTarget, TargetEntry } from './ReplicaTarget';

function targetError(dir: string, error: unknown): unknown {
  const code = errnoCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError(
      'DISK_FULL',
      `The backup target ${dir} is full; what was copied before stays, nothing is lost`,
      {
        details: { target: dir },
        cause: error,
      },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError('PRECONDITION_FAILED', `The backup target ${dir} cannot be written (${code})`, {
      details: { target: dir },
      cause: error,
    });
  }
  return error;
}

/** A folder target: a USB disk or a mounted NAS. The folder must exist (an unmounted disk is not written into). */
export async function openFolderTarget(dir: string): Promise<ReplicaTarget> {
  const info = await stat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new AppError(
      'NOT_FOUND',
      `The backup target folder ${dir} does not exist${info === null ? '' : ' as a folder'} (is the disk mounted?)`,
      { details: { target: dir } },
    );
  }
  const p = (path: string): string => join(dir, ...path.split('/'));
  return {
    description: dir,
    async list(sub) {
      try {
        const entries = await readdir(p(sub), { withFileTypes: true });
        const out: TargetEntry[] = [];
        for (const e of entries) {
          const size = e.isFile() ? (await stat(join(p(sub), e.name))).size : 0;
          out.push({ name: e.name, size, isDir: e.isDirectory() });
        }
        return out;
      } catch (error) {
        if (isEnoent(error)) {
          return [];
        }
        throw error;
      }
    },
    async readFile(path) {
      try {
        return await readFile(p(path));
      } catch (error) {
        if (isEnoent(error)) {
          return null;
        }
        throw error;
      }
    },
    async writeTemp(data) {
      const temp = `tmp/${randomBytes(8).toString('hex')}.part`;
      try {
        await mkdir(p('tmp'), { recursive: true, mode: 0o700 });
        await nodeStoreFs.writeFileDurable(p(temp), data);
      } catch (error) {
        throw targetError(dir, error);
      }
      return temp;
    },
    async commitTemp(temp, path) {
      const final = p(path);
      try {
        await mkdir(dirname(final), { recursive: true, mode: 0o700 });
        const outcome = await placeExclusive(p(temp), final);
        await nodeStoreFs.fsyncDir(dirname(final)).catch(() => undefined);
        return outcome;
      } catch (error) {
        throw targetError(dir, error);
      } finally {
        await rm(p(temp), { force: true }).catch(() => undefined);
      }
    },
    async removeTemp(temp) {
      await rm(p(temp), { force: true });
    },
    async close() {},
  };
}

/**
 * A hard link never replaces a file already there. FAT and exFAT disks (most USB sticks) have no hard links: there
 * the name is checked first and the file renamed, which is as safe as long as one workstation writes at a time.
 */
async function placeExclusive(temp: string, final: string): Promise<'written' | 'exists'> {
  try {
    await link(temp, final);
    return 'written';
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') {
      return 'exists';
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') {
      throw error;
    }
  }
  if (
    await stat(final).then(
      () => true,
      () => false,
    )
  ) {
    return 'exists';
  }
  await rename(temp, final);
  return 'written';
}
