import { said, say } from '../../../shared/domain/words';
import type { CheckResult } from '../../../shared/domain/health';
import type { JsonValue } from '../../../shared/errors/AppError';
import { RUNBOOK } from '../diagnostics/runbook';
import { sh } from '../transport/shell';

/**
 * The second-master hazard. Modbus RTU allows one master per bus; while the vehicle's firmware service polls the
 * modules (Safety every 500 ms, Dock every 50 ms), a workstation on the same wires collides with it: both see CRC
 * errors and timeouts, and a write may land between the firmware's reads. Before the workstation becomes master,
 * this judges what is known (is the unit reachable over SSH, is its firmware service running) and says what may
 * be done: go ahead, stop the service first (a gated action the technician confirms), or continue on a bench bus.
 * Pure: the SSH side (unitConnection + systemctl) gathers the inputs, the caller carries out the choice.
 */

export const SECOND_MASTER_CHECK_ID = 'rs485.offline.master';

export type SecondMasterInputs = {
  /** The unit's name, or null when the bus doctor runs without one. */
  unit: string | null;
  /** Whether the unit answered over SSH just now; null when it was not tried (no unit, or no network). */
  sshReachable: boolean | null;
  /** Whether the firmware service is active (`systemctl is-active`); null when it could not be told. */
  firmwareActive: boolean | null;
  /** The unit's firmware service (oht50-firmware on runbook builds, oht50.service on newer ones). */
  firmwareService: string;
};

/** An action that changes the vehicle and therefore waits for the technician's explicit yes; it is audited. */
export type GatedAction = {
  id: 'firmware.stop';
  title: string;
  /** What it runs on the unit, in order. */
  commands: string[];
  /** How to undo it once the work on the bus is done. */
  undo: string[];
  /** What the technician agrees to, shown before asking. */
  consequences: string;
  audit: { action: string; unit: string | null; details: Record<string, JsonValue> };
};

export type SecondMasterChoice =
  | { id: 'proceed'; label: string }
  | { id: 'stop-firmware'; label: string; action: GatedAction }
  | { id: 'bench-bus'; label: string }
  | { id: 'cancel'; label: string };

export type SecondMasterAssessment = {
  /** none: nothing else polls the bus; likely: the firmware is running; unknown: it could not be told. */
  hazard: 'none' | 'likely' | 'unknown';
  check: CheckResult;
  /** The workstation may become master without asking (no hazard known). */
  mayProceed: boolean;
  choices: SecondMasterChoice[];
};

export function assessSecondMaster(inputs: SecondMasterInputs): SecondMasterAssessment {
  const { unit, sshReachable, firmwareActive, firmwareService } = inputs;
  const where = unit ?? say('master.theVehicle');
  const whereText = unit ?? 'the vehicle';
  const service = firmwareService;
  const evidence = [
    `unit: ${unit ?? '(none given)'}`,
    `reachable over SSH: ${describeKnown(sshReachable)}`,
    `${firmwareService} active: ${sshReachable === true ? describeKnown(firmwareActive) : 'not asked'}`,
  ].join('\n');
  const id = SECOND_MASTER_CHECK_ID;
  const stop = stopFirmwareAction(unit, firmwareService);
  const cancel: SecondMasterChoice = { id: 'cancel', label: 'Cancel: do not open the bus' };
  const bench: SecondMasterChoice = {
    id: 'bench-bus',
    label: `Continue: this is a bench bus, or the vehicle computer is disconnected from it`,
  };

  if (sshReachable === true && firmwareActive === true) {
    return {
      hazard: 'likely',
      mayProceed: false,
      check: {
        id,
        level: 'WARN',
        ...said('master.running', { service, where }),
        evidence,
        runbook: RUNBOOK.communication,
      },
      choices: [
        { id: 'stop-firmware', label: `Stop ${firmwareService} on ${whereText} first (asks to confirm)`, action: stop },
        bench,
        cancel,
      ],
    };
  }
  if (sshReachable === true && firmwareActive === false) {
    return {
      hazard: 'none',
      mayProceed: true,
      check: {
        id,
        level: 'OK',
        ...said('master.stopped', { service, where }),
        evidence,
      },
      choices: [{ id: 'proceed', label: 'Open the bus' }, cancel],
    };
  }
  if (sshReachable === true) {
    return {
      hazard: 'unknown',
      mayProceed: false,
      check: {
        id,
        level: 'WARN',
        ...said('master.unknown', { service, where }),
        evidence,
        runbook: RUNBOOK.communication,
      },
      choices: [
        { id: 'stop-firmware', label: `Stop ${firmwareService} on ${whereText} first (asks to confirm)`, action: stop },
        bench,
        cancel,
      ],
    };
  }
  // Not reachable (or not asked): the usual case for this tool, the vehicle's computer is down.
  return {
    hazard: 'unknown',
    mayProceed: true,
    check: {
      id,
      level: 'OK',
      ...said(sshReachable === false ? 'master.unreachable' : 'master.noUnit', { service, where }),
      evidence,
    },
    choices: [{ id: 'proceed', label: 'Open the bus' }, cancel],
  };
}

/** What the technician's choice means: whether the bus may be opened now, and what to record about it. */
export function decideSecondMaster(
  assessment: SecondMasterAssessment,
  choice: SecondMasterChoice['id'],
): { open: boolean; runFirst?: GatedAction; note: string } {
  const offered = assessment.choices.find((c) => c.id === choice);
  if (!offered) {
    return {
      open: false,
      note: `"${choice}" is not offered here (${assessment.choices.map((c) => c.id).join(', ')})`,
    };
  }
  switch (offered.id) {
    case 'proceed':
      return { open: true, note: 'no other master known on the bus' };
    case 'stop-firmware':
      return {
        open: false,
        runFirst: offered.action,
        note: 'stop the firmware service (confirmed and audited), then assess again: the bus opens once it reads as stopped',
      };
    case 'bench-bus':
      return {
        open: true,
        note: 'the technician declared a bench bus (or the vehicle computer disconnected) with the firmware possibly running',
      };
    case 'cancel':
      return { open: false, note: 'cancelled by the technician' };
  }
}

function stopFirmwareAction(unit: string | null, service: string): GatedAction {
  return {
    id: 'firmware.stop',
    title: `Stop ${service} on ${unit ?? 'the vehicle'}`,
    commands: [sh`sudo systemctl stop ${service}`, sh`systemctl is-active ${service}`],
    undo: [sh`sudo systemctl start ${service}`],
    consequences:
      'The vehicle stops polling its modules: it cannot move or dock, and its own safety supervision of the modules pauses, until the service is started again. Make sure the vehicle is parked and secured.',
    audit: {
      action: 'services.stop',
      unit,
      details: { service, reason: 'rs485 bus doctor: avoid a second Modbus master' },
    },
  };
}

function describeKnown(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}
