import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { staticKeyProvider } from '../../../../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../../../../electron/core/backup/store/openBackupStore';
import { kdfProblem } from '../../../../electron/core/backup/store/storeCrypto';
import { fixedClock } from '../../../../electron/core/ports/Clock';
import { silentLogger } from '../../../../electron/core/ports/Logger';
import { AppError } from '../../../../shared/errors/AppError';
import { useHarness } from './storeHarness';

const h = useHarness();

type KeyJson = { format: 1; kdf: Record<string, unknown>; check: string };

describe('the key-check record', () => {
  it('a store created by a face derives its key with scrypt N = 2^17', async () => {
    const store = await openBackupStore({
      dir: h.dir,
      clock: fixedClock(Date.parse('2026-11-28T10:00:00Z'), 1000),
      logger: silentLogger,
      keyProvider: staticKeyProvider('a passphrase'),
    });
    try {
      await store.unlock();
    } finally {
      await store.close();
    }
    const record = JSON.parse(await readFile(join(h.dir, 'key.json'), 'utf8')) as KeyJson;
    expect(record.kdf).toMatchObject({ name: 'scrypt', log2N: 17, r: 8, p: 1 });
  });

  it.each([
    ['N = 2^40', { log2N: 40 }, 'log2N 40 is outside'],
    ['r = 100000', { r: 100000 }, 'r 100000 is outside'],
    ['p = 64', { p: 64 }, 'p 64 is outside'],
    ['a fractional N', { log2N: 16.5 }, 'log2N 16.5 is outside'],
    ['N as text', { log2N: '17' }, 'log2N "17" is outside'],
    ['a huge salt', { salt: Buffer.alloc(1 << 20).toString('base64') }, 'salt'],
    ['another KDF', { name: 'argon2id' }, 'is not scrypt'],
  ])('a record asking for %s is refused before any key is derived, with the reason', async (_what, change, reason) => {
    const store = await h.open();
    await store.unlock();
    const path = join(h.dir, 'key.json');
    const record = JSON.parse(await readFile(path, 'utf8')) as KeyJson;
    await writeFile(path, JSON.stringify({ ...record, kdf: { ...record.kdf, ...change } }));
    const fresh = await h.open();
    const started = Date.now();
    const error = await fresh.unlock().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BACKUP_DAMAGED');
    expect((error as AppError).message).toContain(reason);
    expect((error as AppError).message).toContain('key.json');
    const checked = await fresh.check();
    expect(checked.ok).toBe(false);
    expect(checked.problems).toContainEqual(expect.objectContaining({ kind: 'key', subject: 'key.json' }));
  });

  it('accepts what earlier versions and tests wrote (2^15, 2^10) and nothing beyond 1 GiB of scrypt memory', () => {
    const salt = Buffer.alloc(16, 7).toString('base64');
    expect(kdfProblem({ name: 'scrypt', log2N: 15, r: 8, p: 1, salt })).toBeNull();
    expect(kdfProblem({ name: 'scrypt', log2N: 10, r: 8, p: 1, salt })).toBeNull();
    expect(kdfProblem({ name: 'scrypt', log2N: 20, r: 16, p: 1, salt })).toContain('1 GiB');
    expect(kdfProblem({ name: 'scrypt', log2N: 9, r: 8, p: 1, salt })).toContain('outside');
    expect(kdfProblem(null)).not.toBeNull();
  });
});
