import { describe, expect, it } from 'vitest';

import { safetyModule } from '../../../electron/core/diagnostics/modules/safetyModule';
import { servicesModule } from '../../../electron/core/diagnostics/modules/servicesModule';
import type { SimVehicle } from '../../../electron/sim/SimVehicle';
import { simRun as run, simVehicle, sweepSim } from '../../support/sim/simSweep';

const GPIO = '/sys/class/gpio/gpio59/value';

const vehicle = (variant: 'runbook' | 'newer' = 'runbook'): SimVehicle => simVehicle(variant);
const firmwareState = (v: SimVehicle, port = 8081): unknown =>
  (JSON.parse(run(v, `curl -s http://127.0.0.1:${port}/api/v1/system/state`).stdout) as { data: unknown }).data;

async function estop(v: SimVehicle) {
  const checks = await sweepSim(v, [servicesModule, safetyModule]);
  const check = checks.find((c) => c.id === 'safety.estop');
  if (!check) {
    throw new Error('no safety.estop');
  }
  return check;
}

describe('the simulated E-Stop', () => {
  it('reads released (1) on gpio59 with the firmware IDLE on a healthy vehicle', async () => {
    const v = vehicle();
    expect(run(v, `cat ${GPIO}`)).toMatchObject({ exitCode: 0, stdout: '1\n' });
    expect(firmwareState(v)).toMatchObject({ current_state: 'IDLE', current_fault: 'NONE' });
    expect(await estop(v)).toMatchObject({ level: 'OK' });
  });

  it('pressEstop: the pin reads 0, the firmware enters ESTOP and says so in its journal; ERROR', async () => {
    const v = vehicle();
    v.pressEstop();
    expect(v.estopPressed()).toBe(true);
    expect(run(v, `cat ${GPIO}`).stdout).toBe('0\n');
    expect(firmwareState(v)).toMatchObject({
      current_state: 'ESTOP',
      previous_state: 'IDLE',
      last_event: 'ESTOP_TRIGGERED',
      safety_ok: false,
    });
    expect(run(v, 'sudo journalctl -u oht50-firmware -o cat -n 2').stdout).toBe(
      '[WARN] E-Stop TRIGGERED! (gpio59 low)\n[INFO] Emergency handling activated: motors disabled, state ESTOP\n',
    );
    const check = await estop(v);
    expect(check).toMatchObject({ level: 'ERROR', runbook: 'Emergency › 2. E-Stop Triggered – Safety Response' });
    expect(check.message).toMatch(/^E-Stop is pressed \(E-Stop input \/sys\/class\/gpio\/gpio59\/value reads 0/);
  });

  it('releaseEstop: the pin reads 1 but the firmware stays latched in ESTOP; WARN "reset needed"', async () => {
    const v = vehicle();
    v.pressEstop();
    v.releaseEstop();
    expect(run(v, `cat ${GPIO}`).stdout).toBe('1\n');
    expect(firmwareState(v)).toMatchObject({ current_state: 'ESTOP' });
    const check = await estop(v);
    expect(check.level).toBe('WARN');
    expect(check.message).toMatch(/^E-Stop released but still latched: reset needed/);
  });

  it('resetEstopLatch is refused while the pin is low, and returns the firmware to IDLE once released', async () => {
    const v = vehicle('newer');
    v.pressEstop();
    expect(v.resetEstopLatch()).toBe(false);
    expect(firmwareState(v, 8080)).toMatchObject({ current_state: 'ESTOP' });
    expect(run(v, 'sudo journalctl -u oht50 -o cat -n 1').stdout).toBe(
      '[WARN] E-Stop reset refused: E-Stop input still active\n',
    );
    v.releaseEstop();
    expect(v.resetEstopLatch()).toBe(true);
    expect(firmwareState(v, 8080)).toMatchObject({ current_state: 'IDLE', last_event: 'ESTOP_RESET' });
    expect(await estop(v)).toMatchObject({ level: 'OK' });
  });

  it('a pin and a firmware that disagree, set by hand, are explained', async () => {
    const v = vehicle();
    v.state.files[GPIO] = '0\n';
    const check = await estop(v);
    expect(check.level).toBe('ERROR');
    expect(check.message).toContain('the firmware has not registered the stop');
  });

  it('an E-Stop input that is not exported is STALE, and a stopped firmware leaves the latch unknown', async () => {
    const v = vehicle();
    v.stopService('firmware');
    expect((await estop(v)).message).toContain("the firmware's state could not be read (127.0.0.1:8081:");
    delete v.state.files[GPIO];
    const check = await estop(v);
    expect(check.level).toBe('STALE');
    expect(check.message).toContain(`${GPIO} does not exist (is gpio59 exported?)`);
  });
});
