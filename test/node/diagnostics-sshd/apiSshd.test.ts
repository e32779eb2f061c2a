import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { CheckResult, DiagnosisReport } from '../../../shared/domain/health';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../../shared/domain/thresholds';
import { runCli } from '../../../electron/cli/main';
import { createCore, type Core } from '../../../electron/core/createCore';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { captureIo } from '../../support/cli/captureIo';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const UNIT = 'bench-api';

/**
 * The api and rs485 checks against a real OpenSSH sshd: the container's real curl, run by the sweep's batch on
 * the "vehicle", asks a fake backend and a fake firmware on 127.0.0.1 that the unit's profile points at.
 */
describe('api and rs485 checks through a real sshd and real curl', () => {
  let sshd: SshdFixture;
  let http: FakeVehicleHttp;
  let dataDir: string;
  let core: Core;

  const setThresholds = async (thresholds: Thresholds): Promise<void> => {
    expect(await core.dispatch('settings.setThresholds', { thresholds })).toMatchObject({ ok: true });
  };

  const diagnose = async (): Promise<{ report: DiagnosisReport; checks: Map<string, CheckResult> }> => {
    const result = await core.dispatch('diagnostics.run', { names: [UNIT] });
    expect(result).toMatchObject({ ok: true });
    const report = (result as { value: DiagnosisReport[] }).value[0];
    if (!report) {
      throw new Error('no report');
    }
    const checks = new Map<string, CheckResult>();
    const walk = (check: CheckResult): void => {
      checks.set(check.id, check);
      check.children?.forEach(walk);
    };
    report.checks.forEach(walk);
    return { report, checks };
  };
  const check = (checks: Map<string, CheckResult>, id: string): CheckResult => {
    const found = checks.get(id);
    if (!found) {
      throw new Error(`no check ${id}`);
    }
    return found;
  };

  beforeAll(async () => {
    sshd = await startSshd();
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    http = await startFakeVehicleHttp();
    dataDir = await mkdtemp(join(tmpdir(), 'ohtw-api-sshd-'));
    core = await createCore({ dataDir, face: 'cli', logger: createCapturingLogger().logger, env: {} });
    const added = await core.dispatch('units.add', {
      name: UNIT,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      profile: { backendPort: http.backendPort, firmwarePort: http.firmwarePort },
    });
    expect(added).toMatchObject({ ok: true, value: { profile: { variant: 'custom' } } });
    expect(await core.dispatch('units.trust', { name: UNIT, fingerprint: sshd.hostKeyFingerprint })).toMatchObject({
      ok: true,
    });
  });

  afterAll(async () => {
    await core?.close();
    await http?.close();
    await sshd?.stop();
    if (dataDir) {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  beforeEach(async () => {
    http.reset();
    await http.startFirmware();
    await setThresholds(DEFAULT_THRESHOLDS);
  });

  it('finds a healthy vehicle’s APIs and bus OK, asking each API only a handful of times', async () => {
    const { checks } = await diagnose();
    for (const id of ['api.backend', 'api.firmware', 'rs485.modules', 'rs485.bus']) {
      expect(check(checks, id), id).toMatchObject({ level: 'OK' });
    }
    expect(check(checks, 'api.backend.health').message).toMatch(
      new RegExp(`^backend API answers on :${http.backendPort}: 5 of 5 requests OK, median \\d+(\\.\\d)? ms`),
    );
    expect(check(checks, 'api.backend.auth').message).toContain('refuse requests without a valid token');
    expect(check(checks, 'api.backend.cors').message).toContain('http://localhost:3000');
    expect(check(checks, 'api.firmware.state').message).toMatch(/^the firmware is IDLE for 60 min/);
    expect(check(checks, 'rs485.bus.backend').message).toContain('needs a login');
    expect(http.requests.backend.filter((r) => r === 'GET /health')).toHaveLength(5);
    expect(http.requests.backend.length).toBeLessThanOrEqual(12);
    expect(http.requests.firmware.length).toBeLessThanOrEqual(9);
  });

  it('judges a slow API by the thresholds in the settings: WARN, then ERROR', async () => {
    await setThresholds({ ...DEFAULT_THRESHOLDS, responseTimeMs: { warning: 60, critical: 150 } });
    http.backend.delayMs = 90;
    let health = check((await diagnose()).checks, 'api.backend.health');
    expect(health).toMatchObject({ level: 'WARN', runbook: expect.stringContaining('API Endpoints Not Responding') });
    expect(health.message).toMatch(/slow: median 9\d ms/);
    http.backend.delayMs = 200;
    health = check((await diagnose()).checks, 'api.backend.health');
    expect(health.level).toBe('ERROR');
  });

  it('is ERROR with the error rate when the API fails some requests', async () => {
    http.backend.errorEvery = 5;
    const { checks, report } = await diagnose();
    expect(check(checks, 'api.backend')).toMatchObject({
      level: 'ERROR',
      runbook: 'Monitoring & Alerts › 3. Alert Actions',
    });
    expect(check(checks, 'api.backend.health').message).toContain('1 of 5 requests failed (20 % error rate: HTTP 500)');
    expect(report.level).not.toBe('OK');
  });

  it('is ERROR when the backend lets a protected endpoint through without a valid token', async () => {
    http.backend.authEnforced = false;
    const auth = check((await diagnose()).checks, 'api.backend.auth');
    expect(auth).toMatchObject({ level: 'ERROR', runbook: 'Security Incidents › 1. Unauthorized Access' });
    expect(auth.message).toContain('answered HTTP 200 without a token and with an invalid token');
  });

  it('is ERROR with "connection refused" when the firmware is down, and the bus view with it', async () => {
    await http.stopFirmware();
    const { checks } = await diagnose();
    expect(check(checks, 'api.firmware')).toMatchObject({
      level: 'ERROR',
      message: `firmware API: connection refused on :${http.firmwarePort}: nothing listens there`,
      runbook: 'Emergency › 1. System Down – Emergency Response',
    });
    expect(check(checks, 'api.firmware').evidence).toContain('curl: (7) Failed to connect to 127.0.0.1 port');
    expect(check(checks, 'rs485.modules')).toMatchObject({ level: 'ERROR' });
    expect(check(checks, 'api.backend')).toMatchObject({ level: 'OK' });
  });

  it('names an offline module in rs485.modules', async () => {
    http.firmware.modules = http.firmware.modules.map((m) => (m.address === 3 ? { ...m, online: false } : m));
    const { checks } = await diagnose();
    expect(check(checks, 'rs485.modules')).toMatchObject({
      level: 'ERROR',
      runbook: 'Emergency › 3. Communication Failure – Network Issues',
    });
    expect(check(checks, 'rs485.modules.safety').message).toMatch(/^Safety 0x03 is offline/);
    expect(check(checks, 'rs485.modules.power').level).toBe('OK');
  });

  it('is STALE, saying why, when the firmware answers garbage instead of JSON', async () => {
    http.firmware.garbage = true;
    const { checks } = await diagnose();
    expect(check(checks, 'api.firmware')).toMatchObject({ level: 'STALE' });
    expect(check(checks, 'api.firmware.health').message).toContain('its health answer is not JSON ("<html><body>502');
    expect(check(checks, 'rs485.modules')).toMatchObject({ level: 'STALE' });
  });

  it('says "not offered by this build" for a firmware without the statistics endpoint', async () => {
    http.firmware.missing.add('/api/v1/modules/stats');
    const { checks } = await diagnose();
    expect(check(checks, 'rs485.bus.stats')).toMatchObject({ level: 'OK' });
    expect(check(checks, 'rs485.bus.stats').message).toContain('not offered by this build');
  });

  it('prints the api and rs485 lines in ohtw diagnose, as a technician reads them', async () => {
    http.backend.corsOrigin = null;
    const io = captureIo({});
    const code = await runCli(['diagnose', UNIT, '--data-dir', dataDir], io);
    expect(code).toBeGreaterThanOrEqual(1);
    expect(io.stdout()).toMatch(/WARN\s+api\.backend\s/);
    expect(io.stdout()).toMatch(/OK\s+rs485\.modules\s+all 4 expected modules online/);
  });
});
