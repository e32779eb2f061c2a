import { createHmac, randomBytes, scryptSync } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

import { AppError } from '../../../shared/errors/AppError';

/**
 * The key of the audit chain. It is never in the database: it lives in the OS keychain (desktop app), is derived from
 * the store passphrase, or is a key file outside the data folder. Someone who can edit the history file can still
 * rewrite rows, but cannot recompute their HMACs without the key, so `audit verify` finds the rewrite.
 */

export const AUDIT_KEY_BYTES = 32;

export type AuditKey = { key: Buffer; id: string; source: string };

/** Names a key without revealing it: the key's own HMAC of a fixed text, 16 hex digits. */
export function auditKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('ohtw audit key id v1').digest('hex').slice(0, 16);
}

/** One place a key may come from. load: the key, or null when this place has none (never throws for absence). */
export interface AuditKeySource {
  readonly description: string;
  load(chainId: string): Buffer | null;
  /** Only where a key may be made here: makes, stores and returns a new random key. */
  create?(chainId: string): Buffer;
}

/**
 * Picks the key of a chain among its sources, in order: the one whose id the chain recorded, or (for a chain not yet
 * keyed) the first source that has a key, else the first that can make one. Keys are resolved once and kept.
 */
export class AuditKeyring {
  private readonly resolved = new Map<string, AuditKey>();

  constructor(private readonly sources: readonly AuditKeySource[]) {}

  describe(): string {
    return this.sources.map((s) => s.description).join(', ') || 'no key source';
  }

  /** The chain's key; recorded is null for a chain that is not keyed yet. Throws AUDIT_KEY_MISSING otherwise. */
  keyFor(chainId: string, recorded: { keyId: string; source: string } | null, mayCreate: boolean): AuditKey {
    const cacheKey = `${chainId}/${recorded?.keyId ?? ''}`;
    const cached = this.resolved.get(cacheKey);
    if (cached) {
      return cached;
    }
    const found = this.find(chainId, recorded, mayCreate);
    this.resolved.set(cacheKey, found);
    return found;
  }

  private find(chainId: string, recorded: { keyId: string; source: string } | null, mayCreate: boolean): AuditKey {
    for (const source of this.sources) {
      const key = source.load(chainId);
      if (key !== null && (recorded === null || auditKeyId(key) === recorded.keyId)) {
        return { key, id: auditKeyId(key), source: source.description };
      }
    }
    if (recorded === null && mayCreate) {
      const maker = this.sources.find((s) => s.create !== undefined);
      const key = maker?.create?.(chainId);
      if (maker && key) {
        return { key, id: auditKeyId(key), source: maker.description };
      }
    }
    throw new AppError(
      'AUDIT_KEY_MISSING',
      recorded === null
        ? `no key for the audit chain: none of ${this.describe()} has one or can make one`
        : `the audit chain is keyed with ${recorded.source} (key ${recorded.keyId}), which is not available here (looked in: ${this.describe()})`,
      { details: { chainId, keyId: recorded?.keyId ?? null } },
    );
  }
}

/**
 * A key file: 64 hex digits on one line, mode 0600, never inside the data folder (a copy of the folder must not
 * carry its key). With create, a missing file is made with a new random key.
 */
export function keyFileSource(path: string, options: { dataDir: string; create: boolean }): AuditKeySource {
  const file = resolve(path);
  if (isInside(file, resolve(options.dataDir))) {
    throw new AppError(
      'VALIDATION',
      `the audit key file ${file} is inside the data folder ${options.dataDir}: keep it elsewhere`,
      {
        details: { file, dataDir: options.dataDir },
      },
    );
  }
  const source: AuditKeySource = {
    description: `key file ${file}`,
    load() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return null;
        }
        throw new AppError('AUDIT_KEY_MISSING', `cannot read the audit key file ${file}: ${(error as Error).message}`);
      }
      const hex = text.trim();
      if (!/^[0-9a-f]{64}$/.test(hex)) {
        throw new AppError('AUDIT_KEY_MISSING', `${file} is not an audit key file (64 hex digits)`);
      }
      return Buffer.from(hex, 'hex');
    },
  };
  if (options.create) {
    source.create = () => {
      const key = randomBytes(AUDIT_KEY_BYTES);
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        writeDurably(file, `${key.toString('hex')}\n`);
      } catch (error) {
        throw new AppError(
          'AUDIT_KEY_MISSING',
          `cannot create the audit key file ${file}: ${(error as Error).message} (set OHTW_AUDIT_KEY_FILE to a writable place outside the data folder)`,
          { cause: error },
        );
      }
      return key;
    };
  }
  return source;
}

/** scrypt cost of the passphrase-derived key: as the backup store's key, slow enough to make guessing expensive. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const derived = new Map<string, Buffer>();

/**
 * A key derived from the store passphrase with scrypt, salted with the chain's id: the same passphrase gives every
 * face the same key for one history, and a different key for another history.
 */
export function passphraseKeySource(passphrase: () => string | null, description: string): AuditKeySource {
  return {
    description,
    load(chainId) {
      const secret = passphrase();
      if (secret === null || secret === '') {
        return null;
      }
      const memo = `${chainId}\u0000${secret}`;
      let key = derived.get(memo);
      if (!key) {
        key = scryptSync(secret, `ohtw-audit-chain:${chainId}`, AUDIT_KEY_BYTES, SCRYPT);
        derived.set(memo, key);
      }
      return key;
    },
  };
}

/** A key already in hand (a face that resolved it itself, or a test). */
export function givenKeySource(key: Buffer, description: string): AuditKeySource {
  return { description, load: () => key };
}

/**
 * Where the CLI and the browser host find the key: OHTW_AUDIT_KEY_FILE when set, the store passphrase
 * (OHTW_PASSPHRASE) when set, else a key file next to the data folder (`<data folder>.audit-key`), made at first use.
 * The desktop app puts its OS keychain first and makes no key file (it asks for the passphrase instead).
 */
export function defaultAuditKeySources(
  env: Record<string, string | undefined>,
  dataDir: string,
  passphrase: () => string | null = () => env.OHTW_PASSPHRASE || null,
  options: { createKeyFile: boolean } = { createKeyFile: true },
): AuditKeySource[] {
  const sources: AuditKeySource[] = [];
  const explicit = env.OHTW_AUDIT_KEY_FILE;
  if (explicit) {
    sources.push(keyFileSource(explicit, { dataDir, create: options.createKeyFile }));
  }
  sources.push(passphraseKeySource(passphrase, 'the store passphrase (OHTW_PASSPHRASE)'));
  sources.push(
    keyFileSource(defaultKeyFile(dataDir), { dataDir, create: options.createKeyFile && explicit === undefined }),
  );
  return sources;
}

export function defaultKeyFile(dataDir: string): string {
  return `${resolve(dataDir)}.audit-key`;
}

/** Writes a new file (never over an existing one), flushed to disk before it is closed. */
export function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-z]:/i.test(rel));
}
