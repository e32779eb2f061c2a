import type { BACKUP_CALL_NAMES } from '../../../shared/ipc/names/backup';
import type { CoreFeature, FeatureDeps } from '../feature';
import { createRestoreHandlers } from './restore/restoreHandlers';

export type BackupCallName = (typeof BACKUP_CALL_NAMES)[number];

/** The backup feature's slice of the contract. */
export function createBackupFeature(deps: FeatureDeps): CoreFeature<BackupCallName> {
  return {
    handlers: { ...createRestoreHandlers(deps) },
    async close() {},
  };
}
