import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import { clockModule } from '../../../electron/core/diagnostics/modules/clockModule';
import { databaseModule } from '../../../electron/core/diagnostics/modules/databaseModule';
import { failedUnitsModule } from '../../../electron/core/diagnostics/modules/failedUnitsModule';
import { logsModule } from '../../../electron/core/diagnostics/modules/logsModule';
import { safetyModule } from '../../../electron/core/diagnostics/modules/safetyModule';
import { sweepUnit } from '../../../electron/core/diagnostics/sweep';
import type { Clock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/core/sim/commands';
import { SimVehicle } from '../../../electron/core/sim/SimVehicle';
import type { CommandChannel } from '../../../electron/core/transport/transport';

const NOW = Date.UTC(2026, 10, 28, 15, 49, 15);
const UNIT: Unit = {
  name: 'sim-01',
  host: '127.0.0.1',
  port: 22,
  user: 'tech',
  auth: { kind: 'key', keyPath: '/dev/null' },
  profile: DEFAULT_VEHICLE_PROFILE,
  hostKey: null,
  createdAt: new Date(NOW).toISOString(),
  lastLevel: null,
  lastRunAt: null,
};

/** The laptop's clock: each reading is 150 ms after the one before, as if the batch took that long. */
function laptopClock(): Clock {
  let t = NOW - 150;
  return {
    now: () => (t += 150),
    nowIso: () => new Date(t).toISOString(),
  };
}

async function sweep(v: SimVehicle) {
  const channel: CommandChannel = {
    exec: async (command) => ({ ...answerCommand(v, command, { name: 'tech' }), signal: null, durationMs: 1 }),
  };
  const { checks } = await sweepUnit(UNIT, channel, {
    thresholds: DEFAULT_THRESHOLDS,
    clock: laptopClock(),
    modules: [failedUnitsModule, logsModule, clockModule, safetyModule, databaseModule],
  });
  return checks;
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
      "the vehicle's clock agrees with this laptop's (0.0 s ahead of, ±0.1 s)",
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
