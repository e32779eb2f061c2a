import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRaw } from 'node:zlib';

import type { StoreKeys } from './storeCrypto';
import { open, seal, secretChunkId } from './storeCrypto';

const deflateRawAsync = promisify(deflateRaw);
const inflateRawAsync = promisify(inflateRaw);

/**
 * An encoded chunk (a blob in a pack, or a whole chunk file of the format 1 layout): magic `OHC1`, one flag byte
 * (1 = deflated, 2 = encrypted), then the payload. An encrypted payload is
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

/** Below this a chunk is deflated on the calling thread: a trip to the thread pool costs more than the work. */
const SYNC_DEFLATE_BELOW = 32 * 1024;
/** A larger chunk is first tried on a sample of this size: random bytes (a firmware image, a blob) do not shrink. */
const SAMPLE = 8 * 1024;
/** A sample that keeps more than this share of its size marks the chunk as not worth compressing. */
const INCOMPRESSIBLE = 0.97;

/**
 * Whether a small chunk looks like random bytes (a compressed tile, an image): its first bytes use nearly as many
 * distinct byte values as random ones would. Counting them costs far less than deflating the chunk in vain.
 */
const seenAt = new Uint32Array(256);
let sampleMark = 0;

function looksRandom(chunk: Buffer): boolean {
  const m = Math.min(chunk.length, 512);
  if (m < 64) {
    return false;
  }
  // A mark per call instead of a fresh table: nothing to allocate or clear for each small file.
  sampleMark += 1;
  if (sampleMark === 0xffffffff) {
    seenAt.fill(0);
    sampleMark = 1;
  }
  let distinct = 0;
  for (let i = 0; i < m; i += 1) {
    const b = chunk[i] as number;
    if (seenAt[b] !== sampleMark) {
      seenAt[b] = sampleMark;
      distinct += 1;
    }
  }
  // Random bytes show 256·(1 − e^(−m/256)) distinct values on average; text and code a small fraction of that.
  return distinct > 0.8 * 256 * (1 - Math.exp(-m / 256));
}

async function deflated(plaintext: Buffer, level: number): Promise<Buffer | null> {
  if (plaintext.length < SYNC_DEFLATE_BELOW) {
    if (looksRandom(plaintext)) {
      return null;
    }
    const out = deflateRawSync(plaintext, { level });
    return out.length < plaintext.length ? out : null;
  }
  // Deflating random data runs at a fifth of the speed of text and gains nothing: a sample decides.
  const sample = deflateRawSync(plaintext.subarray(0, SAMPLE), { level });
  if (sample.length > SAMPLE * INCOMPRESSIBLE) {
    return null;
  }
  // The thread pool deflates several chunks at once, on every core.
  const out = await deflateRawAsync(plaintext, { level });
  return out.length < plaintext.length ? out : null;
}

/** Compresses (when it helps) and, with keys, encrypts. */
export async function encodeChunk(
  plaintext: Buffer,
  id: string,
  keys: StoreKeys | null,
  level = COMPRESSION_LEVEL,
): Promise<Buffer[]> {
  let flags = 0;
  let payload: Buffer = plaintext;
  const packed = await deflated(plaintext, level);
  if (packed !== null) {
    payload = packed;
    flags |= FLAG_DEFLATED;
  }
  if (keys !== null) {
    payload = seal(keys.enc, payload, `chunk:${id}`);
    flags |= FLAG_ENCRYPTED;
  }
  return [MAGIC, Buffer.from([flags]), payload];
}

/** Whether an encoded chunk says it is encrypted (reading it needs the store keys); null when it is not one. */
export function isEncryptedBlob(file: Buffer): boolean | null {
  if (file.length < HEADER || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    return file.subarray(0, BLOCK_MAGIC.length).equals(BLOCK_MAGIC) ? false : null;
  }
  return ((file[MAGIC.length] as number) & FLAG_ENCRYPTED) !== 0;
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

/**
 * A block: several small plain chunks (small files) deflated together as one blob (`OHB1`, flag 1 = deflated, then
 * the payload). One zlib call for a hundred files instead of one each, and they compress better together. Each chunk
 * is found in the block's plaintext at its `inner` offset and checked against its id when read. Encrypted chunks are
 * never put in a block.
 */
const BLOCK_MAGIC = Buffer.from('OHB1', 'latin1');

/** Chunks below this size, plain and not random-looking, are packed into blocks. */
export const BLOCK_MEMBER_BELOW = 16 * 1024;
/** A block is closed at this many bytes of plaintext. */
export const BLOCK_TARGET = 128 * 1024;

export function isBlockCandidate(plaintext: Buffer, keys: StoreKeys | null): boolean {
  return keys === null && plaintext.length < BLOCK_MEMBER_BELOW && !looksRandom(plaintext);
}

export async function encodeBlock(plaintext: Buffer, level = COMPRESSION_LEVEL): Promise<Buffer[]> {
  const packed = await deflateRawAsync(plaintext, { level });
  const keep = packed.length < plaintext.length;
  return [BLOCK_MAGIC, Buffer.from([keep ? FLAG_DEFLATED : 0]), keep ? packed : plaintext];
}

/** A block blob back to its plaintext; ChunkDamage when it is not one or does not decompress. */
export async function decodeBlock(blob: Buffer): Promise<Buffer> {
  if (blob.length < HEADER || !blob.subarray(0, BLOCK_MAGIC.length).equals(BLOCK_MAGIC)) {
    throw new ChunkDamage('not a block of small chunks');
  }
  const payload = blob.subarray(HEADER);
  if (((blob[BLOCK_MAGIC.length] as number) & FLAG_DEFLATED) === 0) {
    return payload;
  }
  try {
    return await inflateRawAsync(payload);
  } catch {
    throw new ChunkDamage('its block does not decompress');
  }
}

/** One chunk out of a block's plaintext, checked against its id. */
export function chunkInBlock(block: Buffer, id: string, inner: number, size: number): Buffer {
  const plain = block.subarray(inner, inner + size);
  if (plain.length !== size || plainChunkId(plain) !== id) {
    throw new ChunkDamage('content does not match its id');
  }
  return plain;
}
