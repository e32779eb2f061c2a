import { basename } from 'node:path';

import { BugError } from '../../../shared/errors/AppError';
import type { PROCEDURES_CALL_NAMES } from '../../../shared/ipc/names/procedures';
import type { CoreFeature, FeatureDeps } from '../feature';
import { backupUnitOperation } from './operations/backupOperation';
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
    delegates: { 'backup.unit': backupUnit },
  });
  return {
    handlers: { ...library.handlers, ...runs.handlers },
    async close() {
      await runs.close();
    },
  };
}
