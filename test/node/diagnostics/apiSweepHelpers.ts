import type { CheckResult } from '../../../shared/domain/health';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit, type VehicleProfile } from '../../../shared/domain/unit';
import type { CheckModule } from '../../../electron/core/diagnostics/checkModule';
import { apiModule } from '../../../electron/core/diagnostics/modules/apiModule';
import { rs485Module } from '../../../electron/core/diagnostics/modules/rs485Module';
import { sweepUnit } from '../../../electron/core/diagnostics/sweep';
import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';
import type { CommandChannel } from '../../../electron/core/transport/transport';

export const NOW = Date.UTC(2026, 10, 28, 15, 49, 15);

export function simVehicle(variant: 'runbook' | 'newer' = 'runbook'): SimVehicle {
  return new SimVehicle({ name: 'sim-01', variant, clock: fixedClock(NOW) });
}

export function unitWith(profile: Partial<VehicleProfile> = {}): Unit {
  return {
    name: 'sim-01',
    host: '127.0.0.1',
    port: 22,
    user: 'oht',
    auth: { kind: 'key', keyPath: '/dev/null' },
    profile: { ...DEFAULT_VEHICLE_PROFILE, ...profile },
    hostKey: null,
    createdAt: new Date(NOW).toISOString(),
    lastLevel: null,
    lastRunAt: null,
  };
}

/** A command channel answered by the simulated vehicle, as its SSH endpoint would. */
export function simChannel(vehicle: SimVehicle): CommandChannel {
  return {
    exec: async (command) => ({ ...answerCommand(vehicle, command, { name: 'oht' }), signal: null, durationMs: 1 }),
  };
}

/** A channel that answers every exec with the given stdout, to feed the judges what a broken vehicle prints. */
export function cannedChannel(stdout: (script: string) => string): CommandChannel {
  return { exec: async (script) => ({ stdout: stdout(script), stderr: '', exitCode: 0, signal: null, durationMs: 1 }) };
}

export async function sweepApi(
  channel: CommandChannel,
  unit: Unit = unitWith(),
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  modules: readonly CheckModule[] = [apiModule, rs485Module],
): Promise<Map<string, CheckResult>> {
  const outcome = await sweepUnit(unit, channel, { thresholds, clock: fixedClock(NOW), modules });
  const all = new Map<string, CheckResult>();
  const walk = (check: CheckResult): void => {
    all.set(check.id, check);
    check.children?.forEach(walk);
  };
  outcome.checks.forEach(walk);
  return all;
}

export function get(checks: Map<string, CheckResult>, id: string): CheckResult {
  const check = checks.get(id);
  if (!check) {
    throw new Error(`no check ${id}; have ${[...checks.keys()].join(', ')}`);
  }
  return check;
}
