import type { APP_CALL_NAMES } from '../../../shared/ipc/names/app';
import type { CoreFeature, FeatureDeps } from '../feature';

export type AppCallName = (typeof APP_CALL_NAMES)[number];

/** The application's slice of the contract: its version, its data folder and the face asking. */
export function createAppFeature(deps: FeatureDeps): CoreFeature<AppCallName> {
  return {
    handlers: {
      'app.info': async (_input, context) => ({
        version: deps.layout.version,
        dataDir: deps.dataDir,
        face: context.face,
      }),
    },
    async close() {},
  };
}
