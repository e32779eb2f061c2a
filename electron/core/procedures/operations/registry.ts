import type { OperationName } from '../../../../shared/domain/procedure';
import type { Said } from '../../../../shared/domain/said';
import type { Unit } from '../../../../shared/domain/unit';
import { asMessage, said, say } from '../../../../shared/domain/words';
import type { Plan } from '../../../../shared/ipc/contracts/procedureRuns';
import { AppError } from '../../../../shared/errors/AppError';
import { readFirmwareState, stateCommand } from '../../diagnostics/modules/safetyModule';
import { evidence } from '../gates/gates';
import { planSummary } from '../runner/execute';
import { sh } from '../../transport/shell';
import type { CommandChannel } from '../../transport/transport';

/**
 * The core operations a procedure step may call instead of a command. Each one first says exactly what it will do
 * (its plan: the commands as they will be sent), and only then, when the technician confirms and the gates are
 * green, does it. An operation this build cannot do is reported unavailable with the reason; it is never faked.
 */

/** Values an operation step was given, with the run's parameters already substituted. */
export type OperationParams = Readonly<Record<string, string | number | boolean>>;

export type OperationResult = { ok: boolean; exitCode: number | null; message: string; say?: Said; output: string };

export type OperationContext = { unit: Unit; channel: CommandChannel; params: OperationParams; actor: string };

export type Operation = {
  readonly name: OperationName;
  plan(unit: Unit, params: OperationParams): Plan;
  run(context: OperationContext): Promise<OperationResult>;
};

/** Where another feature (backups, restore, the RS485 bus) can lend an operation once it exists in the core. */
export type OperationDelegates = Partial<Record<OperationName, Operation>>;

export type OperationRegistryOptions = {
  /** The firmware API's static Bearer token for POSTs under /state/ (the vehicle facts name the operator token). */
  firmwareToken: string;
  delegates?: OperationDelegates;
};

/** The operator token the firmware accepts on /api/v1/state/* (vehicle facts §2.1); OHTW_FIRMWARE_TOKEN replaces it. */
export const DEFAULT_FIRMWARE_TOKEN = 'oht50_operator_token_2025';

const SERVICE_TIMEOUT_MS = 90_000;
const SERVICE_NAME = /^[A-Za-z0-9@._-]+$/;
const NOT_RUNNING = new Set(['inactive', 'failed', 'unknown']);

export class OperationRegistry {
  private readonly operations = new Map<OperationName, Operation>();

  constructor(options: OperationRegistryOptions) {
    for (const verb of ['start', 'stop', 'restart', 'enable'] as const) {
      this.operations.set(`service.${verb}`, serviceOperation(verb));
    }
    this.operations.set('estop.reset', estopReset(options.firmwareToken));
    for (const [name, operation] of Object.entries(options.delegates ?? {})) {
      this.operations.set(name as OperationName, operation);
    }
  }

  /** The operation, or undefined when this build cannot do it. */
  get(name: OperationName): Operation | undefined {
    return this.operations.get(name);
  }

  /** The plan of an operation, or an unavailable plan saying why it cannot be done here. */
  plan(name: OperationName, unit: Unit, params: OperationParams): Plan {
    const operation = this.operations.get(name);
    if (!operation) {
      return {
        ...planSummary(say('plan.operation', { operation: name, unit: unit.name })),
        commands: [],
        mutating: true,
        available: false,
        unavailableReason: unavailableReason(name),
      };
    }
    return operation.plan(unit, params);
  }
}

function unavailableReason(name: OperationName): string {
  if (name.startsWith('restore.')) {
    return `${name} is not available as a procedure step: restore from the Backups page's restore wizard or with ohtw restore NAME ID, which show the dry-run diff first and run it as a recorded transaction with rollback`;
  }
  if (name.startsWith('backup.')) {
    return `${name} is not available: this core was built without the backup feature`;
  }
  if (name.startsWith('rs485.')) {
    return `${name} is not available from a procedure: the RS485 bus is reached through the laptop's USB adapter (ohtw rs485 scan), not over the unit's SSH connection`;
  }
  return `${name} is not available in this build`;
}

/** "backend" and "firmware" mean the unit's own services as its profile names them. */
export function serviceName(unit: Unit, value: string | number | boolean | undefined): string {
  const raw = String(value ?? '');
  const name =
    raw === 'backend' ? unit.profile.backendService : raw === 'firmware' ? unit.profile.firmwareService : raw;
  if (!SERVICE_NAME.test(name)) {
    throw new AppError('VALIDATION', `"${raw}" is not a systemd unit name`, { details: { service: raw } });
  }
  return name;
}

