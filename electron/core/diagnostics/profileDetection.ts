import type { VehicleProfile } from '../../../shared/domain/unit';
import type { UnitProperties } from './systemdShow';

/** The firmware unit of newer builds: `oht50.service` with its HTTP API on :8080 instead of :8081. */
export const NEWER_FIRMWARE_SERVICE = 'oht50';
export const RUNBOOK_FIRMWARE_SERVICE = 'oht50-firmware';

const isLoaded = (props: UnitProperties | undefined): boolean =>
  props !== undefined && props.LoadState !== undefined && props.LoadState !== 'not-found';

/**
 * Decides from what the vehicle actually has which service names and ports it uses.
 * A custom profile is the technician's word and is never changed.
 */
export function detectProfile(
  current: VehicleProfile,
  seen: { runbookFirmware: UnitProperties | undefined; newerFirmware: UnitProperties | undefined },
): VehicleProfile {
  if (current.variant === 'custom') {
    return current;
  }
  if (!isLoaded(seen.runbookFirmware) && isLoaded(seen.newerFirmware)) {
    return {
      ...current,
      variant: 'newer',
      firmwareService: NEWER_FIRMWARE_SERVICE,
      firmwarePort: 8080,
      detected: true,
    };
  }
  if (isLoaded(seen.runbookFirmware)) {
    return {
      ...current,
      variant: 'runbook',
      firmwareService: RUNBOOK_FIRMWARE_SERVICE,
      firmwarePort: 8081,
      detected: true,
    };
  }
  return current;
}
