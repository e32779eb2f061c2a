import { describe, expect, it } from 'vitest';

import type { ArgPart, CommandCheckStep, Procedure } from '../../../../shared/domain/procedure';
import { DEFAULT_VEHICLE_PROFILE } from '../../../../shared/domain/unit';
import { ProcedureLibrary, shippedProceduresDir } from '../../../../electron/core/procedures/library/ProcedureLibrary';
import type { SimVehicle } from '../../../../electron/sim/SimVehicle';
import { simRun, simVehicle } from '../../../support/sim/simSweep';
import { RESOURCES_DIR } from '../../../support/appLayout';

const library = new ProcedureLibrary({ shippedDir: shippedProceduresDir(RESOURCES_DIR) });

async function procedure(id: string): Promise<Procedure> {
  return (await library.get(id)).procedure;
}

function commandCheck(p: Procedure, stepId: string): CommandCheckStep {
  const step = p.steps.find((s) => s.id === stepId);
  if (!step || step.kind !== 'check' || !('command' in step)) {
    throw new Error(`${p.id} has no command check ${stepId}`);
  }
  return step;
}

/** The command line as a transport would send it: every argument single-quoted, references filled in. */
function line(step: CommandCheckStep): string {
  const part = (p: ArgPart): string =>
    typeof p === 'string' ? p : 'profile' in p ? String(DEFAULT_VEHICLE_PROFILE[p.profile]) : '';
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const args = step.command.args.map((a) => quote(Array.isArray(a) ? a.map(part).join('') : part(a)));
  return [...(step.command.sudo ? ['sudo', '-n'] : []), step.command.program, ...args].join(' ');
}

/** Whether the check passes on the vehicle, judged as its `expect` says. */
function passes(vehicle: SimVehicle, step: CommandCheckStep): boolean {
  const result = simRun(vehicle, line(step));
  const { exitCode, stdoutMatches, stdoutLacks } = step.expect;
  const nothingSaid = exitCode === undefined && stdoutMatches === undefined && stdoutLacks === undefined;
  const expectedExit = exitCode ?? (nothingSaid ? 0 : undefined);
  return (
    (expectedExit === undefined || result.exitCode === expectedExit) &&
    (stdoutMatches === undefined || new RegExp(stdoutMatches, 'm').test(result.stdout)) &&
    (stdoutLacks === undefined || !new RegExp(stdoutLacks, 'm').test(result.stdout))
  );
}

describe('command checks judge what a vehicle really prints', () => {
  it('the E-Stop pin check fails while the button is pressed and passes once released', async () => {
    const estop = await procedure('emergency.estop');
    const pin = commandCheck(estop, 'pin');
    const vehicle = simVehicle();
    expect(passes(vehicle, pin)).toBe(true);
    vehicle.pressEstop();
    expect(passes(vehicle, pin)).toBe(false);
    vehicle.releaseEstop();
    expect(passes(vehicle, pin)).toBe(true);
  });

  it('the system state check passes on IDLE only, not while latched in ESTOP', async () => {
    const state = commandCheck(await procedure('emergency.estop'), 'state');
    const vehicle = simVehicle();
    expect(passes(vehicle, state)).toBe(true);
    vehicle.pressEstop();
    vehicle.releaseEstop();
    expect(passes(vehicle, state)).toBe(false);
    vehicle.resetEstopLatch();
    expect(passes(vehicle, state)).toBe(true);
  });

  it('the backend health check follows the runbook path and fails when the backend is down', async () => {
    const health = commandCheck(await procedure('emergency.system-down'), 'verify-backend');
    const vehicle = simVehicle();
    expect(passes(vehicle, health)).toBe(true);
    vehicle.crashService('backend');
    expect(passes(vehicle, health)).toBe(false);
  });

  it('the SQLite integrity check passes on a sound database and fails on a damaged one', async () => {
    const sqlite = commandCheck(await procedure('troubleshooting.database'), 'sqlite');
    const vehicle = simVehicle();
    expect(passes(vehicle, sqlite)).toBe(true);
    vehicle.corruptDatabase();
    expect(passes(vehicle, sqlite)).toBe(false);
  });
});
