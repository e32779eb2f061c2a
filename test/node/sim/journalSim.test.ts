import { describe, expect, it } from 'vitest';

import { logsModule } from '../../../electron/core/diagnostics/modules/logsModule';
import { servicesModule } from '../../../electron/core/diagnostics/modules/servicesModule';
import type { SimVehicle } from '../../../electron/sim/SimVehicle';
import { SIM_NOW as NOW, simRun as run, simVehicle, sweepSim } from '../../support/sim/simSweep';

const vehicle = (variant: 'runbook' | 'newer' = 'runbook'): SimVehicle => simVehicle(variant);

async function sweep(v: SimVehicle) {
  const checks = await sweepSim(v, [servicesModule, logsModule]);
  return new Map(checks.map((c) => [c.id, c]));
}

describe('the simulated journal', () => {
  it('holds what each service printed when it came up, per unit', () => {
    const v = vehicle();
    const backend = run(v, 'sudo journalctl -u oht50-backend -o short-iso --no-pager');
    expect(backend.exitCode).toBe(0);
    expect(backend.stdout.split('\n')[0]).toBe(
      '2026-11-28T13:49:27+0000 sim-01 systemd[1]: Started OHT-50 Backend API.',
    );
    expect(backend.stdout).toContain('uvicorn[701]: INFO:     Application startup complete.');
    expect(backend.stdout).not.toContain('oht50_main');
    const firmware = run(v, 'sudo journalctl -u oht50-firmware.service -o cat -n 1');
    expect(firmware.stdout).toBe('[INFO] System state = IDLE\n');
  });

  it('filters by time, priority and pattern, and says when nothing is left', () => {
    const v = vehicle();
    expect(run(v, 'sudo journalctl -u oht50-backend --since=-60min --no-pager').stdout).toBe('-- No entries --\n');
    expect(run(v, 'sudo journalctl -u oht50-backend --since "3 h ago" -p warning -q').stdout).toBe('');
    v.crashService('backend', { exitStatus: 3 });
    const warnings = run(v, 'sudo journalctl -u oht50-backend --since=-60min -p warning -o cat');
    expect(warnings.stdout).toBe("oht50-backend.service: Failed with result 'exit-code'.\n");
    const notices = run(v, 'sudo journalctl -u oht50-backend --since=-60min -p notice..warning -o cat');
    expect(notices.stdout).toBe(
      "oht50-backend.service: Main process exited, code=exited, status=3/3\noht50-backend.service: Failed with result 'exit-code'.\n",
    );
  });

  it('matches --grep case-insensitively unless the pattern has capitals, and exits 1 without a match', () => {
    const v = vehicle();
    expect(run(v, "sudo journalctl -u oht50-firmware -o cat --grep='system state'")).toMatchObject({
      exitCode: 0,
      stdout: '[INFO] System state = IDLE\n',
    });
    expect(run(v, "sudo journalctl -u oht50-firmware -o cat --grep='system State'")).toMatchObject({
      exitCode: 1,
      stdout: '-- No entries --\n',
    });
  });

  it('prints json with the fields asked for and the ones journalctl always adds', () => {
    const v = vehicle();
    const out = run(
      v,
      'sudo journalctl -u oht50-backend -n 1 -o json --output-fields=PRIORITY,MESSAGE,SYSLOG_IDENTIFIER,_PID',
    );
    const entry = JSON.parse(out.stdout) as Record<string, string>;
    expect(Object.keys(entry)).toEqual([
      '__CURSOR',
      '__REALTIME_TIMESTAMP',
      '__MONOTONIC_TIMESTAMP',
      '_BOOT_ID',
      'PRIORITY',
      'SYSLOG_IDENTIFIER',
      '_PID',
      'MESSAGE',
    ]);
    expect(entry).toMatchObject({ PRIORITY: '6', SYSLOG_IDENTIFIER: 'uvicorn', _PID: '701' });
    expect(entry.__REALTIME_TIMESTAMP).toBe(String((NOW - 2 * 3600_000 + 12_000) * 1000));
    expect(entry.__CURSOR).toMatch(/^s=[0-9a-f]{32};i=[0-9a-f]+;b=/);
  });

  it('shows the login user nothing but a hint unless it is in the journal groups', () => {
    const v = vehicle();
    const plain = run(v, 'journalctl -u oht50-backend -o cat');
    expect(plain.stdout).toBe('-- No entries --\n');
    expect(plain.stderr).toContain('Hint: You are currently not seeing messages from other users and the system.');
    v.state.journal.loginUserCanRead = true;
    expect(run(v, 'journalctl -u oht50-backend -o cat -n 1').stdout).toBe(
      'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)\n',
    );
  });

  it("refuses what it does not know with journalctl's texts", () => {
    const v = vehicle();
    expect(run(v, 'journalctl --frobnicate')).toMatchObject({
      exitCode: 1,
      stderr: "journalctl: unrecognized option '--frobnicate'\n",
    });
    expect(run(v, 'journalctl --since=yesterweek')).toMatchObject({
      exitCode: 1,
      stderr: 'Failed to parse timestamp: yesterweek\n',
    });
    expect(run(v, 'journalctl -p loud').stderr).toBe('Unknown log level loud\n');
  });
});

