import { AppError } from '../../../shared/errors/AppError';
import type { BACKUP_CALL_NAMES } from '../../../shared/ipc/names/backup';
import type { CoreFeature, FeatureDeps } from '../feature';
import { loadBackupProfile, saveBackupProfile } from './profile/backupProfiles';
import { createRestoreHandlers } from './restore/restoreHandlers';

export type BackupCallName = (typeof BACKUP_CALL_NAMES)[number];

/** The backup feature's slice of the contract. */
export function createBackupFeature(deps: FeatureDeps): CoreFeature<BackupCallName> {
  // The local store lands separately; until it does, the calls that need it say so instead of pretending.
  const noStore = async (): Promise<never> => {
    throw new AppError('PRECONDITION_FAILED', 'the local backup store is not available in this build yet');
  };
  return {
    handlers: {
      'backup.run': noStore,
      'backup.retryFailed': noStore,
      'backup.list': noStore,
      'backup.get': noStore,
      'backup.verify': noStore,
      'backup.prune': noStore,
      'backup.stats': noStore,
      'backup.profile': async (input) => {
        if (input.unit !== undefined) {
          deps.units.require(input.unit);
        }
        return loadBackupProfile(deps.dataDir, input.unit);
      },
      'backup.setProfile': async (input, context) => {
        if (input.unit !== undefined) {
          deps.units.require(input.unit);
        }
        const view = await saveBackupProfile(deps.dataDir, input.unit, input.profile);
        deps.history.appendAudit({
          actor: context.actor,
          unit: input.unit ?? null,
          action: 'backup.profile',
          outcome: 'ok',
          details: {
            scope: input.unit === undefined ? 'fleet' : 'unit',
            profile: input.profile === null ? 'removed' : `${view.profile.id}@${view.profile.version}`,
          },
        });
        return view;
      },
      ...createRestoreHandlers(deps),
    },
    async close() {},
  };
}
