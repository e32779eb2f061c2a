import type { CallOutput } from '../../../shared/ipc/contract';
import type { SESSION_CALL_NAMES } from '../../../shared/ipc/names/session';
import type { CoreFeature, FeatureDeps } from '../feature';

export type SessionCallName = (typeof SESSION_CALL_NAMES)[number];

/** The session's slice of the contract: the technician's name, and the store passphrase for this session. */
export function createSessionFeature(deps: FeatureDeps): CoreFeature<SessionCallName> {
  const sessionInfo = (): CallOutput<'session.get'> => ({
    technician: { name: deps.settings.getTechnician(), recordedAs: deps.actor() },
    passphrase: {
      needed: deps.passphraseMustBeAsked && deps.session.get() === null,
      entered: deps.session.isEntered(),
    },
  });
  return {
    handlers: {
      'session.get': async () => sessionInfo(),
      'session.setTechnician': async (input, context) => {
        deps.settings.setTechnician(input.name, context.actor);
        return sessionInfo();
      },
      'session.unlock': async (input) => {
        deps.session.set(input.passphrase);
        return sessionInfo();
      },
    },
    async close() {},
  };
}
