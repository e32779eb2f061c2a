import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { diagnosedUnit, type DiagnosedUnit } from '../../support/sshd/diagnoseUnit';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const SECTION = 'Emergency › 3. Communication Failure – Network Issues';

/** The clock check through a real sshd: the vehicle's `date` runs a set number of seconds off the real clock. */
describe('the clock check against a real sshd', () => {
  let sshd: SshdFixture;
  let unit: DiagnosedUnit;

  const clock = async () => {
    const { checks } = await unit.diagnose();
    const check = checks.get('clock');
    if (!check) {
      throw new Error('no clock check');
    }
    return check;
  };

  beforeAll(async () => {
    sshd = await startSshd();
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    unit = await diagnosedUnit(sshd, 'bench-clock', { installDir: sshd.installDir, estopGpioPath: sshd.estopGpioPath });
  });
  afterAll(async () => {
    await unit?.close();
    await sshd?.stop();
  });

  it('is ERROR when the vehicle runs five minutes ahead', async () => {
    await sshd.setClockOffset(300);
    const check = await clock();
    expect(check).toMatchObject({ level: 'ERROR', runbook: SECTION });
    expect(check.message).toMatch(
      /^the vehicle's clock is (at least )?(29\d|30\d) s ahead of this laptop's \(±[\d.]+ s\)/,
    );
    expect(check.evidence).toMatch(/^\$ date \+%s%N\n\d{19}\n\(exit 0\)\nlaptop: sent /);
  });

  it('is WARN when it runs half a minute behind', async () => {
    await sshd.setClockOffset(-30);
    const check = await clock();
    expect(check).toMatchObject({ level: 'WARN', runbook: SECTION });
    expect(check.message).toMatch(/^the vehicle's clock is (at least )?\d\d s behind this laptop's/);
  });
});
