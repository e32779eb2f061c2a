import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import type { KeychainPort, KeyProvider } from '../../ports/KeyProvider';

/** The CLI's passphrase from an environment variable (`OHTW_PASSPHRASE` by default); null when unset or empty. */
export function envKeyProvider(
  env: Record<string, string | undefined> = process.env,
  name = 'OHTW_PASSPHRASE',
): KeyProvider {
  return {
    source: name,
    getPassphrase: () => Promise.resolve(env[name] ? (env[name] ?? null) : null),
  };
}

/** `--passphrase-file PATH`: the file's first line (a trailing newline is not part of the passphrase). */
export function fileKeyProvider(path: string): KeyProvider {
  return {
    source: `passphrase file ${path}`,
    async getPassphrase() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new AppError('PASSPHRASE_MISSING', `Cannot read the passphrase file ${path}`, {
          details: { path },
          cause: error,
        });
      }
      const line = text.split(/\r?\n/)[0] ?? '';
      if (line === '') {
        throw new AppError('PASSPHRASE_MISSING', `The passphrase file ${path} is empty`, { details: { path } });
      }
      return line;
    },
  };
}

/**
 * The desktop app's provider: the passphrase lives in the OS keychain (Electron safeStorage fills the port). When the
 * store has no key yet, a random passphrase is minted and saved there.
 */
export function keychainKeyProvider(port: KeychainPort): KeyProvider {
  return {
    source: 'OS keychain',
    getPassphrase: () => port.load(),
    async createPassphrase() {
      const passphrase = randomBytes(32).toString('base64url');
      await port.save(passphrase);
      return passphrase;
    },
  };
}

/** A fixed passphrase (tests, or a caller that already holds one); null means "none configured". */
export function staticKeyProvider(passphrase: string | null, source = 'given passphrase'): KeyProvider {
  return { source, getPassphrase: () => Promise.resolve(passphrase) };
}

/** The CLI's choice: `--passphrase-file` wins over `OHTW_PASSPHRASE`. */
export function cliKeyProvider(
  passphraseFile: string | undefined,
  env: Record<string, string | undefined> = process.env,
): KeyProvider {
  return passphraseFile === undefined ? envKeyProvider(env) : fileKeyProvider(passphraseFile);
}
