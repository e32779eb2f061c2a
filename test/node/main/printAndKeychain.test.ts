import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { safeStorageKeychain, type SafeStorageLike } from '../../../electron/main/keychain';
import { electronPdfPrinter, type PrintWindow } from '../../../electron/main/printToPdf';

/** A reversible stand-in for the OS keychain: enough to prove what reaches the disk. */
function fakeSafeStorage(available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`),
    decryptString: (sealed) => Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'base64').toString(),
  };
}

describe('Electron glue for reports and the backup key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-main-glue-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the report from a private temporary file in a hidden window, then removes both', async () => {
    const loaded: string[] = [];
    let destroyed = 0;
    let seenHtml = '';
    const printer = electronPdfPrinter((): PrintWindow => ({
      async loadFile(path) {
        loaded.push(path);
        seenHtml = await readFile(path, 'utf8');
        expect((await stat(path)).mode & 0o777).toBe(0o600);
      },
      webContents: { printToPDF: async () => Uint8Array.from(Buffer.from('%PDF-1.7 fake')) },
      destroy: () => {
        destroyed += 1;
      },
    }));
    const pdf = await printer.printHtmlToPdf('<h1>OHT-50 service report</h1>');
    expect(Buffer.from(pdf).toString()).toBe('%PDF-1.7 fake');
    expect(seenHtml).toBe('<h1>OHT-50 service report</h1>');
    expect(destroyed).toBe(1);
    expect(existsSync(loaded[0]!)).toBe(false);
  });

  it('closes the hidden window even when printing fails', async () => {
    let destroyed = 0;
    const printer = electronPdfPrinter(() => ({
      loadFile: async () => undefined,
      webContents: { printToPDF: () => Promise.reject(new Error('printing failed')) },
      destroy: () => {
        destroyed += 1;
      },
    }));
    await expect(printer.printHtmlToPdf('<p>x</p>')).rejects.toThrow('printing failed');
    expect(destroyed).toBe(1);
  });

  it('keeps the passphrase only as the keychain sealed it, and reads it back', async () => {
    const file = join(dir, 'backup-key.sealed');
    const keychain = safeStorageKeychain(fakeSafeStorage(), file, 'darwin');
    expect(await keychain.load()).toBeNull();
    await keychain.save('correct horse battery staple');
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain('correct horse');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await keychain.load()).toBe('correct horse battery staple');
  });

  it('says so when the desktop has no keychain, instead of storing the key in the clear', async () => {
    const keychain = safeStorageKeychain(fakeSafeStorage(false), join(dir, 'backup-key.sealed'), 'darwin');
    await expect(keychain.save('secret')).rejects.toMatchObject({ code: 'PASSPHRASE_MISSING' });
    expect(existsSync(join(dir, 'backup-key.sealed'))).toBe(false);
  });
});
