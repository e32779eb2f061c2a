import type { Said } from '../../../../shared/domain/said';
import { asMessage, said, say } from '../../../../shared/domain/words';
import type { CheckResult, HealthLevel } from '../../../../shared/domain/health';
import type { Thresholds } from '../../../../shared/domain/thresholds';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import { RUNBOOK } from '../runbook';
import {
  booleanField,
  describeCurlFailure,
  evidenceOfRequests,
  excerpt,
  numberField,
  parseJsonObject,
  payload,
  stringField,
  type ChainResult,
  type HttpOutcome,
  type HttpRequestSpec,
} from './apiCurl';
import { healthSampleSpecs, judgeHealthSamples, messageOf, parentCheck, type Finding } from './apiSamples';

/** The firmware's HTTP port in current code, and the one of the builds of early September 2025 (and the runbook). */
export const FIRMWARE_PORTS = [8080, 8081] as const;

/**
 * The ports worth asking for the firmware API: the profile's, and unless the technician set the profile by hand,
 * the other of 8080/8081, since the facts say both are in the field.
 */
export function firmwarePorts(profile: VehicleProfile): number[] {
  if (profile.variant === 'custom') {
    return [profile.firmwarePort];
  }
  return [...new Set([profile.firmwarePort, ...FIRMWARE_PORTS])];
}

/** The health samples; the state machine is asked by the firmware-state probe that safety.estop shares. */
export function firmwareSpecs(): HttpRequestSpec[] {
  return healthSampleSpecs('/health', 2);
}

const SAMPLES = 5;

/** A port "answers as the firmware" when its first reply is a JSON object; a frontend's HTML page does not count. */
export function answersAsFirmware(chain: ChainResult): boolean {
  const first = chain.outcomes[0];
  return (
    first?.ran === true &&
    first.answer.exitCode === 0 &&
    first.answer.status >= 200 &&
    first.answer.status < 300 &&
    parseJsonObject(first.answer.body) !== null
  );
}

/**
 * Which port to judge: the expected one when it answers as the firmware, else another that does, else the
 * expected one with whatever went wrong there. `expected` is the detected profile's port.
 */
export function choosePort(chains: readonly ChainResult[], expected: number): ChainResult | undefined {
  const ordered = [...chains].sort((a, b) => Number(b.port === expected) - Number(a.port === expected));
  return ordered.find(answersAsFirmware) ?? ordered[0];
}

/** How each other port fared, for the message: "refused on :8080". */
export function otherPortsNote(chains: readonly ChainResult[], chosen: ChainResult): Said | '' {
  const notes = chains
    .filter((c) => c !== chosen)
    .map((c): Said => {
      const first = c.outcomes[0];
      const port = c.port;
      if (!first?.ran) {
        return say('api.portNotAsked', { port });
      }
      if (first.answer.exitCode === 7) {
        return say('api.portRefuses', { port });
      }
      if (first.answer.exitCode === 28) {
        return say('api.portSilent', { port });
      }
      if (first.answer.exitCode !== 0) {
        return describeCurlFailure(first.answer);
      }
      return answersAsFirmware(c)
        ? say('api.portAnswersToo', { port })
        : say('api.portNotFirmware', { port, status: first.answer.status });
    });
  return notes.length > 0 ? say('api.others', { notes: { list: notes, by: '; ' } }) : '';
}

export function judgeFirmware(
  chains: readonly ChainResult[],
  expectedPort: number,
  thresholds: Thresholds,
  stateOf: (port: number) => HttpOutcome | undefined = () => undefined,
): CheckResult {
  const chosen = choosePort(chains, expectedPort);
  if (!chosen) {
    return { id: 'api.firmware', level: 'STALE', ...said('api.noPortAsked'), evidence: '' };
  }
  const health = judgeHealthSamples(
    'api.firmware.health',
    say('api.firmwareName'),
    chosen.port,
    chosen.outcomes.slice(0, SAMPLES),
    thresholds,
    judgeFirmwareHealthBody,
  );
  const moved = chosen.port !== expectedPort && answersAsFirmware(chosen);
  // The other port refusing is what a healthy vehicle shows; it is worth saying only when something is off.
  const message = health.check.say ?? { raw: health.check.message };
  const others = otherPortsNote(chains, chosen);
  const withNote = moved
    ? asMessage(say('api.movedPort', { message, port: chosen.port, expected: expectedPort, others }))
    : health.reachable || others === ''
      ? messageOf(health.check)
      : asMessage(say('api.withOthers', { message, others }));
  const healthCheck: CheckResult = {
    ...health.check,
    ...withNote,
    evidence: chains
      .map((c) => (c === chosen ? health.check.evidence : evidenceOfRequests(c.outcomes.slice(0, 1))))
      .join('\n'),
  };
  if (!health.reachable) {
    return parentCheck('api.firmware', healthCheck, [healthCheck]);
  }
  const state = judgeState(stateOf(chosen.port));
  const children = [healthCheck, ...(state ? [state] : [])];
  return parentCheck('api.firmware', healthCheck, children);
}

