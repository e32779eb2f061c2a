import type { UNITS_CALL_NAMES } from '../../../shared/ipc/names/units';
import type { CoreFeature, FeatureDeps } from '../feature';

export type UnitsCallName = (typeof UNITS_CALL_NAMES)[number];

/** The units' slice of the contract, over the unit service every feature shares. */
export function createUnitsFeature(deps: FeatureDeps): CoreFeature<UnitsCallName> {
  const { units } = deps;
  return {
    handlers: {
      'units.list': async () => units.list(),
      'units.add': async (input, context) => units.add(input, context.actor),
      'units.remove': async (input, context) => ({ removed: units.remove(input.name, context.actor) }),
      'units.probeHostKey': async (input) => units.probeHostKey(input.name),
      'units.trust': async (input, context) => units.trust(input.name, input.fingerprint, context.actor),
    },
    async close() {},
  };
}
