import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DiagnosisReportSchema, type DiagnosisReport } from '../../../shared/domain/health';
import { runCli } from '../../../electron/cli/main';
import { captureIo } from '../../support/cli/captureIo';
import { diagnosedUnit, type DiagnosedUnit } from '../../support/sshd/diagnoseUnit';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const STOPPED = { LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', UnitFileState: 'enabled' };

/**
 * The vehicle as it is: the backend folder `750 oht:oht` (the login user cannot see the database or the .env), the
 * login user with `sudo -n`. What needs root is read through sudo, and the unit's verdict is the worst judged level.
 */
describe('a unit whose backend folder is 750 oht:oht, over a real sshd', () => {
  let sshd: SshdFixture;
  let unit: DiagnosedUnit;

  const diagnoseCli = async (): Promise<{ code: number; report: DiagnosisReport }> => {
    const io = captureIo({});
    const code = await runCli(['diagnose', unit.name, '--json', '--data-dir', unit.dataDir], io);
    return { code, report: DiagnosisReportSchema.parse(JSON.parse(io.stdout())) };
  };
  const check = (report: DiagnosisReport, id: string) => report.checks.find((c) => c.id === id);

  beforeAll(async () => {
    sshd = await startSshd();
    await sshd.createDatabase();
    await sshd.lockBackendFolder(true);
    unit = await diagnosedUnit(sshd, 'unit-750', { installDir: sshd.installDir, estopGpioPath: sshd.estopGpioPath });
  });
  afterAll(async () => {
    await unit?.close();
    await sshd?.lockBackendFolder(false);
    await sshd?.stop();
  });
  beforeEach(async () => {
    await sshd.setService('oht50-firmware', RUNNING);
  });

  it('reads the database and the .env through sudo -n, as the backup does', async () => {
    await sshd.setService('oht50-backend', RUNNING);
    const { report } = await diagnoseCli();
    expect(check(report, 'data.database')).toMatchObject({
      level: 'OK',
      message: expect.stringMatching(/is intact .*\(read through sudo -n: the login user cannot\)$/),
    });
    expect(check(report, 'config.env')).toMatchObject({
      level: 'OK',
      message: `${sshd.envFilePath} is present (its content is not read); seen through sudo -n: the login user cannot`,
    });
    expect(check(report, 'config.env')?.evidence).not.toContain('JWT_SECRET');
  });

  it('gives ERROR (exit 2) for a stopped backend, not STALE', async () => {
    await sshd.setService('oht50-backend', STOPPED);
    const { code, report } = await diagnoseCli();
    expect(check(report, 'services.backend')?.level).toBe('ERROR');
    expect(check(report, 'data.database')?.level).toBe('OK');
    expect(report.level).toBe('ERROR');
    expect(code).toBe(2);
  });
});

describe('the same unit reached by a login user without sudo', () => {
  let sshd: SshdFixture;
  let unit: DiagnosedUnit;

  beforeAll(async () => {
    sshd = await startSshd();
    await sshd.createDatabase();
    await sshd.lockBackendFolder(true);
    unit = await diagnosedUnit({ ...sshd, user: sshd.noSudoUser }, 'unit-nosudo', {
      installDir: sshd.installDir,
      estopGpioPath: sshd.estopGpioPath,
    });
  });
  afterAll(async () => {
    await unit?.close();
    await sshd?.lockBackendFolder(false);
    await sshd?.stop();
  });

  it('shows the database STALE with the reason beside the ERROR, which it does not hide', async () => {
    await sshd.setService('oht50-firmware', RUNNING);
    await sshd.setService('oht50-backend', STOPPED);
    const { report, checks } = await unit.diagnose();
    expect(checks.get('data.database')).toMatchObject({
      level: 'STALE',
      message: expect.stringContaining('cannot read') as unknown,
    });
    expect(checks.get('data.database')?.message).toContain('sudo -n wants a password');
    expect(checks.get('config.env')?.level).toBe('STALE');
    expect(checks.get('services.backend')?.level).toBe('ERROR');
    expect(report.level).toBe('ERROR');
  });
});
