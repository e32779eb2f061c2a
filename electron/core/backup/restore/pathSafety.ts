import { posix } from 'node:path';

import { AppError } from '../../../../shared/errors/AppError';
import { hasControl, inScope, isNormalAbsolute, rootProblem, type RestoreScope } from './scope';
import type { TreeEntry } from './tree';

/** Permission bits only: a mode with file-type bits (a device, a fifo) is not something a restore writes. */
const MAX_MODE = 0o7777;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;

/** An owner or group name a restore can hand to chown: a plain account name (or a number written out). */
export function isPlainAccountName(name: string): boolean {
  return name === '' || NAME.test(name);
}

function unsafe(path: string, why: string): AppError {
  return new AppError('UNSAFE_PATH', `the backup is refused: ${JSON.stringify(path)} ${why}; nothing was written`, {
    details: { path, reason: why },
  });
}

/** Where a symlink at `path` pointing at `target` lands, as an absolute normal path (no file system involved). */
export function resolveLinkTarget(path: string, target: string): string {
  return posix.resolve(posix.dirname(path), target);
}

/** The entry fields the safety rules judge: what a backup reads off a tar header is enough. */
export type SafetyFields = Pick<TreeEntry, 'path' | 'type' | 'mode' | 'uid' | 'gid' | 'owner' | 'group' | 'linkTarget'>;

/**
 * Why one entry cannot be restored safely, or null: a path that is not absolute and normal (`..`, `.`, `//`, control
 * characters such as a newline or an escape sequence), outside the scope or in what it leaves out, an entry that is
 * not a file, directory or symlink (devices, fifos, sockets), a mode with more than permission bits, an owner that is
 * not a plain name, a symlink without a usable target or pointing out of the scope. The backup side runs the same rule
 * on what the unit sends, so a stored backup never holds what a restore refuses.
 */
export function entryProblem(
  scope: RestoreScope,
  entry: SafetyFields,
  isInScope: (path: string) => boolean = (path) => inScope(scope, path),
): string | null {
  const { path } = entry;
  if (typeof path !== 'string' || !isNormalAbsolute(path)) {
    return 'is not an absolute, normal path (no "..", ".", "//" or control characters such as a newline or an escape sequence)';
  }
  if (!isInScope(path)) {
    return `is outside the profile's roots (${scope.roots.join(', ')})`;
  }
  if (entry.type !== 'file' && entry.type !== 'dir' && entry.type !== 'symlink') {
    return `is a ${String(entry.type)}, not a file, directory or symlink (device files are never restored)`;
  }
  if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > MAX_MODE) {
    return `has mode ${String(entry.mode)}, which is more than permission bits`;
  }
  if (!Number.isInteger(entry.uid) || entry.uid < 0 || !Number.isInteger(entry.gid) || entry.gid < 0) {
    return 'has an owner or group id that is not a number';
  }
  for (const name of [entry.owner, entry.group]) {
    if (!isPlainAccountName(name)) {
      return `has an owner or group name ${JSON.stringify(name)} that is not a plain account name`;
    }
  }
  if (entry.type === 'symlink') {
    const target = entry.linkTarget;
    if (typeof target !== 'string' || target === '' || hasControl(target)) {
      return 'is a symlink without a usable target';
    }
    const lands = resolveLinkTarget(path, target);
    if (!isInScope(lands)) {
      return `is a symlink that points out of the profile (${target} → ${lands})`;
    }
  }
  return null;
}

/**
 * Refuses a hostile or broken manifest before anything is written: roots that are not acceptable, any entry with an
 * entryProblem, a file without a SHA-256 and size, entries below a symlink, and the same path twice. The first
 * offending entry is named (UNSAFE_PATH).
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
    const problem = entryProblem(scope, entry);
    if (problem !== null) {
      throw unsafe(String(entry.path), problem);
    }
    if (entry.type === 'file' && (!/^[0-9a-f]{64}$/.test(entry.sha256) || !Number.isInteger(entry.size))) {
      throw unsafe(entry.path, 'is a file without a SHA-256 and size');
    }
    if (seen.has(entry.path)) {
      throw unsafe(entry.path, 'appears twice in the manifest');
    }
    seen.set(entry.path, entry);
  }
  // Nothing may be written through a symlink: no entry may sit below one the manifest itself restores.
  for (const entry of entries) {
    const parent = nonDirParent(entry.path, seen);
    if (parent !== null) {
      throw unsafe(entry.path, `lies below ${parent.path}, which the backup holds as a ${parent.type}`);
    }
  }
}

/** The nearest ancestor of `path` that the entries hold as something other than a directory, or null. */
export function nonDirParent(
  path: string,
  entries: ReadonlyMap<string, { path: string; type: string }>,
): { path: string; type: string } | null {
  for (let p = posix.dirname(path); p !== '/'; p = posix.dirname(p)) {
    const parent = entries.get(p);
    if (parent !== undefined && parent.type !== 'dir') {
      return parent;
    }
  }
  return null;
}
