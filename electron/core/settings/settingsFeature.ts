import type { SETTINGS_CALL_NAMES } from '../../../shared/ipc/names/settings';
import type { CoreFeature, FeatureDeps } from '../feature';

export type SettingsCallName = (typeof SETTINGS_CALL_NAMES)[number];

/** The settings' slice of the contract: the health thresholds. */
export function createSettingsFeature(deps: FeatureDeps): CoreFeature<SettingsCallName> {
  const { settings } = deps;
  return {
    handlers: {
      'settings.get': async () => ({ thresholds: settings.getThresholds() }),
      'settings.setThresholds': async (input, context) => ({
        thresholds: settings.setThresholds(input.thresholds, context.actor),
      }),
    },
    async close() {},
  };
}
