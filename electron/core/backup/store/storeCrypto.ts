import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';

/** scrypt cost for new stores: N = 2^15, r = 8 (32 MiB, ~0.1 s), recorded in the key-check record. */
export const DEFAULT_KDF_COST = 15;

export type KdfParams = { name: 'scrypt'; log2N: number; r: number; p: number; salt: string };

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
      { N, r: kdf.r, p: kdf.p, maxmem: 256 * N * kdf.r + 16 * 1024 * 1024 },
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
