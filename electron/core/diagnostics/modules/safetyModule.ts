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

export type PinReading = { kind: 'pressed' | 'released' } | { kind: 'unknown'; reason: string };

export function readPin(output: ProbeOutput | undefined, path: string): PinReading {
  const problem = unusable(output);
  if (problem !== null || !output) {
    return { kind: 'unknown', reason: problem ?? 'no answer from the vehicle' };
  }
  const text = output.stdout.trim();
  if (output.exitCode !== 0) {
    const why = /No such file/.test(text)
      ? `${path} does not exist (is gpio59 exported?)`
      : /Permission denied/.test(text)
        ? `${path} is not readable by the login user`
        : firstLine(text) || `cat failed (exit ${output.exitCode ?? '?'})`;
    return { kind: 'unknown', reason: why };
  }
  if (text === '0') {
    return { kind: 'pressed' };
  }
  if (text === '1') {
    return { kind: 'released' };
  }
  return { kind: 'unknown', reason: `${path} reads "${firstLine(text).slice(0, 40)}", not 0 or 1` };
}

export type FirmwareState =
  | { kind: 'known'; state: string; fault: string | null; lastEvent: string | null }
  | { kind: 'unknown'; reason: string };

const CURL_ERRORS: Record<number, string> = {
  6: 'the host name did not resolve',
  7: 'nothing listens there (firmware API down?)',
  28: 'no answer within 2 s',
  52: 'the firmware closed the connection without answering',
  56: 'the connection broke while reading the answer',
};

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
    return { kind: 'unknown', reason: problem ?? 'no answer from the vehicle' };
  }
  if (output.exitCode !== 0) {
    const why = CURL_ERRORS[output.exitCode ?? -1] ?? `curl failed (exit ${output.exitCode ?? '?'})`;
    return { kind: 'unknown', reason: `127.0.0.1:${port}: ${why}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(output.stdout);
  } catch {
    return {
      kind: 'unknown',
      reason: `127.0.0.1:${port} did not answer JSON: "${firstLine(output.stdout).slice(0, 60)}"`,
    };
  }
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).data : undefined;
  const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const state = stateName(fields.current_state);
  if (state === null) {
    return { kind: 'unknown', reason: `the answer of 127.0.0.1:${port} has no data.current_state` };
  }
  const fault = text(fields.current_fault);
  return {
    kind: 'known',
    state,
    fault: fault === null || /^(NONE|0)$/i.test(fault) ? null : fault,
    lastEvent: text(fields.last_event),
  };
}

function describeState(firmware: FirmwareState): string {
  if (firmware.kind === 'unknown') {
    return `the firmware's state could not be read (${firmware.reason})`;
  }
  const fault = firmware.fault === null ? '' : `, fault ${firmware.fault}`;
  const event = firmware.lastEvent === null ? '' : `, last event ${firmware.lastEvent}`;
  return `the firmware reports ${firmware.state}${fault}${event}`;
}

/** The combined verdict: the pin is the hardware truth, the firmware state says whether the stop is still latched. */
export function judgeEstop(
  pin: PinReading,
  firmware: FirmwareState,
  path: string,
): Omit<CheckResult, 'id' | 'evidence'> {
  const pinName = `E-Stop input ${path}`;
  const state = describeState(firmware);
  if (pin.kind === 'unknown') {
    return { level: 'STALE', message: `the E-Stop input cannot be read: ${pin.reason}; ${state}` };
  }
  const firmwareState = firmware.kind === 'known' ? firmware.state : null;
  if (pin.kind === 'pressed') {
    if (firmwareState !== null && firmwareState !== 'ESTOP' && firmwareState !== 'FAULT') {
      return {
        level: 'ERROR',
        message: `E-Stop is pressed (${pinName} reads 0) but ${state}: the firmware has not registered the stop; check the E-Stop wiring and the firmware before anything moves`,
        runbook: RUNBOOK.estop,
      };
    }
    return {
      level: 'ERROR',
      message: `E-Stop is pressed (${pinName} reads 0, active-low); ${state}. Find out why it was pressed before releasing it`,
      runbook: RUNBOOK.estop,
    };
  }
  switch (firmwareState) {
    case null:
      return {
        level: 'WARN',
        message: `E-Stop is released (${pinName} reads 1), but ${state}: whether it is still latched is unknown`,
        runbook: RUNBOOK.estop,
      };
    case 'ESTOP':
      return {
        level: 'WARN',
        message: `E-Stop released but still latched: reset needed (${pinName} reads 1, ${state})`,
        runbook: RUNBOOK.estop,
      };
    case 'FAULT':
      return {
        level: 'ERROR',
        message: `E-Stop is released but ${state}: the fault must be cleared before the vehicle moves`,
        runbook: RUNBOOK.estop,
      };
    case 'SHUTDOWN':
      return { level: 'WARN', message: `E-Stop is released; ${state}`, runbook: RUNBOOK.systemDown };
    default:
      return { level: 'OK', message: `E-Stop is released (${pinName} reads 1); ${state}` };
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
    : { kind: 'unknown', reason: `the firmware's port changed to ${port} in this sweep; the next sweep asks it` };
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
