import { AppError } from '../../../shared/errors/AppError';
import { PROCEDURES_CALL_NAMES } from '../../../shared/ipc/names/procedures';
import type { CoreHandlers } from '../api/CoreApi';
import type { CoreFeature, FeatureDeps } from '../feature';
import { createProcedureLibrary } from './library/libraryHandlers';

export type ProceduresCallName = (typeof PROCEDURES_CALL_NAMES)[number];

/** The procedures feature's slice of the contract. */
export function createProceduresFeature(deps: FeatureDeps): CoreFeature<ProceduresCallName> {
  const notYet = async (): Promise<never> => {
    throw new AppError('INTERNAL', 'procedure runs are not available in this build yet');
  };
  const library = createProcedureLibrary(deps);
  const handlers = {
    ...(Object.fromEntries(PROCEDURES_CALL_NAMES.map((name) => [name, notYet])) as unknown as Pick<
      CoreHandlers,
      ProceduresCallName
    >),
    ...library.handlers,
  };
  return {
    handlers,
    async close() {},
  };
}
