import { AppError } from '../../../../shared/errors/AppError';
import type { CoreFeature, FeatureDeps } from '../../feature';

export type RestoreCallName = 'restore.plan' | 'restore.run';

/** The restore calls of the backup feature. The transaction itself is being built; until then both calls refuse. */
export function createRestoreHandlers(_deps: FeatureDeps): CoreFeature<RestoreCallName>['handlers'] {
  const notYet = async (): Promise<never> => {
    throw new AppError('PRECONDITION_FAILED', 'restore is not available in this build yet');
  };
  return { 'restore.plan': notYet, 'restore.run': notYet };
}
