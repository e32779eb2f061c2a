import { basename } from 'node:path';

import type { PROCEDURES_CALL_NAMES } from '../../../shared/ipc/names/procedures';
import type { CoreFeature, FeatureDeps } from '../feature';
import type { OperationDelegates } from './operations/registry';
import { createProcedureLibrary } from './library/libraryHandlers';
import { createRunFeature } from './runner/runFeature';

export type ProceduresCallName = (typeof PROCEDURES_CALL_NAMES)[number];

/** The procedures feature's slice of the contract: the library (procedures as data) and the run engine. */
export function createProceduresFeature(
  deps: FeatureDeps,
  options: { delegates?: OperationDelegates } = {},
): CoreFeature<ProceduresCallName> {
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
    ...(options.delegates ? { delegates: options.delegates } : {}),
  });
  return {
    handlers: { ...library.handlers, ...runs.handlers },
    async close() {
      await runs.close();
    },
  };
}
