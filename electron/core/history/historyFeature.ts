import type { HISTORY_CALL_NAMES } from '../../../shared/ipc/names/history';
import type { CoreFeature, FeatureDeps } from '../feature';

export type HistoryCallName = (typeof HISTORY_CALL_NAMES)[number];

/** The history's slice of the contract: a unit's entries. The core closes the history itself, after every feature. */
export function createHistoryFeature(deps: FeatureDeps): CoreFeature<HistoryCallName> {
  const { history } = deps;
  return {
    handlers: {
      'history.list': async (input) => history.history(input.name, input.limit),
    },
    async close() {},
  };
}
