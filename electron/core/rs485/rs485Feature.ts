import type { RS485_CALL_NAMES } from '../../../shared/ipc/names/rs485';
import type { CoreFeature, FeatureDeps } from '../feature';

export type Rs485CallName = (typeof RS485_CALL_NAMES)[number];

/** The rs485 feature's slice of the contract. */
export function createRs485Feature(_deps: FeatureDeps): CoreFeature<Rs485CallName> {
  return {
    handlers: {},
    async close() {},
  };
}
