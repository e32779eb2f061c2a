import type { CheckResult } from '../../../../shared/domain/health';
import { said, say } from '../../../../shared/domain/words';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import type { ProbeOutput } from '../../transport/batch';
import type { CheckModule, SweepContext } from '../checkModule';
import { detectProfile, NEWER_FIRMWARE_SERVICE, RUNBOOK_FIRMWARE_SERVICE } from '../profileDetection';
import { judgeService } from '../serviceChecks';
import { parseSystemctlShow, systemctlShowCommand, type UnitProperties } from '../systemdShow';

const SHOW = 'services.show';

/** The services a sweep asks about: the profile's, and both firmware unit names so the build can be detected. */
function candidates(profile: VehicleProfile): string[] {
  return [
    ...new Set([profile.backendService, profile.firmwareService, RUNBOOK_FIRMWARE_SERVICE, NEWER_FIRMWARE_SERVICE]),
  ];
}

function blocksByName(profile: VehicleProfile, output: ProbeOutput | undefined): Map<string, UnitProperties> | null {
  const names = candidates(profile);
  if (!output || output.truncated) {
    return null;
  }
  const blocks = parseSystemctlShow(output.stdout);
  if (blocks.length !== names.length) {
    return null;
  }
  return new Map(names.map((name, i) => [name, blocks[i] ?? {}]));
}

/** Learns the vehicle's build from the services answer; the unit's profile as it was when nothing can be read. */
export function detectFromOutputs(profile: VehicleProfile, outputs: ReadonlyMap<string, ProbeOutput>): VehicleProfile {
  const blocks = blocksByName(profile, outputs.get(SHOW));
  if (!blocks) {
    return profile;
  }
  return detectProfile(profile, {
    runbookFirmware: blocks.get(RUNBOOK_FIRMWARE_SERVICE),
    newerFirmware: blocks.get(NEWER_FIRMWARE_SERVICE),
  });
}

export const servicesModule: CheckModule = {
  name: 'services',
  checkIds: ['services.backend', 'services.firmware'],
  probes: ({ unit }) => [{ key: SHOW, command: systemctlShowCommand(candidates(unit.profile)), timeoutS: 5 }],
  judge(context: SweepContext, outputs): CheckResult[] {
    // Probes were built from the unit's stored profile; the detected one may name the firmware differently.
    const asked = context.unit.profile;
    const command = systemctlShowCommand(candidates(asked));
    const output = outputs.get(SHOW);
    const blocks = blocksByName(asked, output);
    if (!blocks) {
      const reason = say(!output || output.truncated ? 'probe.cutOff' : 'probe.didNotParse');
      const evidence = `$ ${command}\n${output?.stdout ?? ''}`;
      return ['services.backend', 'services.firmware'].map((id) => ({
        id,
        level: 'STALE' as const,
        ...said('services.stale', { reason }),
        evidence,
      }));
    }
    const { backendService, firmwareService } = context.profile;
    return [
      judgeService('services.backend', backendService, blocks.get(backendService), command),
      judgeService('services.firmware', firmwareService, blocks.get(firmwareService), command),
    ];
  },
};
