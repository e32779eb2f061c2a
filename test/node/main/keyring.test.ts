import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  keychainAuditKey,
  keyringKind,
  safeStorageKeychain,
  type SafeStorageLike,
} from '../../../electron/main/keychain';

type Calls = { sync: number; async: number };

/** Electron 39's safeStorage (synchronous only), with the Linux backend it reports. */
function syncSafeStorage(backend: string, calls: Calls): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => {
      calls.sync += 1;
      return Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`);
    },
    decryptString: (sealed) => {
      calls.sync += 1;
      return Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'base64').toString();
    },
  };
}

/** A later Electron's safeStorage: the asynchronous calls only (the synchronous ones are gone in Electron 46). */
function asyncSafeStorage(calls: Calls, reEncrypt = false): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptStringAsync: async (text) => {
      calls.async += 1;
      return Buffer.from(`v2:${Buffer.from(text).toString('base64')}`);
    },
    decryptStringAsync: async (sealed) => {
      calls.async += 1;
      return {
        shouldReEncrypt: reEncrypt,
        result: Buffer.from(sealed.toString().replace(/^v\d:/, ''), 'base64').toString(),
      };
    },
  };
}

describe('the OS keychain, trusted only when it is a real keyring', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-keyring-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("tells a real keyring from Linux's basic_text fallback and from none", async () => {
    const calls = { sync: 0, async: 0 };
    expect(await keyringKind(syncSafeStorage('gnome_libsecret', calls), 'linux')).toBe('keyring');
    expect(await keyringKind(syncSafeStorage('kwallet5', calls), 'linux')).toBe('keyring');
    expect(await keyringKind(syncSafeStorage('basic_text', calls), 'linux')).toBe('basic-text');
    expect(await keyringKind(syncSafeStorage('basic_text', calls), 'darwin')).toBe('keyring');
    expect(await keyringKind({ isEncryptionAvailable: () => false }, 'win32')).toBe('unavailable');
  });

  it('refuses to keep the backup key under basic_text and asks for the passphrase instead', async () => {
    const keychain = safeStorageKeychain(syncSafeStorage('basic_text', { sync: 0, async: 0 }), join(dir, 'k'), 'linux');
    await expect(keychain.save('secret')).rejects.toMatchObject({
      code: 'PASSPHRASE_MISSING',
      message: expect.stringMatching(/basic_text fallback .* enter the store passphrase on the Settings page/),
    });
    expect(existsSync(join(dir, 'k'))).toBe(false);
    expect(await keychainAuditKey(syncSafeStorage('basic_text', { sync: 0, async: 0 }), join(dir, 'a'), 'linux')).toBe(
      null,
    );
  });

  it('uses the asynchronous API where the Electron has it, and re-seals when the keyring asks', async () => {
    const calls = { sync: 0, async: 0 };
    const file = join(dir, 'audit-key.sealed');
    const made = await keychainAuditKey(asyncSafeStorage(calls), file, 'linux');
    expect(made).toHaveLength(32);
    expect(await readFile(file, 'utf8')).toMatch(/^v2:/);
    const again = await keychainAuditKey(asyncSafeStorage(calls, true), file, 'linux');
    expect(again?.equals(made ?? Buffer.alloc(0))).toBe(true);
    expect(calls).toEqual({ sync: 0, async: 3 });
  });

  it('falls back to the synchronous API of Electron 39, with the same key each time', async () => {
    const calls = { sync: 0, async: 0 };
    const file = join(dir, 'audit-key.sealed');
    const made = await keychainAuditKey(syncSafeStorage('gnome_libsecret', calls), file, 'linux');
    const again = await keychainAuditKey(syncSafeStorage('gnome_libsecret', calls), file, 'linux');
    expect(again?.toString('hex')).toBe(made?.toString('hex'));
    expect(calls.sync).toBe(2);
  });
});
