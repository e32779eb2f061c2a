import { describe, expect, it } from 'vitest';

import { failedUnitsModule, LIST_COMMAND } from '../../../electron/core/diagnostics/modules/failedUnitsModule';
import type { SimVehicle } from '../../../electron/sim/SimVehicle';
import { simRun as run, simVehicle, sweepOne } from '../../support/sim/simSweep';

const vehicle = (): SimVehicle => simVehicle();
const failed = (v: SimVehicle) => sweepOne(v, failedUnitsModule);

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
