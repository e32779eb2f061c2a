import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import ssh2, { type ParsedKey } from 'ssh2';

/**
 * The simulator's keys and password live in its state folder so that restarting it keeps the same host
 * fingerprints (a technician trusts them once) and the same client key (the units stay registered).
 */

export type SimKey = {
  /** OpenSSH private key text, as written to disk. */
  privateKey: string;
  parsed: ParsedKey;
  /** The SSH wire blob of the public key: what a peer presents and what fingerprints hash. */
  publicBlob: Buffer;
  algorithm: string;
  fingerprint: string;
};

/** "SHA256:" + unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it. */
export function fingerprintOf(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

/** Creates a file only if absent ('wx'), so two starts racing on one folder keep the first one's secret. */
async function writeSecret(path: string, content: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, content, { mode: 0o600, flag: 'wx' });
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return readFile(path, 'utf8');
    }
    throw error;
  }
}

/**
 * ssh2 drops a leading zero byte of the key it generates (about one key in 250): such a key does not parse,
 * so it is thrown away and another one made.
 */
function generateEd25519(comment: string): { private: string; public: string } {
  for (let attempt = 1; ; attempt += 1) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error) || attempt >= 20) {
      return pair;
    }
  }
}

/** Loads the ed25519 key at `path`, generating it on first use; `withPublic` also writes `path.pub`. */
export async function loadOrCreateKey(path: string, comment: string, withPublic = false): Promise<SimKey> {
  let privateKey = await readIfPresent(path);
  if (privateKey === null) {
    const pair = generateEd25519(comment);
    privateKey = await writeSecret(path, pair.private);
    if (withPublic) {
      await writeFile(`${path}.pub`, `${pair.public}\n`, { mode: 0o644 });
    }
  }
  // OpenSSH refuses a private key that others can read; a copied state folder may have lost the mode.
  await chmod(path, 0o600);
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    throw new Error(`simulator key ${path} is unreadable: ${parsed.message}`);
  }
  const publicBlob = parsed.getPublicSSH();
  return { privateKey, parsed, publicBlob, algorithm: parsed.type, fingerprint: fingerprintOf(publicBlob) };
}

/** The fleet's password, generated once and kept (mode 600) for the technician to read. */
export async function loadOrCreatePassword(path: string): Promise<string> {
  const existing = await readIfPresent(path);
  if (existing !== null && existing.trim() !== '') {
    await chmod(path, 0o600);
    return existing.trim();
  }
  return (await writeSecret(path, `${randomBytes(18).toString('base64url')}\n`)).trim();
}
