import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DiagnosisReportSchema, exitCodeForLevel } from '../../../shared/domain/health';
import { runCli } from '../../../electron/cli/main';
import { CHECK_MODULES } from '../../../electron/core/diagnostics/modules';
import { captureIo } from '../../support/cli/captureIo';
import { diagnosedUnit, type DiagnosedUnit } from '../../support/sshd/diagnoseUnit';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const CRASH_LOOP = {
  LoadState: 'loaded',
  ActiveState: 'activating',
  SubState: 'auto-restart',
  Result: 'exit-code',
  NRestarts: '4',
  UnitFileState: 'enabled',
  Description: 'OHT-50 Backend API',
};

/** logs.* and services.failed through a real sshd: the sweep's batch runs the fake journalctl and systemctl there. */
describe('logs and failed units against a real sshd', () => {
  let sshd: SshdFixture;
  let unit: DiagnosedUnit;

  beforeAll(async () => {
    sshd = await startSshd();
    unit = await diagnosedUnit(sshd, 'bench-logs', {
      estopGpioPath: sshd.estopGpioPath,
      installDir: sshd.installDir,
    });
  });
  afterAll(async () => {
    await unit?.close();
    await sshd?.stop();
  });
  beforeEach(async () => {
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    await sshd.restoreTool('journalctl');
  });

  it('is OK for a service whose journal holds only old or harmless lines', async () => {
    const hourAgo = Date.now() - 2 * 3600_000;
    await sshd.appendJournal('oht50-firmware', [
      { message: '[ERROR] RS485 timeout on module 0x03', priority: 6, identifier: 'oht50_main', atMs: hourAgo },
      { message: '[INFO] System state = IDLE', identifier: 'oht50_main' },
    ]);
    const { checks } = await unit.diagnose();
    expect(checks.get('logs.firmware')).toMatchObject({
      level: 'OK',
      message: 'oht50-firmware: no errors or warnings in the last 60 min',
    });
    expect(checks.get('services.failed')).toMatchObject({ level: 'OK', message: 'no failed systemd units' });
  });

  it('names the configuration error of a backend that fails to start, and lists nothing as failed while it loops', async () => {
    await sshd.setService('oht50-backend', CRASH_LOOP);
    const attempt = (atMs: number) => [
      { message: 'Started OHT-50 Backend API.', identifier: 'systemd', pid: 1, atMs },
      { message: 'Traceback (most recent call last):', atMs: atMs + 900 },
      { message: 'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings', atMs: atMs + 900 },
      { message: 'JWT_EXPIRY', atMs: atMs + 900 },
      {
        message: 'oht50-backend.service: Main process exited, code=exited, status=1/FAILURE',
        priority: 5,
        identifier: 'systemd',
        pid: 1,
        atMs: atMs + 1000,
      },
      {
        message: "oht50-backend.service: Failed with result 'exit-code'.",
        priority: 4,
        identifier: 'systemd',
        pid: 1,
        atMs: atMs + 1000,
      },
    ];
    const now = Date.now();
    await sshd.appendJournal('oht50-backend', [...attempt(now - 9000), ...attempt(now - 5000)]);

    const { checks } = await unit.diagnose();
    expect(checks.get('services.backend')).toMatchObject({ level: 'ERROR' });
    const logs = checks.get('logs.backend');
    expect(logs).toMatchObject({ level: 'WARN', runbook: "Troubleshooting › 1. Service Won't Start" });
    expect(logs?.message).toBe(
      'oht50-backend: 2 errors and 2 warnings in the last 60 min; configuration error: pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings',
    );
    expect(logs?.evidence).toContain('$ sudo -n journalctl -u oht50-backend --since=-60min -p warning');
    expect(logs?.evidence).toMatch(/ info uvicorn\[812\]: pydantic_core\._pydantic_core\.ValidationError/);
  });

  it('lists failed units, an OHT-50 one as ERROR, and shows installed dependencies as children', async () => {
    await sshd.setService('oht50-firmware', {
      ...RUNNING,
      ActiveState: 'failed',
      SubState: 'failed',
      Result: 'exit-code',
      Description: 'OHT-50 Master Control Firmware',
    });
    await sshd.setService('redis-server', { ...RUNNING, Description: 'Advanced key-value store' });
    await sshd.setService('postgresql', {
      ...RUNNING,
      ActiveState: 'failed',
      SubState: 'failed',
      Result: 'exit-code',
      Description: 'PostgreSQL RDBMS',
    });
    try {
      const { checks } = await unit.diagnose();
      const failed = checks.get('services.failed');
      expect(failed).toMatchObject({ level: 'ERROR', runbook: "Troubleshooting › 1. Service Won't Start" });
      expect(failed?.message).toBe(
        '2 failed systemd units: oht50-firmware.service (OHT-50 Master Control Firmware), postgresql.service (PostgreSQL RDBMS)',
      );
      expect(checks.get('services.failed.postgresql')).toMatchObject({
        level: 'ERROR',
        runbook: 'Troubleshooting › 3. Database Connection Issues',
      });
      expect(checks.get('services.failed.redis')).toMatchObject({ level: 'OK' });
    } finally {
      await sshd.setService('redis-server', null);
      await sshd.setService('postgresql', null);
    }
  });

  it('is STALE, and the sweep still finishes, when the vehicle has no journalctl (through the CLI)', async () => {
    await sshd.hideTool('journalctl');
    await unit.core.close();
    const io = captureIo({});
    const code = await runCli(['diagnose', unit.name, '--json', '--data-dir', unit.dataDir], io);
    const report = DiagnosisReportSchema.parse(JSON.parse(io.stdout()));
    // The unit's level is its worst judged problem; the unreadable journal shows beside it without hiding it.
    expect(code).toBe(exitCodeForLevel(report.level));
    const logs = report.checks.find((c) => c.id === 'logs.backend');
    expect(logs).toMatchObject({ level: 'STALE' });
    expect(logs?.message).toBe(
      'oht50-backend: the journal could not be read: a tool is missing on the vehicle (sh: 1: journalctl: not found)',
    );
    expect(report.checks.find((c) => c.id === 'logs.firmware')?.level).toBe('STALE');
    // Every other check was still judged in the same sweep.
    const levels = new Map(report.checks.map((c) => [c.id, c.level]));
    expect(levels.get('services.backend')).toBe('OK');
    expect(levels.get('services.failed')).toBe('OK');
    expect(levels.get('safety.estop')).toBe('STALE'); // this unit's E-Stop input was never written
    expect(CHECK_MODULES.flatMap((m) => m.checkIds).filter((id) => !levels.has(id))).toEqual([]);
  });
});
