import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, lchown, lstat, lutimes, mkdir, readdir, rename, rm, symlink, utimes } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { RestoreToFolderResult } from '../../../../shared/domain/restore';
import { AppError, isAppError } from '../../../../shared/errors/AppError';
import type { BackupStore, ManifestFile } from '../store/BackupStore';
import { nonDirParent } from './pathSafety';
import { isNormalAbsolute } from './scope';

export type FolderTarget = { backupId: string; dir: string; asRoot: boolean };

/** An absolute folder that does not exist yet (it is made) or is empty: nothing of the technician's is overwritten. */
async function prepareFolder(dir: string): Promise<string> {
  if (!isAbsolute(dir)) {
    throw new AppError('VALIDATION', `the folder to restore into must be an absolute path, not ${JSON.stringify(dir)}`);
  }
  const target = resolve(dir);
  const existing = await lstat(target).catch(() => null);
  if (existing === null) {
    await mkdir(target, { recursive: true, mode: 0o700 });
    return target;
  }
  if (!existing.isDirectory()) {
    throw new AppError('CONFLICT', `${target} exists and is not a folder: choose a new or empty folder`);
  }
  if ((await readdir(target)).length > 0) {
    throw new AppError('CONFLICT', `${target} is not empty: choose a new or empty folder, nothing was written`);
  }
  return target;
}

/** Why an entry is not written under the folder, or null. */
function entryProblem(
  entry: ManifestFile,
  written: ReadonlyMap<string, { path: string; type: string }>,
): string | null {
  if (!isNormalAbsolute(entry.path)) {
    return 'not an absolute, normal path (control characters, "..")';
  }
  const parent = nonDirParent(entry.path, written);
  return parent === null ? null : `lies below ${parent.path}, a ${parent.type}: nothing is written through it`;
}

/** Writes one file under a temporary name beside it, sets its mode (and owner), then renames it into place. */
async function writeFile(store: BackupStore, target: FolderTarget, entry: ManifestFile, at: string): Promise<void> {
  const temp = join(dirname(at), `.ohtw-${randomBytes(6).toString('hex')}`);
  try {
    await pipeline(
      await store.openFile(target.backupId, entry.path),
      createWriteStream(temp, { flags: 'wx', mode: 0o600 }),
    );
    if (target.asRoot) {
      await lchown(temp, entry.uid, entry.gid);
    }
    // After chown: chown clears the set-id bits.
    await chmod(temp, entry.mode);
    await utimes(temp, entry.mtimeMs / 1000, entry.mtimeMs / 1000);
    await rename(temp, at);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function writeLink(target: FolderTarget, entry: ManifestFile, at: string): Promise<void> {
  await symlink(entry.linkTarget ?? '', at);
  if (target.asRoot) {
    await lchown(at, entry.uid, entry.gid);
  }
  await lutimes(at, entry.mtimeMs / 1000, entry.mtimeMs / 1000).catch(() => undefined);
}

/**
 * Writes a backup's files under a folder of the workstation (each at <dir><path on the unit>) with their modes and
 * times, and their owners when the workstation runs as root, touching no unit: a technician reads an old config
 * without restoring anything. Every file's content is checked against its SHA-256 on the way (a damaged one is
 * listed, never written); symlinks are made as links and never followed.
 */
export async function restoreToFolder(store: BackupStore, target: FolderTarget): Promise<RestoreToFolderResult> {
  const manifest = await store.getManifest(target.backupId);
  const root = await prepareFolder(target.dir);
  const result: RestoreToFolderResult = {
    backupId: manifest.id,
    unit: manifest.unit,
    dir: root,
    files: 0,
    dirs: 0,
    links: 0,
    bytes: 0,
    owners: target.asRoot,
    problems: [],
  };
  const written = new Map<string, { path: string; type: string }>();
  const dirs: ManifestFile[] = [];
  for (const entry of [...manifest.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const problem = entryProblem(entry, written);
    if (problem !== null) {
      result.problems.push({ path: entry.path, message: problem });
      continue;
    }
    const at = join(root, entry.path);
    await mkdir(dirname(at), { recursive: true, mode: 0o700 });
    try {
      if (entry.type === 'dir') {
        await mkdir(at, { recursive: true, mode: 0o700 });
        dirs.push(entry);
        result.dirs += 1;
      } else if (entry.type === 'symlink') {
        await writeLink(target, entry, at);
        result.links += 1;
      } else {
        await writeFile(store, { ...target, backupId: manifest.id }, entry, at);
        result.files += 1;
        result.bytes += entry.size;
      }
      written.set(entry.path, { path: entry.path, type: entry.type });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'BACKUP_DAMAGED') {
        throw error;
      }
      result.problems.push({ path: entry.path, message: error.message });
    }
  }
  // Folders last, deepest first: their own mode may forbid writing into them.
  for (const entry of dirs.reverse()) {
    const at = join(root, entry.path);
    if (target.asRoot) {
      await lchown(at, entry.uid, entry.gid);
    }
    await chmod(at, entry.mode);
    await utimes(at, entry.mtimeMs / 1000, entry.mtimeMs / 1000);
  }
  return result;
}
