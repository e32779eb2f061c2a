import { join } from 'node:path';

import { AppError } from '../../../../shared/errors/AppError';
import type { CoreFeature, FeatureDeps } from '../../feature';
import { loadBackupProfile } from '../profile/backupProfiles';
import type { BackupStore } from '../store/BackupStore';
import { RestoreService } from './RestoreService';
import { restoreToFolder } from './restoreToFolder';

export type RestoreCallName = 'restore.plan' | 'restore.run' | 'restore.toFolder';

export type RestoreHandlerOptions = {
  /** The feature's local store, opened once and shared with the backup calls. */
  store?: () => Promise<BackupStore>;
  /** Milliseconds the restarted services get before the health gate asks whether they are active (5000). */
  settleMs?: number;
};

/** The restore calls of the backup feature. */
export function createRestoreHandlers(
  deps: FeatureDeps,
  options: RestoreHandlerOptions = {},
): CoreFeature<RestoreCallName>['handlers'] {
  const store =
    options.store ??
    (async (): Promise<BackupStore> => {
      throw new AppError('PRECONDITION_FAILED', 'the local backup store is not available in this build yet');
    });
  const settleVar = deps.env.OHTW_RESTORE_SETTLE_MS;
  const settle = settleVar === undefined || settleVar.trim() === '' ? Number.NaN : Number(settleVar);
  const service = new RestoreService({
    db: deps.db,
    history: deps.history,
    connector: deps.connector,
    diagnostics: deps.diagnostics,
    events: deps.events,
    clock: deps.clock,
    logger: deps.logger.child({ subsystem: 'restore' }),
    store,
    profileFor: async (unit) => (await loadBackupProfile(deps.dataDir, unit, deps.layout.resourcesDir)).profile,
    settleMs: options.settleMs ?? (Number.isFinite(settle) && settle >= 0 ? settle : 5000),
  });
  return {
    'restore.plan': async (input) => {
      deps.units.require(input.name);
      return service.plan(input);
    },
    'restore.run': async (input, context) => {
      deps.units.require(input.name);
      return service.run(input, context.actor);
    },
    'restore.toFolder': async (input, context) => {
      const dir = input.dir ?? join(deps.dataDir, 'copies', input.backupId);
      const result = await restoreToFolder(await store(), {
        backupId: input.backupId,
        dir,
        asRoot: process.getuid?.() === 0,
      });
      deps.history.appendAudit({
        actor: context.actor,
        unit: result.unit,
        action: 'backup.restoreToFolder',
        outcome: result.problems.length === 0 ? 'ok' : 'failed',
        details: { backupId: result.backupId, dir: result.dir, files: result.files, problems: result.problems.length },
      });
      return result;
    },
  };
}