function judgeFirmwareHealthBody(answer: { body: string }): Finding {
  const json = parseJsonObject(answer.body);
  if (!json) {
    return { level: 'STALE', text: say('api.healthNotJson', { body: { raw: excerpt(answer.body) } }) };
  }
  const status = stringField(json, 'status');
  const data = payload(json);
  const state = stringField(data, 'system_state');
  const version = stringField(data, 'version');
  const extra = [
    ...(state ? [say('api.stateIs', { state })] : []),
    ...(version ? [say('api.versionIs', { version: { raw: version } })] : []),
  ];
  const suffix = extra.length > 0 ? say('api.stateAndVersion', { facts: { list: extra } }) : '';
  if (status === null && json.success !== true) {
    return { level: 'STALE', text: say('api.healthNoStatus', { suffix }) };
  }
  if (status === null || /^(healthy|ok)$/i.test(status)) {
    return { level: 'OK', text: say('api.firmwareHealthy', { status: status ?? 'success', suffix }) };
  }
  return {
    level: 'WARN',
    text: say('api.reportsStatus', { status: { raw: status }, suffix }),
    runbook: RUNBOOK.apiNotResponding,
  };
}

const RUNNING_STATES = new Set(['IDLE', 'MOVE', 'DOCK', 'PAUSED', 'CONFIG', 'SAFE']);

function duration(ms: number | null): Said | '' {
  if (ms === null || ms < 0) {
    return '';
  }
  const s = Math.floor(ms / 1000);
  if (s < 120) {
    return say('api.forSeconds', { s });
  }
  const min = Math.floor(s / 60);
  return min < 120 ? say('api.forMinutes', { min }) : say('api.forHours', { h: Math.floor(min / 60), min: min % 60 });
}

/** The firmware's own state machine (/api/v1/system/state), as the facts describe it. */
function judgeState(outcome: HttpOutcome | undefined): CheckResult | null {
  const id = 'api.firmware.state';
  if (!outcome?.ran || outcome.answer.exitCode !== 0) {
    return null;
  }
  const answer = outcome.answer;
  const evidence = evidenceOfRequests([outcome]);
  const path = answer.spec.path;
  if (answer.status === 404) {
    return { id, level: 'OK', ...said('api.notOfferedPath', { path }), evidence };
  }
  if (answer.status >= 400) {
    return {
      id,
      level: answer.status >= 500 ? 'ERROR' : 'WARN',
      ...said('api.pathAnswered', {
        path,
        status: answer.status,
        body: answer.body.trim() ? say('api.quotedBody', { body: { raw: excerpt(answer.body) } }) : '',
      }),
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  const json = parseJsonObject(answer.body);
  if (!json) {
    return { id, level: 'STALE', ...said('api.pathNotJson', { path, body: { raw: excerpt(answer.body) } }), evidence };
  }
  const data = payload(json);
  const current = stringField(data, 'current_state')?.toUpperCase() ?? null;
  if (current === null) {
    return { id, level: 'STALE', ...said('api.noCurrentState', { path }), evidence };
  }
  const fault = stringField(data, 'current_fault');
  const faultText = fault && fault.toUpperCase() !== 'NONE' ? say('api.fault', { fault }) : '';
  const since = duration(numberField(data, 'state_duration_ms'));
  const flags = (['safety_ok', 'communication_ok', 'sensors_ok', 'location_ok'] as const).filter(
    (flag) => booleanField(data, flag) === false,
  );
  let level: HealthLevel = 'OK';
  let runbook: string | undefined;
  let why: Said | '' = '';
  if (current === 'ESTOP') {
    level = 'ERROR';
    runbook = RUNBOOK.estop;
    why = say('api.whyEstop');
  } else if (current === 'FAULT' || current === 'SHUTDOWN') {
    level = 'ERROR';
    runbook = fault && /COMM/i.test(fault) ? RUNBOOK.communication : RUNBOOK.systemDown;
  } else if (current === 'BOOT' || current === 'INIT') {
    level = 'WARN';
    why = say('api.whyStarting');
    runbook = RUNBOOK.serviceWontStart;
  } else if (!RUNNING_STATES.has(current)) {
    level = 'WARN';
    why = say('api.whyUnknownState');
  }
  if (level === 'OK' && (flags.includes('safety_ok') || flags.includes('communication_ok'))) {
    level = 'WARN';
    runbook = flags.includes('communication_ok') ? RUNBOOK.communication : RUNBOOK.estop;
  }
  const flagText = flags.length > 0 ? say('api.falseFlags', { flags: flags.join(', ') }) : '';
  return {
    id,
    level,
    ...said('api.firmwareState', { state: current, since, fault: faultText, why, flags: flagText }),
    evidence,
    runbook,
  };
}
