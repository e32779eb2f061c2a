import type { Said } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
import type { CheckResult } from '../../../../shared/domain/health';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import type { Probe, ProbeOutput } from '../../transport/batch';
import { evidenceOf, unusable, type CheckModule, type SweepContext } from '../checkModule';
import { judgeBackend, backendSpecs } from './apiBackend';
import { chainTimeoutS, curlChain, curlMissing, parseChain, type ChainResult, type HttpRequestSpec } from './apiCurl';
import { answersAsFirmware, firmwarePorts, firmwareSpecs, judgeFirmware } from './apiFirmware';
import { firmwareStateKey, firmwareStateOutcome, firmwareStateProbe } from './firmwareState';

const BACKEND_KEY = 'api.backend';
const firmwareKey = (port: number): string => `api.firmware.${port}`;

/** Health samples time the API: they run once the sweep's other probes are done, not while they load it. */
function chainProbe(key: string, port: number, specs: readonly HttpRequestSpec[]): Probe {
  return { key, command: curlChain(port, specs), timeoutS: chainTimeoutS(specs), needsQuiet: true };
}

/** The probes of the api checks, built from the profile the unit had when the sweep started. */
function apiProbes(profile: VehicleProfile): Probe[] {
  return [
    chainProbe(BACKEND_KEY, profile.backendPort, backendSpecs()),
    ...firmwarePorts(profile).map((port) => chainProbe(firmwareKey(port), port, firmwareSpecs())),
    ...firmwarePorts(profile).map(firmwareStateProbe),
  ];
}

type Read = { chain: ChainResult } | { stale: Said; evidence: string };

/** A probe's output as a chain of answers, or why it cannot be judged (cut off, timed out, no curl). */
export function readChain(probe: Probe, port: number, specs: readonly HttpRequestSpec[], output?: ProbeOutput): Read {
  const reason = unusable(output);
  if (reason !== null || !output) {
    return { stale: reason ?? say('probe.noAnswer'), evidence: evidenceOf(probe, output) };
  }
  const chain = parseChain(port, specs, output.stdout);
  if (curlMissing(chain, output.stdout)) {
    return {
      stale: say('curl.missing'),
      evidence: evidenceOf(probe, output),
    };
  }
  if (chain.lastExit === null && chain.outcomes.every((o) => !o.ran)) {
    return { stale: say('curl.didNotParse'), evidence: evidenceOf(probe, output) };
  }
  return { chain };
}

function staleCheck(id: string, what: Said, read: { stale: Said; evidence: string }): CheckResult {
  return { id, level: 'STALE', ...said('api.stale', { what, reason: read.stale }), evidence: read.evidence };
}

/**
 * Learns the firmware's port from the api answers: when the profile's port does not answer as the firmware and
 * exactly one other candidate does, that one. A custom profile is the technician's word and is never changed.
 */
export function detectFirmwarePort(profile: VehicleProfile, outputs: ReadonlyMap<string, ProbeOutput>): VehicleProfile {
  if (profile.variant === 'custom') {
    return profile;
  }
  const answering = firmwarePorts(profile).filter((port) => {
    const output = outputs.get(firmwareKey(port));
    return (
      output !== undefined &&
      unusable(output) === null &&
      answersAsFirmware(parseChain(port, firmwareSpecs(), output.stdout))
    );
  });
  if (answering.includes(profile.firmwarePort) || answering.length !== 1 || answering[0] === undefined) {
    return profile;
  }
  return { ...profile, firmwarePort: answering[0], detected: true };
}

/**
 * `api.backend` and `api.firmware`: the vehicle's HTTP APIs asked from the vehicle itself with curl, as the
 * runbook's System Down and API Endpoints Not Responding sections do.
 */
export const apiModule: CheckModule = {
  name: 'api',
  checkIds: ['api.backend', 'api.firmware'],
  probes: ({ unit }) => apiProbes(unit.profile),
  judge(context: SweepContext, outputs): CheckResult[] {
    // Probes were built from the unit's stored profile; the detected one may expect the firmware elsewhere.
    const asked = context.unit.profile;
    const backendProbe = chainProbe(BACKEND_KEY, asked.backendPort, backendSpecs());
    const backendRead = readChain(backendProbe, asked.backendPort, backendSpecs(), outputs.get(BACKEND_KEY));
    const backend =
      'chain' in backendRead
        ? judgeBackend(backendRead.chain, context.thresholds)
        : staleCheck('api.backend', say('api.backendOn', { port: asked.backendPort }), backendRead);

    const reads = firmwarePorts(asked).map((port) => {
      const probe = chainProbe(firmwareKey(port), port, firmwareSpecs());
      return readChain(probe, port, firmwareSpecs(), outputs.get(firmwareKey(port)));
    });
    const chains = reads.flatMap((r) => ('chain' in r ? [r.chain] : []));
    const stale = reads.find((r): r is { stale: Said; evidence: string } => 'stale' in r);
    const firmware =
      chains.length === 0 && stale
        ? staleCheck('api.firmware', say('api.firmwareApi'), stale)
        : // Judged against the port the stored profile names, so a port learned in this sweep is still reported once.
          judgeFirmware(chains, asked.firmwarePort, context.thresholds, (port) =>
            firmwareStateOutcome(port, outputs.get(firmwareStateKey(port))),
          );
    return [backend, firmware];
  },
};
