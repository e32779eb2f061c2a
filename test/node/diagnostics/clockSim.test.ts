import { describe, expect, it } from 'vitest';

import { clockModule } from '../../../electron/core/diagnostics/modules/clockModule';
import { databaseModule } from '../../../electron/core/diagnostics/modules/databaseModule';
import { failedUnitsModule } from '../../../electron/core/diagnostics/modules/failedUnitsModule';
import { logsModule } from '../../../electron/core/diagnostics/modules/logsModule';
import { safetyModule } from '../../../electron/core/diagnostics/modules/safetyModule';
import type { Clock } from '../../../electron/core/ports/Clock';
import { SimVehicle } from '../../../electron/sim/SimVehicle';
import { SIM_NOW, sweepSim } from '../../support/sim/simSweep';

const NOW = SIM_NOW;

/** The laptop's clock: each reading is 150 ms after the one before, as if the batch took that long. */
function laptopClock(): Clock {
  let t = NOW - 150;
  return {
    now: () => (t += 150),
    nowIso: () => new Date(t).toISOString(),
  };
}

async function sweep(v: SimVehicle) {
  return sweepSim(v, [failedUnitsModule, logsModule, clockModule, safetyModule, databaseModule], {
    clock: laptopClock(),
  });
}

describe('the clock of a simulated vehicle', () => {
  const vehicle = (): SimVehicle =>
    new SimVehicle({ name: 'sim-01', clock: { now: () => NOW + 75, nowIso: () => new Date(NOW + 75).toISOString() } });

  it('agrees with the laptop when no offset is set; every check of these modules is OK on a healthy vehicle', async () => {
    const checks = await sweep(vehicle());
    expect(checks.map((c) => [c.id, c.level])).toEqual([
      ['services.failed', 'OK'],
      ['logs.backend', 'OK'],
      ['logs.firmware', 'OK'],
      ['clock', 'OK'],
      ['safety.estop', 'OK'],
      ['data.database', 'OK'],
    ]);
    expect(checks.find((c) => c.id === 'clock')?.message).toBe(
      "the vehicle's clock agrees with this laptop's (0.0 s ahead of this laptop's, ±0.1 s)",
    );
  });

  it('is WARN 30 s off and ERROR 2 min off, with the direction', async () => {
    const v = vehicle();
    v.state.system.clockOffsetMs = -30_000;
    const warn = (await sweep(v)).find((c) => c.id === 'clock');
    expect(warn).toMatchObject({ level: 'WARN', runbook: 'Emergency › 3. Communication Failure – Network Issues' });
    expect(warn?.message).toMatch(/^the vehicle's clock is 30 s behind this laptop's \(±0\.1 s\)/);
    v.state.system.clockOffsetMs = 120_000;
    const error = (await sweep(v)).find((c) => c.id === 'clock');
    expect(error?.level).toBe('ERROR');
    expect(error?.message).toMatch(/^the vehicle's clock is 120 s ahead of this laptop's/);
  });
});
