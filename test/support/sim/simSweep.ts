import { DEFAULT_THRESHOLDS, type Thresholds } from '../../../shared/domain/thresholds';
import type { CheckResult } from '../../../shared/domain/health';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import type { CheckModule } from '../../../electron/core/diagnostics/checkModule';
import { sweepUnit } from '../../../electron/core/diagnostics/sweep';
import { fixedClock, type Clock } from '../../../electron/core/ports/Clock';
import { answerCommand, type SimCommandResult } from '../../../electron/sim/commands';
import { SimVehicle, type SimVariant } from '../../../electron/sim/SimVehicle';
import type { CommandChannel } from '../../../electron/core/transport/transport';

/** The instant every simulated-vehicle test starts at, so timestamps in answers are predictable. */
export const SIM_NOW = Date.UTC(2026, 10, 28, 15, 49, 15);

/** A registered unit as the sweep sees it; the SSH details are never used against a simulated channel. */
export function simUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    name: 'sim-01',
    host: '127.0.0.1',
    port: 22,
    user: 'tech',
    auth: { kind: 'key', keyPath: '/dev/null' },
    profile: DEFAULT_VEHICLE_PROFILE,
    hostKey: null,
    createdAt: new Date(SIM_NOW).toISOString(),
    lastLevel: null,
    lastRunAt: null,
    ...overrides,
  };
}

export function simVehicle(variant: SimVariant = 'runbook', clock: Clock = fixedClock(SIM_NOW)): SimVehicle {
  return new SimVehicle({ name: 'sim-01', variant, clock });
}

/** Runs one command as the technician's login would on the simulated vehicle. */
export function simRun(vehicle: SimVehicle, command: string): SimCommandResult {
  return answerCommand(vehicle, command, { name: 'tech' });
}

/** The simulated vehicle as a command channel, without SSH: the sweep's batch goes straight to its shell. */
export function simChannel(vehicle: SimVehicle): CommandChannel {
  return { exec: async (command) => ({ ...simRun(vehicle, command), signal: null, durationMs: 1 }) };
}

/** One sweep of the given modules over a simulated vehicle. */
export async function sweepSim(
  vehicle: SimVehicle,
  modules: readonly CheckModule[],
  options: { unit?: Unit; clock?: Clock; thresholds?: Thresholds } = {},
): Promise<CheckResult[]> {
  const { checks } = await sweepUnit(options.unit ?? simUnit(), simChannel(vehicle), {
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    clock: options.clock ?? fixedClock(SIM_NOW),
    modules,
  });
  return checks;
}

/** The single check a one-module sweep produced. */
export async function sweepOne(vehicle: SimVehicle, module: CheckModule): Promise<CheckResult> {
  const [check] = await sweepSim(vehicle, [module]);
  if (!check) {
    throw new Error(`${module.name} produced no check`);
  }
  return check;
}
