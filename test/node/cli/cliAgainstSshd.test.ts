import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DiagnosisReportSchema, exitCodeForLevel, type DiagnosisReport } from '../../../shared/domain/health';
import { runCli } from '../../../electron/cli/main';
import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { HISTORY_FILE } from '../../../electron/core/createCore';
import { systemClock } from '../../../electron/core/ports/Clock';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { captureIo, type CapturedIo } from '../../support/cli/captureIo';
import { testAudit } from '../../support/fakes/auditKeys';

/** The CLI end to end against a real OpenSSH sshd with a non-root user, as a technician would use it. */
describe('ohtw against a real sshd', () => {
  let sshd: SshdFixture;
  let dataDir: string;
  let io: CapturedIo;
  const env = { OHTW_TEST_PASSWORD: '' };

  const run = async (...argv: string[]): Promise<number> => {
    io.reset();
    return runCli([...argv, '--data-dir', dataDir], io);
  };
  const runningProps = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };

  beforeAll(async () => {
    sshd = await startSshd();
    env.OHTW_TEST_PASSWORD = sshd.password;
    dataDir = await mkdtemp(join(tmpdir(), 'ohtw-cli-'));
    io = captureIo(env);
  });
  afterAll(async () => {
    await sshd?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await sshd.setService('oht50-backend', runningProps);
    await sshd.setService('oht50-firmware', runningProps);
  });

  it('adds a unit and refuses to diagnose it until its host key is trusted', async () => {
    expect(
      await run(
        'units',
        'add',
        'unit-7',
        '--host',
        sshd.host,
        '--port',
        String(sshd.port),
        '--user',
        sshd.user,
        '--key',
        sshd.clientKeyPath,
      ),
    ).toBe(0);
    expect(await run('diagnose', 'unit-7')).toBe(3);
    expect(io.stdout()).toContain(sshd.hostKeyFingerprint);
    expect(io.stdout()).toContain('ohtw units trust unit-7 --fingerprint');
  });

  it('pins only a key that matches the expected fingerprint', async () => {
    const wrong = 'SHA256:' + 'A'.repeat(43);
    expect(await run('units', 'trust', 'unit-7', '--fingerprint', wrong)).toBe(1);
    expect(io.stderr()).toMatch(/^ohtw: unit-7: the vehicle presents SHA256:\S+, not the expected/);
    expect(io.stderr().trim().split('\n')).toHaveLength(1);
    expect(await run('units', 'list', '--json')).toBe(0);
    expect(JSON.parse(io.stdout())[0].hostKey).toBeNull();

    expect(await run('units', 'trust', 'unit-7', '--fingerprint', sshd.hostKeyFingerprint)).toBe(0);
    expect(await run('--json', 'units', 'list')).toBe(0);
    expect(JSON.parse(io.stdout())[0].hostKey.fingerprint).toBe(sshd.hostKeyFingerprint);
  });

  /**
   * The test vehicle is a bare container: no backend on :8000, no /opt/oht50, so the other areas of the health
   * tree have their own verdicts. These tests judge the services and check that the exit code follows the level.
   */
  const diagnoseJson = async (name: string): Promise<DiagnosisReport> => {
    const code = await run('diagnose', name, '--json');
    const report = DiagnosisReportSchema.parse(JSON.parse(io.stdout()));
    expect(code).toBe(exitCodeForLevel(report.level));
    return report;
  };
  const servicesOf = (report: DiagnosisReport): [string, string][] =>
    report.checks.filter((c) => c.id.startsWith('services.') && c.id !== 'services.failed').map((c) => [c.id, c.level]);

  it('judges running services OK, and exits with the level of the whole tree', async () => {
    const report = await diagnoseJson('unit-7');
    expect(report.unit).toBe('unit-7');
    expect(servicesOf(report)).toEqual([
      ['services.backend', 'OK'],
      ['services.firmware', 'OK'],
    ]);
  });

  it('judges a stopped firmware service ERROR with the runbook section, and exits 2 or worse', async () => {
    await sshd.setService('oht50-firmware', {
      LoadState: 'loaded',
      ActiveState: 'inactive',
      SubState: 'dead',
      UnitFileState: 'enabled',
    });
    const report = await diagnoseJson('unit-7');
    expect(exitCodeForLevel(report.level)).toBeGreaterThanOrEqual(2);
    const firmware = report.checks.find((c) => c.id === 'services.firmware');
    expect(firmware).toMatchObject({ level: 'ERROR', runbook: expect.stringContaining('Service Recovery') });
    expect(firmware?.evidence).toContain('ActiveState=inactive');
    expect(await run('diagnose', 'unit-7')).toBeGreaterThanOrEqual(2);
    expect(io.stdout()).toMatch(/ERROR\s+services\.firmware\s+oht50-firmware is stopped/);
  });

  it('detects the newer firmware unit name and judges it', async () => {
    await sshd.setService('oht50-firmware', null);
    await sshd.setService('oht50', { ...runningProps, ActiveState: 'failed', SubState: 'failed', Result: 'exit-code' });
    // The test vehicle is this machine: whatever else listens on 8080/8081 here would answer its curl and move the
    // detected firmware port. Without curl the port is the newer variant's own, decided by the unit name alone.
    await sshd.hideTool('curl');
    const report = await diagnoseJson('unit-7').finally(() => sshd.restoreTool('curl'));
    expect(report.checks.find((c) => c.id === 'services.firmware')?.message).toMatch(/^oht50 has failed/);
    expect(await run('units', 'list', '--json')).toBe(0);
    expect(JSON.parse(io.stdout())[0].profile).toMatchObject({
      variant: 'newer',
      firmwareService: 'oht50',
      firmwarePort: 8080,
    });
    await sshd.setService('oht50', null);
  });

  it('lists the recorded runs and actions newest first', async () => {
    expect(await run('history', 'unit-7', '--json')).toBe(0);
    const entries = JSON.parse(io.stdout()) as { kind: string; code: string; at: string; words: string }[];
    const kinds = entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'diagnosis').length).toBeGreaterThanOrEqual(4);
    expect(entries.some((e) => e.code === 'hostkey.trust' && e.words.startsWith('Trusted the host key SHA256:'))).toBe(
      true,
    );
    const times = entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('stops hard on a changed host key, without sending any credential', async () => {
    const db = openHistoryDatabase(join(dataDir, HISTORY_FILE));
    const repo = new HistoryRepository(db, systemClock, testAudit());
    repo.pinHostKey('unit-7', { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:' + 'B'.repeat(43) });
    repo.close();
    const logStart = sshd.log().length;
    expect(await run('diagnose', 'unit-7')).toBe(3);
    expect(io.stdout()).toContain('host key changed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = sshd.log().slice(logStart);
    expect(log).not.toMatch(/Accepted|Failed|Postponed|userauth/);
    expect(await run('units', 'trust', 'unit-7')).toBe(1);
    expect(io.stderr()).toContain('host key changed');
    expect(await run('units', 'trust', 'unit-7', '--fingerprint', sshd.hostKeyFingerprint)).toBe(0);
    expect(servicesOf(await diagnoseJson('unit-7'))).toEqual([
      ['services.backend', 'OK'],
      ['services.firmware', 'OK'],
    ]);
  });

  it('uses a password from the named environment variable, and says so when it is missing', async () => {
    expect(
      await run(
        'units',
        'add',
        'unit-pw',
        '--host',
        sshd.host,
        '--port',
        String(sshd.port),
        '--user',
        sshd.user,
        '--password-env',
        'OHTW_TEST_PASSWORD',
      ),
    ).toBe(0);
    expect(await run('units', 'trust', 'unit-pw')).toBe(0);
    expect(servicesOf(await diagnoseJson('unit-pw'))).toEqual([
      ['services.backend', 'OK'],
      ['services.firmware', 'OK'],
    ]);
    expect(
      await run(
        'units',
        'add',
        'unit-nopw',
        '--host',
        sshd.host,
        '--port',
        String(sshd.port),
        '--user',
        sshd.user,
        '--password-env',
        'OHTW_UNSET_VARIABLE',
      ),
    ).toBe(0);
    expect(await run('units', 'trust', 'unit-nopw')).toBe(0);
    expect(await run('diagnose', 'unit-nopw', '--json')).toBe(3);
    const report: DiagnosisReport = DiagnosisReportSchema.parse(JSON.parse(io.stdout()));
    expect(report.checks[0]?.message).toBe(
      'unit-nopw: the password variable OHTW_UNSET_VARIABLE is not set in the environment of the workstation',
    );
  });

  it('reports bad input in one line that names the unit and the cause', async () => {
    expect(
      await run(
        'units',
        'add',
        'unit-badkey',
        '--host',
        sshd.host,
        '--port',
        String(sshd.port),
        '--user',
        sshd.user,
        '--key',
        '/nonexistent/key',
      ),
    ).toBe(0);
    expect(await run('units', 'trust', 'unit-badkey')).toBe(0);
    expect(await run('diagnose', 'unit-badkey', '--json')).toBe(3);
    expect(JSON.parse(io.stdout()).checks[0].message).toBe(
      'unit-badkey: cannot read the key file /nonexistent/key (ENOENT)',
    );

    expect(
      await run(
        'units',
        'add',
        'unit-closed',
        '--host',
        '127.0.0.1',
        '--port',
        '1',
        '--user',
        'x',
        '--key',
        sshd.clientKeyPath,
      ),
    ).toBe(0);
    expect(await run('units', 'trust', 'unit-closed')).toBe(1);
    expect(io.stderr()).toMatch(/^ohtw: unit-closed: .*refused/);
    expect(io.stderr()).not.toMatch(/\n\s+at /);

    expect(await run('units', 'add', 'bad name', '--host', 'h', '--user', 'u', '--key', 'k')).toBe(64);
    expect(io.stderr()).toMatch(/^ohtw: Invalid input for units.add: name: /);
    expect(await run('units', 'add', 'unit-7', '--host', 'h', '--user', 'u', '--key', 'k')).toBe(1);
    expect(io.stderr()).toBe('ohtw: unit unit-7 already exists\n');
    expect(await run('units', 'add', 'x', '--host', 'h', '--user', 'u')).toBe(64);
    expect(await run('diagnose', 'no-such-unit')).toBe(1);
    expect(io.stderr()).toBe('ohtw: unit no-such-unit not found (see: ohtw units list)\n');
    expect(await run('diagnose', '--frobnicate')).toBe(64);
  });

  it('diagnoses every unit with --all and returns an array', async () => {
    expect(await run('diagnose', '--all', '--json')).toBe(3);
    const reports = (JSON.parse(io.stdout()) as unknown[]).map((r) => DiagnosisReportSchema.parse(r));
    expect(reports.map((r) => r.unit).sort()).toEqual(['unit-7', 'unit-badkey', 'unit-closed', 'unit-nopw', 'unit-pw']);
    const unit7 = reports.find((r) => r.unit === 'unit-7');
    expect(unit7 && servicesOf(unit7)).toEqual([
      ['services.backend', 'OK'],
      ['services.firmware', 'OK'],
    ]);
  });

  it('removes a unit but keeps its history', async () => {
    expect(await run('units', 'remove', 'unit-pw')).toBe(0);
    expect(await run('history', 'unit-pw', '--json')).toBe(0);
    const entries = JSON.parse(io.stdout()) as { kind: string; code: string; words: string }[];
    expect(entries[0]).toMatchObject({ code: 'unit.remove', words: 'Removed the unit (its history is kept)' });
    expect(entries.some((e) => e.kind === 'diagnosis')).toBe(true);
  });
});
