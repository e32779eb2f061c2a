import { basename } from 'node:path';

import { BugError } from '../../../shared/errors/AppError';
import type { PROCEDURES_CALL_NAMES } from '../../../shared/ipc/names/procedures';
import type { CoreFeature, FeatureDeps } from '../feature';
import { backupUnitOperation } from './operations/backupOperation';
import { restoreHandOverOperation } from './operations/restoreOperation';
import { rs485ScanOperation } from './operations/rs485ScanOperation';
import { createProcedureLibrary } from './library/libraryHandlers';
import { createRunFeature } from './runner/runFeature';

export type ProceduresCallName = (typeof PROCEDURES_CALL_NAMES)[number];

/**
 * The procedures feature's slice of the contract: the library (procedures as data) and the run engine. A run's
 * backup.unit step is the backup feature's own backup.run call, made as the technician of the run.
 */
export function createProceduresFeature(deps: FeatureDeps): CoreFeature<ProceduresCallName> {
  const runBackup = deps.calls.handler('backup.run');
  const backupUnit = backupUnitOperation(async (unit, actor) => {
    const { results } = await runBackup(
      { names: [unit], concurrency: 1, database: 'online', confirmServiceStop: false, full: false },
      { face: deps.face, actor },
    );
    const result = results[0];
    if (!result) {
      throw new BugError(`backup.run answered no result for ${unit}`);
    }
    return result;
  });
  const onOwnAccount = () => ({ face: deps.face, actor: deps.actor() });
  const library = createProcedureLibrary(deps);
  const runs = createRunFeature(deps, {
    procedures: {
      get: async (id, version) => {
        const entry = await library.library.get(id, version);
        return {
          procedure: entry.procedure,
          origin: {
            source: entry.source,
            file: basename(entry.path),
            supersedesShipped: entry.shipped?.procedure.version ?? null,
          },
        };
      },
    },
    delegates: {
      'backup.unit': backupUnit,
      // A procedure's restore is the restore wizard's, with its dry run: the step keeps that restore as evidence.
      'restore.unit': restoreHandOverOperation({
        latestBackupAt: async (unit) => {
          const backups = await deps.calls.handler('backup.list')({ kind: 'backup', unit }, onOwnAccount());
          return (
            backups
              .map((b) => b.completedAt)
              .sort()
              .at(-1) ?? null
          );
        },
        latestRestore: (unit) => deps.lent.get('restoreRecords').latestRestore(unit),
      }),
      // The bus scan of the procedures is the Bus page's, on the adapter the technician opened there.
      'rs485.scan': rs485ScanOperation({
        buses: () => deps.calls.handler('rs485.buses')({}, onOwnAccount()),
        scan: (busId, from, to) =>
          deps.calls.handler('rs485.scan')({ busId, from, to, thorough: false }, onOwnAccount()),
      }),
    },
  });
  return {
    handlers: { ...library.handlers, ...runs.handlers },
    async close() {
      await runs.close();
    },
  };
}
