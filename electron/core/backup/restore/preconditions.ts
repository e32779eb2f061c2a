import type { CheckResult, DiagnosisReport } from '../../../../shared/domain/health';
import type { Unit } from '../../../../shared/domain/unit';
import { AppError } from '../../../../shared/errors/AppError';
import {
  pinCommand,
  readFirmwareState,
  readPin,
  stateCommand,
  type FirmwareState,
  type PinReading,
} from '../../diagnostics/modules/safetyModule';
import type { RemoteShell } from './remoteShell';

/** Firmware states in which the vehicle is moving or mid-task: a restore (which stops the firmware) is refused. */
const BUSY_STATES = new Set(['MOVE', 'DOCK', 'PAUSED', 'CONFIG', 'BOOT', 'INIT']);

export type SafetyReading = { pin: PinReading; firmware: FirmwareState };

async function probe(shell: RemoteShell, command: string): Promise<{ exitCode: number | null; stdout: string }> {
  const result = await shell.run(`${command} 2>&1`, { sudo: false, timeoutMs: 15_000 });
  return { exitCode: result.exitCode, stdout: result.stdout.toString('utf8') };
}

/** Reads the E-Stop input and the firmware's state machine now, as the safety check does. */
export async function readSafety(shell: RemoteShell, unit: Unit): Promise<SafetyReading> {
  const port = unit.profile.firmwarePort;
  const pinOut = await probe(shell, pinCommand(unit.profile));
  const stateOut = await probe(shell, stateCommand(port));
  return {
    pin: readPin({ key: 'pin', truncated: false, ...pinOut }, unit.profile.estopGpioPath),
    firmware: readFirmwareState({ key: 'state', truncated: false, ...stateOut }, port),
  };
}

export function describeSafety(reading: SafetyReading): string {
  const pin = reading.pin.kind === 'unknown' ? `E-Stop unknown (${reading.pin.reason})` : `E-Stop ${reading.pin.kind}`;
  const firmware =
    reading.firmware.kind === 'known'
      ? `firmware ${reading.firmware.state}`
      : `firmware state unknown (${reading.firmware.reason})`;
  return `${pin}, ${firmware}`;
}

/**
 * Refuses a restore while the vehicle moves or is mid-task (the firmware reports MOVE, DOCK, PAUSED, CONFIG, or is
 * still starting). A firmware that does not answer cannot drive the vehicle, so an unknown state is allowed (a
 * crashed firmware is a common reason to restore) and recorded as such.
 */
export function assertSafeToApply(unit: string, reading: SafetyReading): void {
  if (reading.firmware.kind === 'known' && BUSY_STATES.has(reading.firmware.state)) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${unit}: the firmware reports ${reading.firmware.state}; a restore stops the vehicle's services, so it is refused while the vehicle is moving or busy. Bring the vehicle to IDLE (or press the E-Stop) and run the restore again`,
      { details: { unit, firmwareState: reading.firmware.state } },
    );
  }
}

/** Leaf checks (and parents without children) at ERROR, and whether the sweep reached the unit at all. */
/**
 * Readings that follow the machine's load at the moment of the sweep rather than the unit's state: a restore neither
 * causes nor cures them, so a busy minute must not roll a good restore back.
 */
const LOAD_READINGS = ['resources.cpu', 'resources.memory'];

function isLoadReading(id: string): boolean {
  return LOAD_READINGS.some((reading) => id === reading || id.startsWith(`${reading}.`));
}

/** The leaf checks at ERROR (a group only sums up its children), load readings left out. */
function errorIds(report: DiagnosisReport): Set<string> {
  const out = new Set<string>();
  const walk = (check: CheckResult): void => {
    if (check.children && check.children.length > 0) {
      check.children.forEach(walk);
    } else if (check.level === 'ERROR' && !isLoadReading(check.id)) {
      out.add(check.id);
    }
  };
  report.checks.forEach(walk);
  return out;
}

/**
 * The health gate's judgement of the sweep after the restore against the one before: the unit must answer, and no
 * check may be at ERROR that was not at ERROR before (CPU and memory load excepted). Returns the reason it fails, or
 * null.
 */
export function judgeSweep(before: DiagnosisReport, after: DiagnosisReport): string | null {
  const unreachable = after.checks.find((c) => c.id === 'connection');
  if (unreachable !== undefined) {
    return `the unit did not answer the diagnosis after the restore: ${unreachable.message}`;
  }
  const was = errorIds(before);
  const fresh = [...errorIds(after)].filter((id) => !was.has(id));
  if (fresh.length === 0) {
    return null;
  }
  const messages: string[] = [];
  const walk = (check: CheckResult): void => {
    if (fresh.includes(check.id)) {
      messages.push(`${check.id}: ${check.message}`);
    }
    check.children?.forEach(walk);
  };
  after.checks.forEach(walk);
  return `new at ERROR after the restore: ${messages.slice(0, 5).join('; ')}`;
}
