import type { PROCEDURES_CALL_NAMES } from '../../../shared/ipc/names/procedures';
import type { CoreFeature, FeatureDeps } from '../feature';

export type ProceduresCallName = (typeof PROCEDURES_CALL_NAMES)[number];

/** The procedures feature's slice of the contract. */
export function createProceduresFeature(_deps: FeatureDeps): CoreFeature<ProceduresCallName> {
  return {
    handlers: {},
    async close() {},
  };
}
