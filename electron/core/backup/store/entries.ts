import { createHash, randomBytes } from 'node:crypto';

import { AppError } from '../../../../shared/errors/AppError';
import type { BeginBackupInput, FileEntryInput } from './BackupStore';
import type { StoredEntry } from './manifests';

export const EMPTY_SHA256 = createHash('sha256').digest('hex');
export const CHUNK_ID_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Absolute and normal: starts with `/`, no empty, `.` or `..` segment, no trailing `/` (but `/` itself), no NUL. One
 * pass over the characters: a backup checks twenty thousand of these.
 */
function isAbsoluteNormal(path: string): boolean {
  if (typeof path !== 'string' || path.charCodeAt(0) !== 0x2f) {
    return false;
  }
  if (path.length === 1) {
    return true;
  }
  let segmentStart = 1;
  for (let i = 1; i <= path.length; i += 1) {
    const c = i === path.length ? 0x2f : path.charCodeAt(i);
    if (c === 0) {
      return false;
    }
    if (c === 0x2f) {
      const length = i - segmentStart;
      const dots = length <= 2 && path.slice(segmentStart, i).replace(/\./g, '') === '';
      if (length === 0 || dots) {
        return false;
      }
      segmentStart = i + 1;
    }
  }
  return true;
}

/** Absolute, normal POSIX paths only: what the restore side later writes must not be able to climb anywhere. */
export function checkPath(path: string): void {
  if (!isAbsoluteNormal(path)) {
    throw new AppError('UNSAFE_PATH', `Not an absolute, normal path: ${JSON.stringify(path)}`, {
      details: { path: String(path) },
    });
  }
}

export function checkEntry(entry: FileEntryInput): void {
  checkPath(entry.path);
  const intOk = (n: unknown, max: number): boolean => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max;
  const problems: string[] = [];
  if (entry.type !== 'file' && entry.type !== 'dir' && entry.type !== 'symlink') {
    problems.push('type');
  }
  if (!intOk(entry.mode, 0o7777)) {
    problems.push('mode');
  }
  if (!intOk(entry.uid, 2 ** 32) || !intOk(entry.gid, 2 ** 32)) {
    problems.push('uid/gid');
  }
  if (typeof entry.owner !== 'string' || typeof entry.group !== 'string') {
    problems.push('owner/group');
  }
  if (!Number.isFinite(entry.mtimeMs) || !intOk(entry.size, Number.MAX_SAFE_INTEGER)) {
    problems.push('mtimeMs/size');
  }
  if (entry.type === 'symlink' && (typeof entry.linkTarget !== 'string' || entry.linkTarget === '')) {
    problems.push('linkTarget');
  }
  if (typeof entry.linkTarget === 'string' && entry.linkTarget.includes('\0')) {
    problems.push('linkTarget');
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION', `Invalid backup entry ${entry.path}: ${problems.join(', ')}`, {
      details: { path: entry.path, fields: problems },
    });
  }
}

/** What an entry keeps of the unit's metadata, whatever its content. */
export function entryBase(entry: FileEntryInput): Omit<StoredEntry, 'size' | 'sha256' | 'sealedSha256' | 'chunks'> {
  return {
    path: entry.path,
    type: entry.type,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    owner: entry.owner,
    group: entry.group,
    mtimeMs: entry.mtimeMs,
    secret: entry.secret === true,
    ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
  };
}

export function checkBeginInput(input: BeginBackupInput): void {
  if (typeof input.unit !== 'string' || input.unit.trim() === '' || input.unit.length > 200) {
    throw new AppError('VALIDATION', 'A backup needs the unit name', { details: { unit: String(input.unit) } });
  }
  if (input.kind !== 'backup' && input.kind !== 'snapshot') {
    throw new AppError('VALIDATION', `Unknown backup kind ${String(input.kind)}`);
  }
}

export function backupIdFor(unit: string, startedMs: number): string {
  const stamp = new Date(startedMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const slug =
    unit
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'unit';
  return `${stamp}-${slug}-${randomBytes(4).toString('hex')}`;
}
