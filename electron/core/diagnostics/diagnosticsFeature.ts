import type { DIAGNOSTICS_CALL_NAMES } from '../../../shared/ipc/names/diagnostics';
import type { CoreFeature, FeatureDeps } from '../feature';
import { diagnosisChanges } from './changes';

export type DiagnosticsCallName = (typeof DIAGNOSTICS_CALL_NAMES)[number];

/** The diagnostics' slice of the contract, over the diagnostics service other features share (restore, procedures). */
export function createDiagnosticsFeature(deps: FeatureDeps): CoreFeature<DiagnosticsCallName> {
  const { diagnostics, history } = deps;
  return {
    handlers: {
      'diagnostics.run': async (input, context) => diagnostics.run(input.names, input.parallel, context.actor),
      'diagnostics.get': async (input) => diagnostics.get(input.runId),
      'diagnostics.changes': async (input) => diagnosisChanges(history, input.name, input.runId),
    },
    async close() {},
  };
}
