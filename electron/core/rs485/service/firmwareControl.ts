/**
 * The second-master hazard over SSH: is the unit's firmware service running (and so polling the bus), and the gated
 * action that stops it. Stopping needs the technician's explicit confirmation, is refused while the firmware says the
 * vehicle moves or docks, and every attempt, refused or not, is in the audit log.
 */
import type { Unit } from '../../../../shared/domain/unit';
import { AppError, isAppError, type ErrorCode, type JsonValue } from '../../../../shared/errors/AppError';
import { readFirmwareState, stateCommand, type FirmwareState } from '../../diagnostics/modules/safetyModule';
import type { AuditReceipt } from '../../history/auditRecord';
import { shellQuote, type Connection } from '../../transport/transport';
import type { UnitConnector } from '../../units/unitConnection';
import type { AuditSink } from '../safeWrite';
import { assessSecondMaster, type GatedAction, type SecondMasterAssessment } from '../secondMaster';

const EXEC_TIMEOUT_MS = 15_000;
/** States in which the vehicle may be moving: stopping its firmware now is refused. */
const MOVING_STATES = new Set(['MOVE', 'DOCK']);
/** Connect failures that mean the unit is not there; others (a key, a password) mean it answered but let nobody in. */
const UNREACHABLE: readonly ErrorCode[] = ['CONNECT_FAILED', 'TRANSPORT_TIMEOUT', 'TRANSPORT_CLOSED'];

export type SecondMasterView = {
  unit: string;
  hazard: SecondMasterAssessment['hazard'];
  sshReachable: boolean | null;
  firmwareActive: boolean | null;
  firmwareService: string;
  reason: string | null;
  mayProceed: boolean;
  check: SecondMasterAssessment['check'];
  choices: { id: 'proceed' | 'stop-firmware' | 'bench-bus' | 'cancel'; label: string }[];
  stopFirmware: { title: string; commands: string[]; undo: string[]; consequences: string } | null;
};

