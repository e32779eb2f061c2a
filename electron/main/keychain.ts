import { readFile, rename, writeFile } from 'node:fs/promises';

import { AppError } from '../../shared/errors/AppError';
import type { KeychainPort } from '../core/backup/store/BackupStore';

/** The part of Electron's safeStorage the keychain uses, so tests pass a fake. */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
};

/**
 * The backup store's passphrase kept by the OS keychain (Electron safeStorage: DPAPI, Keychain, libsecret): the file
 * holds only what the keychain encrypted, so copying the data folder to another machine does not copy the key.
 */
export function safeStorageKeychain(safeStorage: SafeStorageLike, file: string): KeychainPort {
  return {
    async load() {
      let sealed: Buffer;
      try {
        sealed = await readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return null;
        }
        throw error;
      }
      requireKeychain(safeStorage);
      return safeStorage.decryptString(sealed);
    },
    async save(passphrase) {
      requireKeychain(safeStorage);
      const temporary = `${file}.tmp`;
      await writeFile(temporary, safeStorage.encryptString(passphrase), { mode: 0o600 });
      await rename(temporary, file);
    },
  };
}

function requireKeychain(safeStorage: SafeStorageLike): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new AppError(
      'PASSPHRASE_MISSING',
      'The OS keychain is not available (no secret service on this desktop); set OHTW_PASSPHRASE instead',
    );
  }
}