function serviceOperation(verb: 'start' | 'stop' | 'restart' | 'enable'): Operation {
  const lines = (unit: Unit, params: OperationParams) => {
    const service = serviceName(unit, params.service);
    return {
      service,
      action: sh`systemctl ${verb} ${service}`,
      state: sh`systemctl is-active ${service}`,
    };
  };
  return {
    name: `service.${verb}`,
    plan(unit, params) {
      const { service, action, state } = lines(unit, params);
      return {
        ...planSummary(say('plan.service', { verb: say(`plan.verb.${verb}`), service, unit: unit.name })),
        commands: [
          { line: action, sudo: true },
          { line: state, sudo: false },
        ],
        mutating: true,
        available: true,
        unavailableReason: null,
      };
    },
    async run({ unit, channel, params }) {
      const { service, action, state } = lines(unit, params);
      const done = await channel.exec(action, { timeoutMs: SERVICE_TIMEOUT_MS, sudo: true });
      const after = await channel.exec(state, { timeoutMs: 10_000 });
      const active = after.stdout.trim().split('\n')[0] ?? '';
      const wanted =
        verb === 'stop' ? NOT_RUNNING.has(active) : verb === 'enable' ? done.exitCode === 0 : active === 'active';
      const ok = done.exitCode === 0 && wanted;
      const now = active === '' ? say('gate.unknownState') : { raw: active };
      // systemctl's own verb, quoted as the command has it.
      const command = { raw: verb };
      const words = ok
        ? say('operation.serviceDone', { service, verb: command, state: now })
        : done.exitCode !== 0
          ? say('operation.serviceFailed', { service, verb: command, exit: done.exitCode ?? '?', state: now })
          : say('operation.serviceReturned', { service, verb: command, state: now });
      return {
        ok,
        exitCode: done.exitCode,
        ...asMessage(words),
        output: `${evidence(`sudo ${action}`, done)}\n\n${evidence(state, after)}`,
      };
    },
  };
}

/**
 * The firmware's E-Stop reset: POST /api/v1/state/reset (allowed by the firmware only from ESTOP or FAULT; it refuses
 * while the pin is low, and the estop.released gate has read the pin just before), then the state read back. The
 * token goes to curl on stdin, so it is not on the vehicle's process list.
 */
function estopReset(token: string): Operation {
  const lines = (unit: Unit) => {
    const port = unit.profile.firmwarePort;
    return {
      reset: `curl -sS -m 5 -X POST -H @- http://127.0.0.1:${port}/api/v1/state/reset`,
      state: stateCommand(port),
      port,
    };
  };
  return {
    name: 'estop.reset',
    plan(unit) {
      const { reset, state, port } = lines(unit);
      return {
        ...planSummary(say('plan.estopReset', { unit: unit.name, port })),
        commands: [
          { line: `${reset}   (header on stdin: Authorization: Bearer <firmware token>)`, sudo: false },
          { line: state, sudo: false },
        ],
        mutating: true,
        available: true,
        unavailableReason: null,
      };
    },
    async run({ unit, channel }) {
      const { reset, state, port } = lines(unit);
      const posted = await channel.exec(reset, { timeoutMs: 15_000, stdin: `Authorization: Bearer ${token}\n` });
      const after = await channel.exec(state, { timeoutMs: 10_000 });
      const read = readFirmwareState(
        { key: 'state', stdout: after.stdout, exitCode: after.exitCode, truncated: false },
        port,
      );
      const accepted = posted.exitCode === 0 && /"success"\s*:\s*true/.test(posted.stdout);
      const now =
        read.kind === 'known'
          ? { raw: read.state }
          : say('operation.stateUnknown', { reason: read.why ?? { raw: read.reason } });
      const ok = accepted && read.kind === 'known' && read.state !== 'ESTOP' && read.state !== 'FAULT';
      return {
        ok,
        exitCode: posted.exitCode,
        ...said(ok ? 'operation.resetAccepted' : accepted ? 'operation.resetAcceptedBut' : 'operation.resetRefused', {
          state: now,
        }),
        output: `${evidence(reset, posted)}\n\n${evidence(state, after)}`,
      };
    },
  };
}