describe('a service that fails on its configuration', () => {
  it('crash-loops with the config error in its journal, and comes back once the config is fixed', () => {
    const v = vehicle();
    const cause = v.failWithConfigError('backend');
    expect(cause).toBe('pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings');
    expect(v.service('backend')).toMatchObject({
      activeState: 'activating',
      subState: 'auto-restart',
      result: 'exit-code',
      mainPid: 0,
    });
    const journal = run(v, 'sudo journalctl -u oht50-backend --since=-60min -o cat').stdout;
    expect(journal.split('\n').filter((l) => l === cause)).toHaveLength(3);
    expect(journal).toContain('oht50-backend.service: Scheduled restart job, restart counter is at 2.');
    // A manual start meets the same error.
    expect(run(v, 'sudo systemctl start oht50-backend').exitCode).toBe(0);
    expect(v.service('backend').activeState).toBe('activating');
    v.fixConfig('backend');
    expect(v.service('backend')).toMatchObject({ activeState: 'active', subState: 'running' });
  });

  it('makes services.backend an ERROR and names the ValidationError in logs.backend', async () => {
    const v = vehicle();
    v.failWithConfigError('backend');
    const checks = await sweep(v);
    expect(checks.get('services.backend')?.level).toBe('ERROR');
    const logs = checks.get('logs.backend');
    expect(logs).toMatchObject({ level: 'WARN', runbook: "Troubleshooting › 1. Service Won't Start" });
    expect(logs?.message).toBe(
      'oht50-backend: 3 errors and 3 warnings in the last 60 min; configuration error: pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings',
    );
    expect(checks.get('logs.firmware')).toMatchObject({ level: 'OK' });
  });

  it('names the firmware YAML error in logs.firmware, on the newer unit name too', async () => {
    const v = vehicle('newer');
    v.failWithConfigError('firmware', 10);
    const checks = await sweep(v);
    const logs = checks.get('logs.firmware');
    expect(logs?.level).toBe('ERROR');
    expect(logs?.message).toMatch(
      /^oht50: 20 errors and 10 warnings in the last 60 min; configuration error: \[ERROR\] Failed to load \/etc\/oht50\/modules\.yaml: line 14, column 9: mapping values are not allowed here$/,
    );
    expect(logs?.evidence).toContain('[FATAL] Configuration invalid, exiting');
  });

  it('is OK on a healthy vehicle, whose start-up lines are older than the window', async () => {
    const checks = await sweep(vehicle());
    expect([...checks.values()].map((c) => [c.id, c.level])).toEqual([
      ['services.backend', 'OK'],
      ['services.firmware', 'OK'],
      ['logs.backend', 'OK'],
      ['logs.firmware', 'OK'],
    ]);
  });

  it('is STALE when the vehicle has no journalctl', async () => {
    const v = vehicle();
    v.removeProgram('journalctl');
    expect(run(v, 'journalctl -n 1')).toMatchObject({ exitCode: 127, stderr: 'sh: 1: journalctl: not found\n' });
    const checks = await sweep(v);
    expect(checks.get('logs.backend')).toMatchObject({ level: 'STALE' });
    expect(checks.get('logs.backend')?.message).toContain('a tool is missing on the vehicle');
    v.restoreProgram('journalctl');
    expect((await sweep(v)).get('logs.backend')?.level).toBe('OK');
  });
});
