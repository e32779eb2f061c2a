import { join } from 'node:path';

import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { BackupStore } from './store/BackupStore';
import type { KeyProvider } from '../ports/KeyProvider';
import { envKeyProvider, fileKeyProvider } from './store/keyProviders';
import { openBackupStore } from './store/openBackupStore';

/** The store folder inside the data folder, shared by every unit. */
export function backupStoreDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/**
 * Where the passphrase for secret files comes from in the core: a file named by OHTW_PASSPHRASE_FILE (the CLI's
 * --passphrase-file sets it), else OHTW_PASSPHRASE.
 */
export function keyProviderFromEnv(env: Record<string, string | undefined>): KeyProvider {
  const file = env.OHTW_PASSPHRASE_FILE;
  return file !== undefined && file !== '' ? fileKeyProvider(file) : envKeyProvider(env);
}

/** Opens the store on first use and hands out the same one afterwards; a failed open is tried again next time. */
export function lazyBackupStore(options: { dataDir: string; clock: Clock; logger: Logger; keyProvider: KeyProvider }): {
  get(): Promise<BackupStore>;
  close(): Promise<void>;
} {
  let opening: Promise<BackupStore> | undefined;
  return {
    get() {
      opening ??= openBackupStore({
        dir: backupStoreDir(options.dataDir),
        clock: options.clock,
        logger: options.logger.child({ subsystem: 'backup-store' }),
        keyProvider: options.keyProvider,
      }).catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
      return opening;
    },
    async close() {
      const store = await opening?.catch(() => undefined);
      opening = undefined;
      await store?.close();
    },
  };
}
