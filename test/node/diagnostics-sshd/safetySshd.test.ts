import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { diagnosedUnit, type DiagnosedUnit } from '../../support/sshd/diagnoseUnit';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const ESTOP_SECTION = 'Emergency › 2. E-Stop Triggered – Safety Response';

/**
 * safety.estop through a real sshd: the batch reads the fake gpio59 file with the real cat and asks the fake
 * firmware (test/support/fakeVehicleHttp) on 127.0.0.1 with the real curl, both named by the unit's profile.
 */
describe('the E-Stop check against a real sshd', () => {
  let sshd: SshdFixture;
  let http: FakeVehicleHttp;
  let unit: DiagnosedUnit;

  const estop = async () => {
    const { checks } = await unit.diagnose();
    const check = checks.get('safety.estop');
    if (!check) {
      throw new Error('no safety.estop check');
    }
    return check;
  };

  beforeAll(async () => {
    sshd = await startSshd();
    http = await startFakeVehicleHttp();
    unit = await diagnosedUnit(sshd, 'bench-estop', {
      estopGpioPath: sshd.estopGpioPath,
      installDir: sshd.installDir,
      backendPort: http.backendPort,
      firmwarePort: http.firmwarePort,
    });
  });
  afterAll(async () => {
    await unit?.close();
    await http?.close();
    await sshd?.stop();
  });
  beforeEach(async () => {
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
  });

  it('is OK when the input reads 1 and the firmware is IDLE', async () => {
    await sshd.setEstopPin('1');
    http.firmware.state = 'IDLE';
    const check = await estop();
    expect(check.level).toBe('OK');
    expect(check.message).toBe(
      `E-Stop is released (E-Stop input ${sshd.estopGpioPath} reads 1); the firmware reports IDLE, last event INIT_COMPLETE`,
    );
    expect(check.evidence).toContain(`$ cat ${sshd.estopGpioPath}\n1\n(exit 0)`);
    expect(check.evidence).toContain(
      `http://127.0.0.1:${http.firmwarePort}/api/v1/system/state; echo "@@ohtw-exit $?"`,
    );
  });

  it('is ERROR with the E-Stop section when the input reads 0 (pressed)', async () => {
    await sshd.setEstopPin('0');
    http.firmware.state = 'ESTOP';
    const check = await estop();
    expect(check).toMatchObject({ level: 'ERROR', runbook: ESTOP_SECTION });
    expect(check.message).toMatch(
      /^E-Stop is pressed \(.* reads 0, active-low\); the firmware reports ESTOP, fault ESTOP/,
    );
  });

  it('says released but still latched when the input reads 1 and the firmware stays in ESTOP', async () => {
    await sshd.setEstopPin('1');
    http.firmware.state = 'ESTOP';
    const check = await estop();
    expect(check).toMatchObject({ level: 'WARN', runbook: ESTOP_SECTION });
    expect(check.message).toBe(
      `E-Stop released but still latched: reset needed (E-Stop input ${sshd.estopGpioPath} reads 1, the firmware reports ESTOP, fault ESTOP, last event INIT_COMPLETE)`,
    );
  });

  it('is STALE with the reason when the input is not there', async () => {
    await sshd.setEstopPin(null);
    http.firmware.state = 'IDLE';
    const check = await estop();
    expect(check.level).toBe('STALE');
    expect(check.message).toBe(
      `the E-Stop input cannot be read: ${sshd.estopGpioPath} does not exist (is gpio59 exported?); the firmware reports IDLE, last event INIT_COMPLETE`,
    );
    expect(check.evidence).toContain('No such file or directory');
  });
});
