import { AppError } from '../../../shared/errors/AppError';
import type { BACKUP_CALL_NAMES } from '../../../shared/ipc/names/backup';
import type { CoreFeature, FeatureDeps } from '../feature';
import { ParamsBackupStore } from '../rs485/paramsBackup';
import { keyProviderFromEnv, lazyBackupStore } from './backupStoreFor';
import { BackupService } from './BackupService';
import { backupFileAccess } from './fileCopies';
import { loadBackupProfile, saveBackupProfile } from './profile/backupProfiles';
import { BackupLocations } from './replica/backupLocations';
import { ReplicaService } from './replica/ReplicaService';
import { createRestoreHandlers } from './restore/restoreHandlers';
import { latestRestore } from './restore/latestRestore';

export type BackupCallName = (typeof BACKUP_CALL_NAMES)[number];

/** The backup feature's slice of the contract, and single files of the store for the features that need them. */
export function createBackupFeature(deps: FeatureDeps): CoreFeature<BackupCallName> {
  const store = lazyBackupStore({
    dataDir: deps.dataDir,
    clock: deps.clock,
    logger: deps.logger,
    keyProvider: deps.keyProvider ?? keyProviderFromEnv(deps.env),
  });
  const service = new BackupService({
    dataDir: deps.dataDir,
    history: deps.history,
    units: deps.units,
    connector: deps.connector,
    events: deps.events,
    clock: deps.clock,
    logger: deps.logger.child({ subsystem: 'backup' }),
    resourcesDir: deps.layout.resourcesDir,
    store: () => store.get(),
    params: new ParamsBackupStore(deps.db, deps.clock),
  });
  const locations = new BackupLocations(deps.db, deps.clock);
  const replicas = new ReplicaService({
    history: deps.history,
    settings: deps.settings,
    logger: deps.logger.child({ subsystem: 'backup-replica' }),
    store: () => store.get(),
    locations,
  });
  /** A registered unit, or a unit or backup id this store holds (listing needs no key). */
  const knownHere = async (selector: string): Promise<boolean> => {
    if (deps.units.list().some((unit) => unit.name === selector)) {
      return true;
    }
    const held = await service.list(undefined, 'all');
    return held.some((backup) => backup.id === selector || backup.unit === selector);
  };
  return {
    lends: {
      backupFiles: backupFileAccess(() => store.get()),
      restoreRecords: { latestRestore: (unit) => latestRestore(deps.db, unit) },
    },
    handlers: {
      'backup.run': async (input, context) => service.run(input, context.actor),
      'backup.retryFailed': async (input, context) => service.retryFailed(input.runId, context.actor),
      // A removed unit's backups stay listed by its name, as its history does.
      'backup.list': async (input) => service.list(input.unit, input.kind),
      'backup.get': async (input) => service.get(input.backupId),
      'backup.verify': async (input, context) => service.verify(input.backupId, input.sample, context.actor),
      'backup.prune': async (input, context) => service.prune(input, context.actor),
      'backup.check': async (input, context) => service.check(input.readData, context.actor),
      'backup.stats': async () => service.stats(),
      'backup.push': async (input, context) => replicas.push(input, input.unit, context.actor),
      'backup.pull': async (input, context) => replicas.pull(input, input.selector, context.actor),
      'backup.checkAt': async (input, context) => replicas.check(input, input.readData, context.actor),
      'backup.where': async (input) => {
        const found = locations.view(input.selector);
        if (found.length === 0 && !(await knownHere(input.selector))) {
          // A typo must not read as "nothing recorded yet".
          throw new AppError('NOT_FOUND', `no unit or backup ${input.selector} is known here`, {
            details: { selector: input.selector },
          });
        }
        return { selector: input.selector, locations: found };
      },
      'backup.replicaSettings': async () => replicas.settings(),
      'backup.setTarget': async (input, context) => replicas.setDefault(input.target, input.keyPath, context.actor),
      'backup.trustTarget': async (input, context) => replicas.trust(input.target, input.fingerprint, context.actor),
      ...profileHandlers(deps),
      ...createRestoreHandlers(deps, { store: () => store.get() }),
    },
    async close() {
      await store.close();
    },
  };
}

/** The backup profile of the fleet or of one unit: read, and changed with an audit entry. */
function profileHandlers(deps: FeatureDeps): CoreFeature<'backup.profile' | 'backup.setProfile'>['handlers'] {
  return {
    'backup.profile': async (input) => {
      if (input.unit !== undefined) {
        deps.units.require(input.unit);
      }
      return loadBackupProfile(deps.dataDir, input.unit, deps.layout.resourcesDir);
    },
    'backup.setProfile': async (input, context) => {
      if (input.unit !== undefined) {
        deps.units.require(input.unit);
      }
      const view = await saveBackupProfile(deps.dataDir, input.unit, input.profile, deps.layout.resourcesDir);
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
  };
}
