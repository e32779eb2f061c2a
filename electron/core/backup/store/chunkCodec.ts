import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';

import type { StoreKeys } from './storeCrypto';
import { open, seal, secretChunkId } from './storeCrypto';

const deflateRawAsync = promisify(deflateRaw);
const inflateRawAsync = promisify(inflateRaw);

/**
 * A chunk file: magic `OHC1`, one flag byte (1 = deflated, 2 = encrypted), then the payload. An encrypted payload is
 * AES-256-GCM (nonce ‖ ciphertext ‖ tag) of the (possibly deflated) bytes, with the chunk id as associated data, so a
 * chunk file moved under another id does not open.
 */
const MAGIC = Buffer.from('OHC1', 'latin1');
const FLAG_DEFLATED = 1;
const FLAG_ENCRYPTED = 2;
const HEADER = MAGIC.length + 1;

/**
 * zlib level 1: on vehicle-like data (bench/backup-store.ts) it compresses within ~10 % of level 6 at about three
 * times its speed, and deduplication saves far more than the last few percent of compression would.
 */
export const COMPRESSION_LEVEL = 1;

export class ChunkDamage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChunkDamage';
  }
}

export function plainChunkId(plaintext: Uint8Array): string {
  return createHash('sha256').update(plaintext).digest('hex');
}

export function chunkIdFor(plaintext: Uint8Array, keys: StoreKeys | null): string {
  return keys === null ? plainChunkId(plaintext) : secretChunkId(keys, plaintext);
}

/** Compresses (when it helps) and, with keys, encrypts. The worker pool does the deflate. */
export async function encodeChunk(
  plaintext: Buffer,
  id: string,
  keys: StoreKeys | null,
  level = COMPRESSION_LEVEL,
): Promise<Buffer[]> {
  let flags = 0;
  let payload: Buffer = plaintext;
  const deflated = await deflateRawAsync(plaintext, { level });
  if (deflated.length < plaintext.length) {
    payload = deflated;
    flags |= FLAG_DEFLATED;
  }
  if (keys !== null) {
    payload = seal(keys.enc, payload, `chunk:${id}`);
    flags |= FLAG_ENCRYPTED;
  }
  return [MAGIC, Buffer.from([flags]), payload];
}

/**
 * Turns a chunk file back into its plaintext and checks it against its id; ChunkDamage when anything does not match.
 * `keys` says what the manifest expects: null for a plain chunk, the store keys for a secret one.
 */
export async function decodeChunk(file: Buffer, id: string, keys: StoreKeys | null): Promise<Buffer> {
  if (file.length < HEADER || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ChunkDamage('not a chunk file');
  }
  const flags = file[MAGIC.length] as number;
  let payload: Buffer = file.subarray(HEADER);
  const encrypted = (flags & FLAG_ENCRYPTED) !== 0;
  if (encrypted !== (keys !== null)) {
    throw new ChunkDamage(encrypted ? 'encrypted where plain was expected' : 'plain where encrypted was expected');
  }
  if (keys !== null) {
    const opened = open(keys.enc, payload, `chunk:${id}`);
    if (opened === null) {
      throw new ChunkDamage('does not decrypt (altered)');
    }
    payload = opened;
  }
  let plaintext: Buffer;
  if ((flags & FLAG_DEFLATED) !== 0) {
    try {
      plaintext = await inflateRawAsync(payload);
    } catch {
      throw new ChunkDamage('does not decompress');
    }
  } else {
    plaintext = payload;
  }
  const actual = keys !== null ? secretChunkId(keys, plaintext) : plainChunkId(plaintext);
  if (actual !== id) {
    throw new ChunkDamage('content does not match its id');
  }
  return plaintext;
}
