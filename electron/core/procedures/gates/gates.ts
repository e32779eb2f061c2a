import type { Unit } from '../../../../shared/domain/unit';
import type { GateEvaluation, GateId } from '../../../../shared/ipc/contracts/procedureRuns';
import { pinCommand, readFirmwareState, readPin, stateCommand } from '../../diagnostics/modules/safetyModule';
import type { Clock } from '../../ports/Clock';
import type { ProbeOutput } from '../../transport/batch';
import { shellQuote, type CommandChannel, type ExecResult } from '../../transport/transport';

/**
 * The live preconditions of a mutating step, read on the unit just before the step runs. Every gate fails safe: a
 * reading that cannot be taken or understood is red, with the reason, never green.
 *
 * estop.released   the hardware E-Stop input (the profile's gpio path, active-low: 1 released, 0 pressed)
 * vehicle.stopped  the firmware's state machine (/api/v1/system/state) is not MOVE, DOCK or PAUSED; when the API does
 *                  not answer, green only if the firmware service is not running at all (nothing drives the motors)
 * firmware.stopped, backend.stopped   `systemctl is-active` of the profile's service says it is not running
 * unit.reachable   the unit answers a command over SSH
 */

const GATE_TIMEOUT_MS = 8_000;
/** States in which the vehicle moves or may resume moving on its own. */
const MOVING_STATES = new Set(['MOVE', 'DOCK', 'PAUSED']);
/** `systemctl is-active` answers that mean the service is not running. */
const NOT_RUNNING = new Set(['inactive', 'failed', 'unknown', 'dead']);
/** The firmware API's ports of the two builds (vehicle facts §2.1). */
const FIRMWARE_PORTS = [8081, 8080];

export type GateContext = { unit: Unit; channel: CommandChannel | null; clock: Clock; connectError?: string };

type Reading = { status: 'green' | 'red'; reading: string; evidence: string };

export async function evaluateGate(gate: GateId, context: GateContext): Promise<GateEvaluation> {
  let reading: Reading;
  if (context.channel === null) {
    reading = {
      status: 'red',
      reading: `the unit cannot be reached: ${context.connectError ?? 'no connection'}`,
      evidence: context.connectError ?? '',
    };
  } else {
    try {
      reading = await read(gate, context.unit, context.channel);
    } catch (error) {
      reading = {
        status: 'red',
        reading: `could not be read: ${error instanceof Error ? error.message : String(error)}`,
        evidence: String(error),
      };
    }
  }
  return { gate, unit: context.unit.name, ...reading, at: context.clock.nowIso() };
}

export async function evaluateGates(gates: readonly GateId[], context: GateContext): Promise<GateEvaluation[]> {
  const evaluations: GateEvaluation[] = [];
  for (const gate of gates) {
    evaluations.push(await evaluateGate(gate, context));
  }
  return evaluations;
}

async function read(gate: GateId, unit: Unit, channel: CommandChannel): Promise<Reading> {
  const profile = unit.profile;
  switch (gate) {
    case 'unit.reachable': {
      const command = 'echo ohtw-reachable';
      const result = await channel.exec(command, { timeoutMs: GATE_TIMEOUT_MS });
      const ok = result.exitCode === 0 && result.stdout.includes('ohtw-reachable');
      return {
        status: ok ? 'green' : 'red',
        reading: ok
          ? 'the unit answers over SSH'
          : `the unit did not answer as expected (exit ${result.exitCode ?? '?'})`,
        evidence: evidence(command, result),
      };
    }
    case 'estop.released': {
      const command = pinCommand(profile);
      const result = await channel.exec(command, { timeoutMs: GATE_TIMEOUT_MS });
      const pin = readPin(asProbe('gate.pin', result), profile.estopGpioPath);
      const reading =
        pin.kind === 'released'
          ? `E-Stop input ${profile.estopGpioPath} reads 1: released`
          : pin.kind === 'pressed'
            ? `E-Stop input ${profile.estopGpioPath} reads 0: PRESSED (active-low)`
            : `E-Stop input cannot be read: ${'reason' in pin ? pin.reason : '?'}`;
      return { status: pin.kind === 'released' ? 'green' : 'red', reading, evidence: evidence(command, result) };
    }
    case 'vehicle.stopped': {
      // Until a sweep has detected the build, its firmware may answer on either port (8081 older, 8080 newer).
      const ports =
        profile.detected || profile.variant === 'custom'
          ? [profile.firmwarePort]
          : [...new Set([profile.firmwarePort, ...FIRMWARE_PORTS])];
      let state: ReturnType<typeof readFirmwareState> = { kind: 'unknown', reason: 'not asked' };
      const asked: string[] = [];
      for (const port of ports) {
        const command = stateCommand(port);
        const result = await channel.exec(command, { timeoutMs: GATE_TIMEOUT_MS });
        state = readFirmwareState(asProbe('gate.state', result), port);
        asked.push(evidence(command, result));
        if (state.kind === 'known') {
          break;
        }
      }
      if (state.kind === 'known') {
        const moving = MOVING_STATES.has(state.state);
        return {
          status: moving ? 'red' : 'green',
          reading: moving
            ? `the firmware reports ${state.state}: the vehicle is moving or may resume`
            : `the firmware reports ${state.state}: the vehicle is not moving`,
          evidence: asked.join('\n\n'),
        };
      }
      const service = await serviceState(channel, profile.firmwareService);
      const stopped = NOT_RUNNING.has(service.state);
      return {
        status: stopped ? 'green' : 'red',
        reading: stopped
          ? `the firmware's state cannot be read (${state.reason}) and ${profile.firmwareService} is ${service.state}: nothing drives the vehicle`
          : `the firmware's state cannot be read (${state.reason}) while ${profile.firmwareService} is ${service.state || 'of unknown state'}`,
        evidence: `${asked.join('\n\n')}\n\n${service.evidence}`,
      };
    }
    case 'firmware.stopped':
    case 'backend.stopped': {
      const name = gate === 'firmware.stopped' ? profile.firmwareService : profile.backendService;
      const service = await serviceState(channel, name);
      const stopped = NOT_RUNNING.has(service.state);
      return {
        status: stopped ? 'green' : 'red',
        reading: stopped
          ? `${name} is ${service.state}: not running`
          : `${name} is ${service.state || 'of unknown state'}`,
        evidence: service.evidence,
      };
    }
  }
}

async function serviceState(channel: CommandChannel, service: string): Promise<{ state: string; evidence: string }> {
  const command = `systemctl is-active ${shellQuote(service)}`;
  const result = await channel.exec(command, { timeoutMs: GATE_TIMEOUT_MS });
  const state = result.stdout.trim().split('\n')[0]?.trim() ?? '';
  // An empty answer or an error text is not a state: the caller treats it as not known to be stopped.
  return { state: /^[a-z-]+$/.test(state) ? state : '', evidence: evidence(command, result) };
}

function asProbe(key: string, result: ExecResult): ProbeOutput {
  return { key, stdout: `${result.stdout}${result.stderr}`, exitCode: result.exitCode, truncated: false };
}

export function evidence(command: string, result: ExecResult): string {
  const output = `${result.stdout}${result.stderr ? `${result.stdout ? '\n' : ''}${result.stderr}` : ''}`.trimEnd();
  return `$ ${command}\n${output}\n(exit ${result.exitCode ?? '?'})`;
}
