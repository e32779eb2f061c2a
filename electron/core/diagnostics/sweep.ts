import type { CheckResult } from '../../../shared/domain/health';
import type { Unit, VehicleProfile } from '../../../shared/domain/unit';
import { buildBatchScript, newNonce, parseBatchOutput } from '../transport/batch';
import type { CommandChannel } from '../transport/transport';
import { detectProfile, NEWER_FIRMWARE_SERVICE, RUNBOOK_FIRMWARE_SERVICE } from './profileDetection';
import { judgeService } from './serviceChecks';
import { parseSystemctlShow, systemctlShowCommand } from './systemdShow';

export type SweepOutcome = { checks: CheckResult[]; profile: VehicleProfile };

/** Every probe of a sweep goes out as one script over one exec; this bounds the whole batch on the vehicle. */
const BATCH_TIMEOUT_MS = 20_000;

/**
 * One sweep of a unit over an open command channel. Services are asked about under both the runbook's and the
 * newer firmware unit names, so the first sweep also learns which build the vehicle runs.
 */
export async function sweepUnit(unit: Unit, channel: CommandChannel, signal?: AbortSignal): Promise<SweepOutcome> {
  const candidates = uniq([
    unit.profile.backendService,
    unit.profile.firmwareService,
    RUNBOOK_FIRMWARE_SERVICE,
    NEWER_FIRMWARE_SERVICE,
  ]);
  const servicesCommand = systemctlShowCommand(candidates);
  const probes = [{ key: 'services', command: servicesCommand, timeoutS: 5 }];
  const nonce = newNonce();
  const result = await channel.exec(buildBatchScript(probes, nonce), { timeoutMs: BATCH_TIMEOUT_MS, signal });
  const outputs = parseBatchOutput(
    result.stdout,
    nonce,
    probes.map((p) => p.key),
  );

  const servicesOut = outputs.get('services');
  const blocks = servicesOut && !servicesOut.truncated ? parseSystemctlShow(servicesOut.stdout) : [];
  const byName = new Map(candidates.map((name, i) => [name, blocks[i]]));
  const profile = detectProfile(unit.profile, {
    runbookFirmware: byName.get(RUNBOOK_FIRMWARE_SERVICE),
    newerFirmware: byName.get(NEWER_FIRMWARE_SERVICE),
  });

  let checks: CheckResult[];
  if (!servicesOut || servicesOut.truncated || blocks.length !== candidates.length) {
    const reason = !servicesOut || servicesOut.truncated ? 'the answer was cut off' : 'the answer did not parse';
    const evidence = `$ ${servicesCommand}\n${servicesOut?.stdout ?? ''}`;
    checks = [
      { id: 'services.backend', level: 'STALE', message: `services could not be judged: ${reason}`, evidence },
      { id: 'services.firmware', level: 'STALE', message: `services could not be judged: ${reason}`, evidence },
    ];
  } else {
    checks = [
      judgeService('services.backend', profile.backendService, byName.get(profile.backendService), servicesCommand),
      judgeService('services.firmware', profile.firmwareService, byName.get(profile.firmwareService), servicesCommand),
    ];
  }
  return { checks, profile };
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}
