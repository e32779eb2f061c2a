import type { Said } from '../../../../shared/domain/said';
import { said, say, sayIn, type WordKey } from '../../../../shared/domain/words';
import type { CheckResult } from '../../../../shared/domain/health';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import type { Probe, ProbeOutput } from '../../transport/batch';
import { shellQuote } from '../../transport/transport';
import { evidenceOf, firstLine, unusable, type CheckModule, type SweepContext } from '../checkModule';
import { RUNBOOK } from '../runbook';
import { firmwareStateAsCurl, firmwareStateKey, firmwareStateProbe } from './firmwareState';

/**
 * safety.estop: the hardware E-Stop input and the firmware's state machine, and whether they agree.
 *
 * The input is gpio59, active-low: "0" means pressed. The firmware's state comes from /api/v1/system/state (the real
 * state machine); /api/v1/safety/status on the firmware is a hard-coded stub that always says "safe", so it is not
 * asked. Nothing here resets anything: a latched E-Stop is reported for a technician to reset once it is safe.
 */

const ID = 'safety.estop';
const PIN = 'safety.pin';
/** Firmware HTTP ports of the two builds, both asked until the vehicle's build is known. */
const FIRMWARE_PORTS = [8081, 8080];

/** The state machine's states in enum order (system_state_machine.h), for builds that report the number. */
const STATES = ['INIT', 'IDLE', 'MOVE', 'DOCK', 'FAULT', 'ESTOP', 'SHUTDOWN', 'BOOT', 'PAUSED', 'CONFIG', 'SAFE'];

export const pinCommand = (profile: VehicleProfile): string => `cat ${shellQuote(profile.estopGpioPath)}`;
export const stateCommand = (port: number): string => `curl -sS -m 2 http://127.0.0.1:${port}/api/v1/system/state`;

function portsOf(profile: VehicleProfile): number[] {
  if (profile.detected || profile.variant === 'custom') {
    return [profile.firmwarePort];
  }
  return [...new Set([profile.firmwarePort, ...FIRMWARE_PORTS])];
}

/** `reason` is the English (as the restore's records keep it); `why` the same in words for every language. */
export type PinReading = { kind: 'pressed' | 'released' } | { kind: 'unknown'; reason: string; why?: Said };

export function readPin(output: ProbeOutput | undefined, path: string): PinReading {
  const problem = unusable(output);
  if (problem !== null || !output) {
    return unknownBecause(problem ?? say('probe.noAnswer'));
  }
  const text = output.stdout.trim();
  if (output.exitCode !== 0) {
    const line = firstLine(text);
    const why = /No such file/.test(text)
      ? say('estop.noFile', { path })
      : /Permission denied/.test(text)
        ? say('estop.notReadable', { path })
        : line
          ? say('probe.commandFailed', { tool: { raw: line }, exit: output.exitCode ?? '?' })
          : say('estop.catFailed', { exit: output.exitCode ?? '?' });
    return unknownBecause(why);
  }
  if (text === '0') {
    return { kind: 'pressed' };
  }
  if (text === '1') {
    return { kind: 'released' };
  }
  return unknownBecause(say('estop.oddValue', { path, value: { raw: firstLine(text).slice(0, 40) } }));
}

export type FirmwareState =
  | { kind: 'known'; state: string; fault: string | null; lastEvent: string | null }
  | { kind: 'unknown'; reason: string; why?: Said };

const CURL_ERRORS: Record<number, WordKey> = {
  6: 'estop.curlResolve',
  7: 'estop.curlRefused',
  28: 'estop.curlTimeout',
  52: 'estop.curlEmpty',
  56: 'estop.curlBroke',
};

function unknownBecause(why: Said): { kind: 'unknown'; reason: string; why: Said } {
  return { kind: 'unknown', reason: sayIn(why, 'en'), why };
}

function stateName(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return STATES[value] ?? null;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    return value
      .trim()
      .toUpperCase()
      .replace(/^(SYSTEM_)?STATE_/, '');
  }
  return null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

