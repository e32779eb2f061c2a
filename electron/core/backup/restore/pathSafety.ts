import { posix } from 'node:path';

import { AppError } from '../../../../shared/errors/AppError';
import { hasControl, inScope, isNormalAbsolute, rootProblem, type RestoreScope } from './scope';
import type { TreeEntry } from './tree';

/** Permission bits only: a mode with file-type bits (a device, a fifo) is not something a restore writes. */
const MAX_MODE = 0o7777;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;

function unsafe(path: string, why: string): AppError {
  return new AppError('UNSAFE_PATH', `the backup is refused: ${JSON.stringify(path)} ${why}; nothing was written`, {
    details: { path, reason: why },
  });
}

/** Where a symlink at `path` pointing at `target` lands, as an absolute normal path (no file system involved). */
export function resolveLinkTarget(path: string, target: string): string {
  return posix.resolve(posix.dirname(path), target);
}

/**
 * Refuses a hostile or broken manifest before anything is written: roots that are not acceptable, paths that are
 * not absolute and normal (`..`, `.`, `//`, control characters), paths outside the profile's roots or inside what it
 * leaves out, entries that are not a file, directory or symlink (devices, fifos, sockets), modes with more than
 * permission bits, owners that are not plain names, symlinks that point out of the profile, entries below a symlink,
 * and the same path twice. The first offending entry is named (UNSAFE_PATH).
 */
export function assertSafeManifest(scope: RestoreScope, entries: readonly TreeEntry[]): void {
  for (const root of scope.roots) {
    const problem = rootProblem(root);
    if (problem !== null) {
      throw unsafe(root, `is not an acceptable root of a backup profile: ${problem}`);
    }
  }
  for (const ex of scope.excludes) {
    if (!isNormalAbsolute(ex)) {
      throw unsafe(ex, 'is not an absolute, normal path (an excluded path of the profile)');
    }
  }
  const seen = new Map<string, TreeEntry>();
  for (const entry of entries) {
    const { path } = entry;
    if (typeof path !== 'string' || !isNormalAbsolute(path)) {
      throw unsafe(String(path), 'is not an absolute, normal path (no "..", ".", "//" or control characters)');
    }
    if (!inScope(scope, path)) {
      throw unsafe(path, `is outside the profile's roots (${scope.roots.join(', ')})`);
    }
    if (entry.type !== 'file' && entry.type !== 'dir' && entry.type !== 'symlink') {
      throw unsafe(
        path,
        `is a ${String(entry.type)}, not a file, directory or symlink (device files are never restored)`,
      );
    }
    if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > MAX_MODE) {
      throw unsafe(path, `has mode ${String(entry.mode)}, which is more than permission bits`);
    }
    if (!Number.isInteger(entry.uid) || entry.uid < 0 || !Number.isInteger(entry.gid) || entry.gid < 0) {
      throw unsafe(path, 'has an owner or group id that is not a number');
    }
    for (const name of [entry.owner, entry.group]) {
      if (name !== '' && !NAME.test(name)) {
        throw unsafe(path, `has an owner or group name ${JSON.stringify(name)} that is not a plain account name`);
      }
    }
    if (entry.type === 'symlink') {
      const target = entry.linkTarget;
      if (typeof target !== 'string' || target === '' || hasControl(target)) {
        throw unsafe(path, 'is a symlink without a usable target');
      }
      const lands = resolveLinkTarget(path, target);
      if (!inScope(scope, lands)) {
        throw unsafe(path, `is a symlink that points out of the profile (${target} → ${lands})`);
      }
    }
    if (entry.type === 'file' && (!/^[0-9a-f]{64}$/.test(entry.sha256) || !Number.isInteger(entry.size))) {
      throw unsafe(path, 'is a file without a SHA-256 and size');
    }
    if (seen.has(path)) {
      throw unsafe(path, 'appears twice in the manifest');
    }
    seen.set(path, entry);
  }
  // Nothing may be written through a symlink: no entry may sit below one the manifest itself restores.
  for (const entry of entries) {
    for (let p = posix.dirname(entry.path); p !== '/'; p = posix.dirname(p)) {
      const parent = seen.get(p);
      if (parent !== undefined && parent.type !== 'dir') {
        throw unsafe(entry.path, `lies below ${p}, which the backup holds as a ${parent.type}`);
      }
    }
  }
}
