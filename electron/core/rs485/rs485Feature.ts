import { AppError } from '../../../shared/errors/AppError';
import { RS485_CALL_NAMES } from '../../../shared/ipc/names/rs485';
import type { CoreHandlers } from '../api/CoreApi';
import type { CoreFeature, FeatureDeps } from '../feature';

export type Rs485CallName = (typeof RS485_CALL_NAMES)[number];

/** The rs485 feature's slice of the contract. */
export function createRs485Feature(_deps: FeatureDeps): CoreFeature<Rs485CallName> {
  const notYet = async (): Promise<never> => {
    throw new AppError('INTERNAL', 'not yet');
  };
  const handlers = Object.fromEntries(RS485_CALL_NAMES.map((name) => [name, notYet])) as unknown as Pick<
    CoreHandlers,
    Rs485CallName
  >;
  return {
    handlers,
    async close() {},
  };
}