export function readFirmwareState(output: ProbeOutput | undefined, port: number): FirmwareState {
  const problem = unusable(output);
  if (problem !== null || !output) {
    return unknownBecause(problem ?? say('probe.noAnswer'));
  }
  if (output.exitCode !== 0) {
    const known = CURL_ERRORS[output.exitCode ?? -1];
    const why = known ? say(known) : say('estop.curlFailed', { exit: output.exitCode ?? '?' });
    return unknownBecause(say('estop.at', { port, why }));
  }
  let body: unknown;
  try {
    body = JSON.parse(output.stdout);
  } catch {
    return unknownBecause(say('estop.notJson', { port, body: { raw: firstLine(output.stdout).slice(0, 60) } }));
  }
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).data : undefined;
  const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const state = stateName(fields.current_state);
  if (state === null) {
    return unknownBecause(say('estop.noCurrentState', { port }));
  }
  const fault = text(fields.current_fault);
  return {
    kind: 'known',
    state,
    fault: fault === null || /^(NONE|0)$/i.test(fault) ? null : fault,
    lastEvent: text(fields.last_event),
  };
}

function describeState(firmware: FirmwareState): Said {
  if (firmware.kind === 'unknown') {
    return say('estop.stateUnknown', { reason: firmware.why ?? { raw: firmware.reason } });
  }
  const fault = firmware.fault === null ? '' : say('estop.fault', { fault: firmware.fault });
  const event = firmware.lastEvent === null ? '' : say('estop.event', { event: firmware.lastEvent });
  return say('estop.stateKnown', { state: firmware.state, fault, event });
}

/** The combined verdict: the pin is the hardware truth, the firmware state says whether the stop is still latched. */
export function judgeEstop(
  pin: PinReading,
  firmware: FirmwareState,
  path: string,
): Omit<CheckResult, 'id' | 'evidence'> {
  const pinName = say('estop.pin', { path });
  const state = describeState(firmware);
  if (pin.kind === 'unknown') {
    return { level: 'STALE', ...said('estop.pinUnknown', { reason: pin.why ?? { raw: pin.reason }, state }) };
  }
  const firmwareState = firmware.kind === 'known' ? firmware.state : null;
  if (pin.kind === 'pressed') {
    if (firmwareState !== null && firmwareState !== 'ESTOP' && firmwareState !== 'FAULT') {
      return {
        level: 'ERROR',
        ...said('estop.pressedUnregistered', { pin: pinName, state }),
        runbook: RUNBOOK.estop,
      };
    }
    return {
      level: 'ERROR',
      ...said('estop.pressed', { pin: pinName, state }),
      runbook: RUNBOOK.estop,
    };
  }
  switch (firmwareState) {
    case null:
      return {
        level: 'WARN',
        ...said('estop.releasedUnknown', { pin: pinName, state }),
        runbook: RUNBOOK.estop,
      };
    case 'ESTOP':
      return {
        level: 'WARN',
        ...said('estop.latched', { pin: pinName, state }),
        runbook: RUNBOOK.estop,
      };
    case 'FAULT':
      return {
        level: 'ERROR',
        ...said('estop.releasedFault', { state }),
        runbook: RUNBOOK.estop,
      };
    case 'SHUTDOWN':
      return { level: 'WARN', ...said('estop.releasedShutdown', { state }), runbook: RUNBOOK.systemDown };
    default:
      return { level: 'OK', ...said('estop.released', { pin: pinName, state }) };
  }
}

function judge(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>): CheckResult[] {
  const asked = context.unit.profile;
  const port = context.profile.firmwarePort;
  const pinOutput = outputs.get(PIN);
  // The firmware-state probe the api check shares, read as the plain curl answer this check judges.
  const stateOutput = firmwareStateAsCurl(port, outputs.get(firmwareStateKey(port)));
  const pin = readPin(pinOutput, asked.estopGpioPath);
  const firmware: FirmwareState = portsOf(asked).includes(port)
    ? readFirmwareState(stateOutput, port)
    : unknownBecause(say('estop.portChanged', { port }));
  const evidence = [
    evidenceOf({ key: PIN, command: pinCommand(asked) }, pinOutput),
    ...portsOf(asked).map((p) => evidenceOf(firmwareStateProbe(p), outputs.get(firmwareStateKey(p)))),
  ].join('\n\n');
  return [{ id: ID, evidence, ...judgeEstop(pin, firmware, asked.estopGpioPath) }];
}

export const safetyModule: CheckModule = {
  name: 'safety',
  checkIds: [ID],
  probes: ({ unit }): Probe[] => [
    { key: PIN, command: pinCommand(unit.profile), timeoutS: 2 },
    ...portsOf(unit.profile).map(firmwareStateProbe),
  ],
  judge,
};
