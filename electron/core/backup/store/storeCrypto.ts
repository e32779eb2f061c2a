import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';

/**
 * scrypt cost for new stores: N = 2^17, r = 8 (128 MiB, about 0.35 s on a laptop core), the current recommendation
 * for a key derived once per session; recorded in the key-check record.
 */
export const DEFAULT_KDF_COST = 17;

export type KdfParams = { name: 'scrypt'; log2N: number; r: number; p: number; salt: string };

/**
 * What a key record may ask for. A record is data on disk: one asking for N = 2^40 or a gigabyte salt would make
 * opening the store hang or exhaust memory, so anything outside these bounds is refused before scrypt runs.
 * The floor admits stores created by earlier versions (2^15) and tests (2^10); the ceiling is 1 GiB of scrypt memory.
 */
export const KDF_BOUNDS = { log2N: { min: 10, max: 20 }, r: { min: 1, max: 16 }, p: { min: 1, max: 4 } } as const;
const MAX_KDF_MEMORY = 1024 * 1024 * 1024;

/** Why a record's KDF parameters are refused, or null when they are within bounds. */
export function kdfProblem(kdf: unknown): string | null {
  if (typeof kdf !== 'object' || kdf === null) {
    return 'no KDF parameters';
  }
  const k = kdf as Partial<Record<keyof KdfParams, unknown>>;
  if (k.name !== 'scrypt') {
    return `KDF ${JSON.stringify(k.name)} is not scrypt`;
  }
  for (const key of ['log2N', 'r', 'p'] as const) {
    const value = k[key];
    const { min, max } = KDF_BOUNDS[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return `scrypt ${key} ${JSON.stringify(value)} is outside ${min}…${max}`;
    }
  }
  if (128 * 2 ** (k.log2N as number) * (k.r as number) > MAX_KDF_MEMORY) {
    return `scrypt N = 2^${String(k.log2N)} with r = ${String(k.r)} needs more than 1 GiB of memory`;
  }
  const salt =
    typeof k.salt === 'string' && /^[A-Za-z0-9+/]{22,88}={0,2}$/.test(k.salt) ? Buffer.from(k.salt, 'base64') : null;
  if (salt === null || salt.length < 16 || salt.length > 64) {
    return 'the salt is not 16 to 64 bytes of base64';
  }
  return null;
}

/** The store's key-check record (`key.json`): what a passphrase must reproduce. Never holds the key itself. */
export type KeyRecord = { format: 1; kdf: KdfParams; check: string };

/** Keys derived from the passphrase: one per purpose, so no key is ever used for two things. */
export type StoreKeys = {
  /** AES-256-GCM for secret chunks and sealed manifest values. */
  enc: Buffer;
  /** HMAC-SHA-256 ids of secret chunks. */
  id: Buffer;
  check: Buffer;
};

const CHECK_TEXT = 'ohtw backup store key check v1';

export function newKdfParams(log2N = DEFAULT_KDF_COST): KdfParams {
  return { name: 'scrypt', log2N, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
}

export async function deriveKeys(passphrase: string, kdf: KdfParams): Promise<StoreKeys> {
  const N = 2 ** kdf.log2N;
  const master = await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      32,
      { N, r: kdf.r, p: kdf.p, maxmem: 128 * N * kdf.r * 2 + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
  const sub = (info: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return { enc: sub('ohtw enc'), id: sub('ohtw chunk id'), check: sub('ohtw key check') };
}

export function keyCheckValue(keys: StoreKeys): string {
  return createHmac('sha256', keys.check).update(CHECK_TEXT).digest('hex');
}

export function keyMatches(keys: StoreKeys, record: KeyRecord): boolean {
  const want = Buffer.from(record.check, 'hex');
  const got = Buffer.from(keyCheckValue(keys), 'hex');
  return want.length === got.length && timingSafeEqual(want, got);
}

export function secretChunkId(keys: StoreKeys, plaintext: Uint8Array): string {
  return createHmac('sha256', keys.id).update(plaintext).digest('hex');
}

const NONCE = 12;
const TAG = 16;

/** AES-256-GCM: nonce ‖ ciphertext ‖ tag, the associated data binding it to where it belongs. */
export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Returns null when the data was not sealed under this key and associated data, or was altered. */
export function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer | null {
  if (sealed.length < NONCE + TAG) {
    return null;
  }
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, NONCE));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(buf.subarray(buf.length - TAG));
    return Buffer.concat([decipher.update(buf.subarray(NONCE, buf.length - TAG)), decipher.final()]);
  } catch {
    return null;
  }
}
