import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';

import { AppError } from '../../../../shared/errors/AppError';

/** A file or folder in a target's listing; `size` in bytes. */
export type TargetEntry = { name: string; size: number; isDir: boolean };

/**
 * Where backups are replicated: a folder (a USB disk, a mounted NAS) or an SFTP server. The target holds a copy of
 * the store's own layout (store.json, key.json, packs/, index/, manifests/), so it is a store a workstation can
 * check and pull from; it never holds a passphrase or a key, and secret chunks stay encrypted as they are in packs.
 * Paths are relative to the target's root, with '/' between parts.
 */
export interface ReplicaTarget {
  /** How the target is named in messages and the audit log (never a credential). */
  readonly description: string;
  /** Entries of a folder; [] when it does not exist. */
  list(dir: string): Promise<TargetEntry[]>;
  /** A file's bytes; null when it does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  /** Writes `data` under tmp/ with a unique name, durably; returns that name. */
  writeTemp(data: Buffer): Promise<string>;
  /** Moves a temporary file into place unless something is already at `path` ('exists': the temporary is removed). */
  commitTemp(temp: string, path: string): Promise<'written' | 'exists'>;
  /** Removes a temporary file (a copy that failed its check). */
  removeTemp(temp: string): Promise<void>;
  close(): Promise<void>;
}

export type TargetSpec =
  { kind: 'folder'; dir: string } | { kind: 'sftp'; user: string; host: string; port: number; path: string };

const SFTP_URL = /^sftp:\/\/([^@/\s]+)@(\[[0-9a-fA-F:]+\]|[^:/\s@]+)(?::(\d{1,5}))?(\/.*)$/;

function badTarget(text: string, why: string): AppError {
  return new AppError(
    'VALIDATION',
    `Not a backup target: ${JSON.stringify(text)} (${why}). A target is a folder (a USB disk, a mounted NAS) or sftp://user@host[:port]/path`,
    { details: { target: text } },
  );
}

/** Reads a TARGET: `sftp://user@host[:port]/path`, or an absolute folder (the CLI resolves a relative one first). */
export function parseTarget(text: string): TargetSpec {
  if (text.trim() === '') {
    throw badTarget(text, 'empty');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (!/^sftp:\/\//.test(text)) {
      throw badTarget(text, `the scheme ${text.split(':')[0] ?? ''} is not supported`);
    }
    const match = SFTP_URL.exec(text);
    if (match === null) {
      throw badTarget(text, 'an SFTP target needs a user, a host and an absolute path');
    }
    const [, user = '', rawHost = '', rawPort, path = '/'] = match;
    const port = rawPort === undefined ? 22 : Number(rawPort);
    if (!(port >= 1 && port <= 65535)) {
      throw badTarget(text, `port ${rawPort ?? ''} is out of range`);
    }
    if (path.split('/').includes('..')) {
      throw badTarget(text, 'the path may not hold ..');
    }
    const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
    return { kind: 'sftp', user: decodeURIComponent(user), host, port, path: path.replace(/\/+$/, '') || '/' };
  }
  if (!isAbsolute(text)) {
    throw badTarget(text, 'a folder must be named by its absolute path');
  }
  return { kind: 'folder', dir: resolve(text) };
}

/** The target as written in messages and the audit log. */
export function describeTarget(spec: TargetSpec): string {
  if (spec.kind === 'folder') {
    return spec.dir;
  }
  const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  return `sftp://${spec.user}@${host}${spec.port === 22 ? '' : `:${spec.port}`}${spec.path}`;
}

/** The key under which an SFTP target's host key is pinned: one pin per host and port, as ssh's known_hosts. */
export function hostKeyPinName(spec: { host: string; port: number }): string {
  return `${spec.host.includes(':') ? `[${spec.host}]` : spec.host}:${spec.port}`;
}

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Copies `data` to `path` on the target safely: written under a temporary name, read back and compared by SHA-256,
 * then moved into place only if nothing is there. 'exists' when the target already had a file at `path` (left as
 * it was: the caller decides whether its content is the same).
 */
export async function putVerified(target: ReplicaTarget, path: string, data: Buffer): Promise<'written' | 'exists'> {
  const temp = await target.writeTemp(data);
  let committed = false;
  try {
    const back = await target.readFile(temp);
    if (back === null || back.length !== data.length || sha256Of(back) !== sha256Of(data)) {
      throw new AppError(
        'BACKUP_DAMAGED',
        `${target.description}: ${path} read back differently from what was written; nothing was placed`,
        { details: { target: target.description, path } },
      );
    }
    const outcome = await target.commitTemp(temp, path);
    committed = true;
    return outcome;
  } finally {
    if (!committed) {
      await target.removeTemp(temp).catch(() => undefined);
    }
  }
}
