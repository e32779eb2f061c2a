import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

import { AppError } from '../../shared/errors/AppError';
import type { KeychainPort } from '../core/ports/KeyProvider';

/**
 * The part of Electron's safeStorage the keychain uses, so tests pass a fake. Electron 39 has the synchronous calls;
 * later versions add the asynchronous ones and drop the synchronous ones (Electron 46): whichever the running Electron
 * has is used, the asynchronous first.
 */
export type SafeStorageLike = {
  isEncryptionAvailable?(): boolean;
  encryptString?(plainText: string): Buffer;
  decryptString?(encrypted: Buffer): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only: which secret store backs it; `basic_text` is a hard-coded password, no protection at all. */
  getSelectedStorageBackend?(): string;
};

/**
 * keyring: a real OS keychain (macOS Keychain, Windows DPAPI, libsecret or KWallet). basic-text: Linux without a
 * secret store, where Electron falls back to a hard-coded password, which protects nothing. unavailable: none at all.
 */
export type KeyringKind = 'keyring' | 'basic-text' | 'unavailable';

export async function keyringKind(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Promise<KeyringKind> {
  const available = safeStorage.isAsyncEncryptionAvailable
    ? await safeStorage.isAsyncEncryptionAvailable()
    : (safeStorage.isEncryptionAvailable?.() ?? false);
  if (!available) {
    return 'unavailable';
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') {
      return 'basic-text';
    }
  }
  return 'keyring';
}

async function seal(safeStorage: SafeStorageLike, text: string): Promise<Buffer> {
  if (safeStorage.encryptStringAsync) {
    return safeStorage.encryptStringAsync(text);
  }
  if (safeStorage.encryptString) {
    return safeStorage.encryptString(text);
  }
  throw new AppError('PASSPHRASE_MISSING', 'this Electron has no safeStorage encryption');
}

/** The sealed text; re-sealed in place when the keyring says its key moved on. */
async function unseal(safeStorage: SafeStorageLike, file: string, sealed: Buffer): Promise<string> {
  if (safeStorage.decryptStringAsync) {
    const { shouldReEncrypt, result } = await safeStorage.decryptStringAsync(sealed);
    if (shouldReEncrypt) {
      await writeSealed(file, await seal(safeStorage, result));
    }
    return result;
  }
  if (safeStorage.decryptString) {
    return safeStorage.decryptString(sealed);
  }
  throw new AppError('PASSPHRASE_MISSING', 'this Electron has no safeStorage decryption');
}

async function writeSealed(file: string, sealed: Buffer): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, sealed, { mode: 0o600 });
  await rename(temporary, file);
}

async function readSealed(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

/**
 * The backup store's passphrase kept by the OS keychain: the file holds only what the keychain sealed, so copying the
 * data folder to another machine does not copy the key. Only a real keyring is trusted: on Linux's basic_text
 * fallback the store passphrase is asked for instead (the Settings page).
 */
export function safeStorageKeychain(
  safeStorage: SafeStorageLike,
  file: string,
  platform: NodeJS.Platform,
): KeychainPort {
  return {
    async load() {
      const sealed = await readSealed(file);
      if (sealed === null) {
        return null;
      }
      await requireKeyring(safeStorage, platform);
      return unseal(safeStorage, file, sealed);
    },
    async save(passphrase) {
      await requireKeyring(safeStorage, platform);
      await writeSealed(file, await seal(safeStorage, passphrase));
    },
  };
}

/**
 * The audit chain's key, sealed by the OS keychain in `file`: read, or made (32 random bytes) on first use. Null
 * where there is no real keyring: the chain is then keyed from the store passphrase, which the app asks for.
 */
export async function keychainAuditKey(
  safeStorage: SafeStorageLike,
  file: string,
  platform: NodeJS.Platform,
): Promise<Buffer | null> {
  if ((await keyringKind(safeStorage, platform)) !== 'keyring') {
    return null;
  }
  const sealed = await readSealed(file);
  if (sealed !== null) {
    const hex = await unseal(safeStorage, file, sealed);
    if (!/^[0-9a-f]{64}$/.test(hex)) {
      throw new AppError('AUDIT_KEY_MISSING', `${file} does not hold an audit key`);
    }
    return Buffer.from(hex, 'hex');
  }
  const key = randomBytes(32);
  await writeSealed(file, await seal(safeStorage, key.toString('hex')));
  return key;
}

async function requireKeyring(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Promise<void> {
  const kind = await keyringKind(safeStorage, platform);
  if (kind === 'keyring') {
    return;
  }
  throw new AppError(
    'PASSPHRASE_MISSING',
    kind === 'basic-text'
      ? "This desktop has no secret service, only Electron's basic_text fallback (a hard-coded password that protects nothing): enter the store passphrase on the Settings page instead"
      : 'The OS keychain is not available: enter the store passphrase on the Settings page (or set OHTW_PASSPHRASE)',
  );
}
