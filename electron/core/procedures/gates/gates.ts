import type { Said, SaidValue } from '../../../../shared/domain/said';
import type { Unit } from '../../../../shared/domain/unit';
import { asMessage, say } from '../../../../shared/domain/words';
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

type Reading = { status: 'green' | 'red'; reading: string; say: Said; evidence: string };

export async function evaluateGate(gate: GateId, context: GateContext): Promise<GateEvaluation> {
  let reading: Reading;
  if (context.channel === null) {
    reading = {
      status: 'red',
      ...reads(
        say('gate.unreachable', {
          error: context.connectError === undefined ? say('gate.noConnection') : { raw: context.connectError },
        }),
      ),
      evidence: context.connectError ?? '',
    };
  } else {
    try {
      reading = await read(gate, context.unit, context.channel);
    } catch (error) {
      reading = {
        status: 'red',
        ...reads(say('gate.unreadable', { error: { raw: error instanceof Error ? error.message : String(error) } })),
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
        ...reads(ok ? say('gate.answers') : say('gate.noAnswer', { exit: result.exitCode ?? '?' })),
        evidence: evidence(command, result),
      };
    }
    case 'estop.released': {
      const command = pinCommand(profile);
      const result = await channel.exec(command, { timeoutMs: GATE_TIMEOUT_MS });
      const pin = readPin(asProbe('gate.pin', result), profile.estopGpioPath);
      const path = profile.estopGpioPath;
      const words =
        pin.kind === 'released'
          ? say('gate.estopReleased', { path })
          : pin.kind === 'pressed'
            ? say('gate.estopPressed', { path })
            : say('gate.estopUnreadable', { reason: pin.kind === 'unknown' ? becauseOf(pin) : '?' });
      return {
        status: pin.kind === 'released' ? 'green' : 'red',
        ...reads(words),
        evidence: evidence(command, result),
      };
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
          ...reads(say(moving ? 'gate.moving' : 'gate.notMoving', { state: { raw: state.state } })),
          evidence: asked.join('\n\n'),
        };
      }
      const service = await serviceState(channel, profile.firmwareService);
      const stopped = NOT_RUNNING.has(service.state);
      return {
        status: stopped ? 'green' : 'red',
        ...reads(
          say(stopped ? 'gate.stateUnreadableStopped' : 'gate.stateUnreadableRunning', {
            reason: becauseOf(state),
            service: profile.firmwareService,
            state: serviceWord(service.state),
          }),
        ),
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
        ...reads(
          say(stopped ? 'gate.serviceStopped' : 'gate.serviceState', {
            service: name,
            state: serviceWord(service.state),
          }),
        ),
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

/** A reading in English (kept in the run and the audit log) and as words for each face. */
function reads(words: Said): { reading: string; say: Said } {
  const { message, say: kept } = asMessage(words);
  return { reading: message, say: kept };
}

/** Why a reading is unknown, in words where the reader has them. */
function becauseOf(unknown: { reason: string; why?: Said }): SaidValue {
  return unknown.why ?? { raw: unknown.reason };
}

/** The state systemd printed, quoted; nothing printed is said in words. */
function serviceWord(state: string): SaidValue {
  return state === '' ? say('gate.unknownState') : { raw: state };
}
