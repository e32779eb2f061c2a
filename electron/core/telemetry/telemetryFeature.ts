import type { TELEMETRY_CALL_NAMES } from '../../../shared/ipc/names/telemetry';
import type { CoreFeature, FeatureDeps } from '../feature';
import { TelemetryService } from './TelemetryService';

export type TelemetryCallName = (typeof TELEMETRY_CALL_NAMES)[number];

/** The telemetry's slice of the contract; its samplers stop when the core closes. */
export function createTelemetryFeature(deps: FeatureDeps): CoreFeature<TelemetryCallName> {
  const { db, history, connector, events, clock, logger, units } = deps;
  const telemetry = new TelemetryService({ db, history, connector, events, clock, logger });
  return {
    handlers: {
      'telemetry.start': async (input) => {
        units.require(input.name);
        return telemetry.start(input.name, input.intervalMs);
      },
      'telemetry.stop': async (input) => telemetry.stop(input.streamId),
      'telemetry.history': async (input) => telemetry.history(input.name, input.fromMs, input.toMs, input.maxPoints),
    },
    close: () => telemetry.close(),
  };
}
