import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import { failedUnitsModule, LIST_COMMAND } from '../../../electron/core/diagnostics/modules/failedUnitsModule';
import { sweepUnit } from '../../../electron/core/diagnostics/sweep';
import { fixedClock } from '../../../electron/core/ports/Clock';
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

const vehicle = (): SimVehicle => new SimVehicle({ name: 'sim-01', clock: fixedClock(NOW) });
const run = (v: SimVehicle, command: string) => answerCommand(v, command, { name: 'tech' });

async function failed(v: SimVehicle) {
  const channel: CommandChannel = { exec: async (command) => ({ ...run(v, command), signal: null, durationMs: 1 }) };
  const { checks } = await sweepUnit(UNIT, channel, {
    thresholds: DEFAULT_THRESHOLDS,
    clock: fixedClock(NOW),
    modules: [failedUnitsModule],
  });
  const [check] = checks;
  if (!check) {
    throw new Error('no check');
  }
  return check;
}

describe('failed units on a simulated vehicle', () => {
  it('lists nothing on a healthy vehicle; services.failed is OK without children', async () => {
    const v = vehicle();
    expect(run(v, LIST_COMMAND)).toMatchObject({ exitCode: 0, stdout: '' });
    const check = await failed(v);
    expect(check).toMatchObject({ id: 'services.failed', level: 'OK', message: 'no failed systemd units' });
    expect(check.children).toBeUndefined();
  });

  it('lists a crashed OHT-50 service like systemd, and makes it an ERROR', async () => {
    const v = vehicle();
    v.crashService('firmware');
    v.failUnit('wpa_supplicant');
    expect(run(v, LIST_COMMAND).stdout).toBe(
      'oht50-firmware.service loaded failed failed OHT-50 Master Control Firmware\n' +
        'wpa_supplicant.service loaded failed failed wpa_supplicant\n',
    );
    expect(run(v, 'systemctl list-units --state=failed').stdout).toContain('● oht50-firmware.service loaded');
    expect(run(v, 'systemctl is-failed wpa_supplicant')).toMatchObject({ exitCode: 0, stdout: 'failed\n' });
    const check = await failed(v);
    expect(check).toMatchObject({ level: 'ERROR', runbook: "Troubleshooting › 1. Service Won't Start" });
    expect(check.message).toBe(
      '2 failed systemd units: oht50-firmware.service (OHT-50 Master Control Firmware), wpa_supplicant.service (wpa_supplicant)',
    );
  });

  it("a failed unit that is not the vehicle's own is a WARN", async () => {
    const v = vehicle();
    v.failUnit('systemd-networkd-wait-online.service');
    expect(await failed(v)).toMatchObject({ level: 'WARN' });
  });

  it('shows installed dependencies as children: running OK, failed ERROR', async () => {
    const v = vehicle();
    v.installDependency('postgresql');
    v.installDependency('redis');
    expect(run(v, 'systemctl is-active postgresql redis-server').stdout).toBe('active\nactive\n');
    let check = await failed(v);
    expect(check.level).toBe('OK');
    expect(check.children?.map((c) => [c.id, c.level, c.message])).toEqual([
      ['services.failed.postgresql', 'OK', 'PostgreSQL (postgresql.service) is active (exited)'],
      ['services.failed.redis', 'OK', 'Redis (redis-server.service) is active (running)'],
    ]);
    v.failUnit('redis-server');
    expect(run(v, 'systemctl status redis-server').stdout).toContain('Active: failed (Result: exit-code)');
    check = await failed(v);
    expect(check.level).toBe('ERROR');
    expect(check.children?.[1]).toMatchObject({ id: 'services.failed.redis', level: 'ERROR' });
  });
});