export type StopFirmwareView = {
  unit: string;
  service: string;
  stopped: boolean;
  message: string;
  undo: string[];
  audit: { seq: number; id: string };
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `systemctl is-active` output: active (or starting) polls the bus; inactive, failed and unknown do not. */
export function readActive(stdout: string): boolean | null {
  const state = stdout.trim().split('\n')[0]?.trim() ?? '';
  if (state === 'active' || state === 'activating' || state === 'reloading') {
    return true;
  }
  if (state === 'inactive' || state === 'failed' || state === 'unknown' || state === 'deactivating') {
    return false;
  }
  return null;
}

export class FirmwareControl {
  constructor(
    private readonly deps: {
      connector: UnitConnector;
      audit: AuditSink;
      requireUnit: (name: string) => Unit;
    },
  ) {}

  async secondMaster(name: string): Promise<SecondMasterView> {
    const unit = this.deps.requireUnit(name);
    const service = unit.profile.firmwareService;
    let sshReachable: boolean | null;
    let firmwareActive: boolean | null = null;
    let reason: string | null = null;
    let connection: Connection | undefined;
    try {
      connection = await this.deps.connector.connect(unit);
      sshReachable = true;
    } catch (error) {
      reason = messageOf(error);
      // A unit that refuses the login is there, and its firmware may well run.
      sshReachable = isAppError(error) && UNREACHABLE.includes(error.code) ? false : true;
    }
    if (connection) {
      try {
        const result = await connection.exec(`systemctl is-active ${shellQuote(service)}`, {
          timeoutMs: EXEC_TIMEOUT_MS,
        });
        firmwareActive = readActive(result.stdout);
        if (firmwareActive === null) {
          reason = `systemctl is-active ${service} answered "${result.stdout.trim().slice(0, 80)}" (exit ${result.exitCode ?? '?'})`;
        }
      } catch (error) {
        reason = messageOf(error);
      } finally {
        await connection.close();
      }
    }
    const assessment = assessSecondMaster({ unit: unit.name, sshReachable, firmwareActive, firmwareService: service });
    const stop = stopActionOf(assessment);
    return {
      unit: unit.name,
      hazard: assessment.hazard,
      sshReachable,
      firmwareActive,
      firmwareService: service,
      reason,
      mayProceed: assessment.mayProceed,
      check:
        reason === null
          ? assessment.check
          : { ...assessment.check, evidence: `${assessment.check.evidence}\n${reason}` },
      choices: assessment.choices.map((c) => ({ id: c.id, label: c.label })),
      stopFirmware: stop
        ? { title: stop.title, commands: stop.commands, undo: stop.undo, consequences: stop.consequences }
        : null,
    };
  }

  /** The gated action: stops the unit's firmware service so that the workstation is the only master on the bus. */
  async stopFirmware(name: string, confirm: boolean, actor: string): Promise<StopFirmwareView> {
    const unit = this.deps.requireUnit(name);
    const service = unit.profile.firmwareService;
    const action = gatedStop(unit.name, service);
    const record = (outcome: 'ok' | 'failed' | 'refused', message: string, extra: Record<string, JsonValue> = {}) =>
      this.deps.audit.appendAudit({
        actor,
        unit: unit.name,
        action: action.audit.action,
        outcome,
        details: { ...action.audit.details, ...extra, message },
      });
    const refuse = (code: ErrorCode, message: string, extra: Record<string, JsonValue> = {}): never => {
      const receipt = record('refused', message, extra);
      throw new AppError(code, message, {
        details: { unit: unit.name, service, auditSeq: receipt.seq, ...extra },
      });
    };

    if (!confirm) {
      refuse(
        'CONFIRMATION_REQUIRED',
        `Stopping ${service} on ${unit.name} needs explicit confirmation: ${action.consequences}`,
      );
    }
    let connection: Connection;
    try {
      connection = await this.deps.connector.connect(unit);
    } catch (error) {
      record('failed', `could not reach ${unit.name}: ${messageOf(error)}`);
      throw error;
    }
    try {
      const state = await this.firmwareState(connection, unit);
      if (state.kind === 'known' && MOVING_STATES.has(state.state)) {
        refuse(
          'PRECONDITION_FAILED',
          `${unit.name} reports ${state.state}: the vehicle may be moving; park it (IDLE) before stopping ${service}`,
          { firmwareState: state.state },
        );
      }
      const stateNote =
        state.kind === 'known'
          ? `the firmware reported ${state.state}`
          : `whether the vehicle moves could not be told (${state.reason})`;
      let receipt: AuditReceipt;
      try {
        const stopped = await connection.exec(`systemctl stop ${shellQuote(service)}`, {
          timeoutMs: 60_000,
          sudo: true,
        });
        const check = await connection.exec(`systemctl is-active ${shellQuote(service)}`, {
          timeoutMs: EXEC_TIMEOUT_MS,
        });
        const active = readActive(check.stdout);
        const ok = stopped.exitCode === 0 && active === false;
        const message = ok
          ? `${service} stopped on ${unit.name} (${stateNote}); the workstation is now the only master on the bus`
          : `${service} on ${unit.name} did not stop: systemctl stop exited ${stopped.exitCode ?? '?'}${stopped.stderr.trim() ? ` (${stopped.stderr.trim().slice(0, 200)})` : ''}, is-active says "${check.stdout.trim()}"`;
        receipt = record(ok ? 'ok' : 'failed', message, {
          firmwareState: state.kind === 'known' ? state.state : null,
        });
        return {
          unit: unit.name,
          service,
          stopped: ok,
          message,
          undo: action.undo,
          audit: { seq: receipt.seq, id: receipt.id },
        };
      } catch (error) {
        record('failed', messageOf(error));
        throw error;
      }
    } finally {
      await connection.close();
    }
  }

  private async firmwareState(connection: Connection, unit: Unit): Promise<FirmwareState> {
    let last: FirmwareState = { kind: 'unknown', reason: 'no firmware port answered' };
    for (const port of [...new Set([unit.profile.firmwarePort, 8081, 8080])]) {
      try {
        const result = await connection.exec(stateCommand(port), { timeoutMs: EXEC_TIMEOUT_MS });
        last = readFirmwareState(
          { key: 'state', exitCode: result.exitCode, stdout: result.stdout, truncated: false },
          port,
        );
      } catch (error) {
        last = { kind: 'unknown', reason: messageOf(error) };
      }
      if (last.kind === 'known') {
        return last;
      }
    }
    return last;
  }
}

function stopActionOf(assessment: SecondMasterAssessment): GatedAction | undefined {
  const choice = assessment.choices.find((c) => c.id === 'stop-firmware');
  return choice?.id === 'stop-firmware' ? choice.action : undefined;
}

/** The gated action as secondMaster.ts describes it (commands, undo, consequences, audit record). */
function gatedStop(unit: string, service: string): GatedAction {
  const action = stopActionOf(
    assessSecondMaster({ unit, sshReachable: true, firmwareActive: true, firmwareService: service }),
  );
  if (!action) {
    throw new AppError('INTERNAL', 'the second-master assessment offers no firmware stop');
  }
  return action;
}
