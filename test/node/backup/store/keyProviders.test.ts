import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { cliKeyProvider, envKeyProvider, fileKeyProvider } from '../../../../electron/core/backup/store/keyProviders';
import { AppError } from '../../../../shared/errors/AppError';

const dir = await mkdtemp(join(tmpdir(), 'ohtw-keys-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('key providers', () => {
  it('reads OHTW_PASSPHRASE, treating empty as unset', async () => {
    expect(await envKeyProvider({ OHTW_PASSPHRASE: 'p1' }).getPassphrase()).toBe('p1');
    expect(await envKeyProvider({ OHTW_PASSPHRASE: '' }).getPassphrase()).toBeNull();
    expect(await envKeyProvider({}).getPassphrase()).toBeNull();
  });

  it('reads the first line of a passphrase file, and a missing file is PASSPHRASE_MISSING', async () => {
    const file = join(dir, 'pass');
    await writeFile(file, 'with spaces inside \nsecond line\n');
    expect(await fileKeyProvider(file).getPassphrase()).toBe('with spaces inside ');
    const error = await fileKeyProvider(join(dir, 'absent'))
      .getPassphrase()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PASSPHRASE_MISSING');
    await writeFile(join(dir, 'empty'), '\n');
    expect(
      (
        (await fileKeyProvider(join(dir, 'empty'))
          .getPassphrase()
          .catch((e: unknown) => e)) as AppError
      ).code,
    ).toBe('PASSPHRASE_MISSING');
  });

  it('--passphrase-file wins over the environment', async () => {
    const file = join(dir, 'cli');
    await writeFile(file, 'from-file\n');
    expect(await cliKeyProvider(file, { OHTW_PASSPHRASE: 'from-env' }).getPassphrase()).toBe('from-file');
    expect(await cliKeyProvider(undefined, { OHTW_PASSPHRASE: 'from-env' }).getPassphrase()).toBe('from-env');
  });
});
