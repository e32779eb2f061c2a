import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunView } from '../../../shared/ipc/contracts/procedureRuns';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { emptyOutcome } from '../../../electron/core/procedures/runner/execute';
import { RunStore } from '../../../electron/core/procedures/runner/runStore';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { RUNNING, runFixture, t, type RunFixture } from './runFixture';

const CONFIG_ERROR =
  'yaml.scanner.ScannerError: mapping values are not allowed here in "/opt/oht50/config/system.yaml", line 12, column 9';
const FAILED = {
  LoadState: 'loaded',
  ActiveState: 'failed',
  SubState: 'failed',
  Result: 'exit-code',
  UnitFileState: 'enabled',
};

/** Test procedure: a slow step (to cut the link under), then a gated one whose parameter must stay one argument. */
const RESUME_PROCEDURE = {
  id: 'test.resume',
  version: 1,
  category: 'recovery',
  title: t('Resume test'),
  summary: t('A slow step, then a gated one'),
  runbook: 'Recovery › 1. Service Recovery',
  parameters: [{ name: 'marker', label: t('Marker file'), type: 'path' }],
  steps: [
    { id: 'intro', kind: 'info', title: t('Intro') },
    { id: 'slow', kind: 'action', title: t('Slow'), mutating: false, command: { program: 'sleep', args: ['5'] } },
    {
      id: 'mark',
      kind: 'action',
      title: t('Mark'),
      mutating: true,
      gates: ['unit.reachable'],
      command: { program: 'touch', args: [{ param: 'marker' }] },
    },
  ],
};

const lastAttempt = (view: RunView) => view.attempts[view.attempts.length - 1];

describe('procedure runs against a real sshd', () => {
  let sshd: SshdFixture;
  let http: FakeVehicleHttp;
  let fx: RunFixture;

  beforeAll(async () => {
    sshd = await startSshd();
    http = await startFakeVehicleHttp();
    fx = await runFixture(sshd, 'unit-svc', {
      estopGpioPath: sshd.estopGpioPath,
      installDir: sshd.installDir,
      backendPort: http.backendPort,
      firmwarePort: http.firmwarePort,
    });
    await sshd.setEstopPin('1');
  });
  afterAll(async () => {
    await fx?.close();
    await http?.close();
    await sshd?.stop();
  });

  it("service won't start: finds the config error in the journal, and the start fails until it is fixed", async () => {
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', { ...FAILED, FakeStartError: CONFIG_ERROR });
    await sshd.appendJournal('oht50-firmware', [{ message: CONFIG_ERROR, priority: 3, identifier: 'oht50_main' }]);

    let view = await fx.start('troubleshooting.service-wont-start');
    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'firmware-service', status: 'failed' });
    expect(lastAttempt(view)?.outcome.level).toBe('ERROR');
    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'backend-service', status: 'done' });

    // The firmware's log check finds the configuration error, names the file, and keeps the line as evidence.
    view = await fx.step(view, { kind: 'run' });
    const log = lastAttempt(view);
    expect(log).toMatchObject({ stepId: 'firmware-log', status: 'failed' });
    expect(log?.outcome.message).toContain('configuration error');
    expect(log?.outcome.message).toContain('system.yaml');
    expect(log?.outcome.output).toContain('ScannerError: mapping values are not allowed here');
    expect(view.current?.stepId).toBe('backend-log');
    view = await fx.step(view, { kind: 'run' });

    // The journal itself, read through sudo journalctl as the runbook does.
    expect(view.current?.stepId).toBe('firmware-journal');
    expect(view.current?.plans[0]?.plan.commands).toEqual([
      { line: 'journalctl -u oht50-firmware -n 100 --no-pager', sudo: true },
    ]);
    view = await fx.step(view, { kind: 'confirm' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'firmware-journal', status: 'done' });
    expect(lastAttempt(view)?.outcome.output).toContain(`oht50_main[812]: ${CONFIG_ERROR}`);

    view = await fx.step(view, { kind: 'confirm' }); // backend-journal
    view = await fx.step(view, { kind: 'run' }); // dependencies: the failed firmware unit
    expect(view.current?.stepId).toBe('config');
    for (const stepId of ['config', 'env-keys']) {
      view = await fx.step(view, { kind: 'skip', reason: 'the file is read on the bench instead' }, stepId);
    }
    view = await fx.step(view, { kind: 'confirm' }); // permissions: ls -la
    view = await fx.step(view, { kind: 'decision', option: 'no' });
    view = await fx.step(view, { kind: 'skip', reason: 'ports checked by the diagnosis already' }, 'ports');
    expect(view.current?.stepId).toBe('fix');
    view = await fx.step(view, { kind: 'manual', confirmed: true, note: 'corrected line 12 of system.yaml' });

    // Restarting it (which starts a stopped service) while the configuration is still broken fails, and the journal gets the error again.
    expect(view.current?.stepId).toBe('start-firmware');
    view = await fx.step(view, { kind: 'confirm' });
    const start = lastAttempt(view);
    expect(start).toMatchObject({ stepId: 'start-firmware', status: 'failed' });
    expect(start?.outcome.gates).toEqual([expect.objectContaining({ gate: 'vehicle.stopped', status: 'green' })]);
    expect(start?.outcome.message).toBe('oht50-firmware: systemctl restart failed (exit 1); it is failed');
    expect(start?.outcome.output).toContain('Job for oht50-firmware.service failed');
    const journal = await readFile(join(sshd.vehicleDir, 'journal', 'oht50-firmware.service.log'), 'utf8');
    expect(journal.match(/ScannerError/g)).toHaveLength(2);

    // Fixed: confirmed again, it starts.
    await sshd.setService('oht50-firmware', FAILED);
    view = await fx.step(view, { kind: 'confirm' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'start-firmware', status: 'done' });
    expect(lastAttempt(view)?.outcome.message).toBe('oht50-firmware: restart done; it is active');
    view = await fx.step(view, { kind: 'confirm' }); // start-backend
    expect(lastAttempt(view)).toMatchObject({ stepId: 'start-backend', status: 'done' });
    view = await fx.step(view, { kind: 'skip', reason: 'read the journal above' }, 'journal-after');
    view = await fx.step(view, { kind: 'run' });
    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'verify-backend', status: 'done' });
    expect(view.state).toBe('completed');
  });

  it('resumes after the connection drops mid-action and after a restart: the cut step is interrupted and runs again only when confirmed', async () => {
    const pwned = `ohtw-pwned-${process.pid}`;
    const marker = `/tmp/ohtw resume 'x';$(touch ${pwned}) \`touch ${pwned}\``;
    await rm(marker, { force: true });
    await fx.addProcedure('test.resume.v1.json', RESUME_PROCEDURE);
    let view = await fx.start('test.resume', { marker });
    view = await fx.step(view, { kind: 'ack' });
    expect(view.current?.stepId).toBe('slow');

    const running = fx.step(view, { kind: 'confirm' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await fx.connections[fx.connections.length - 1]?.close();
    view = await running;
    expect(lastAttempt(view)).toMatchObject({ stepId: 'slow', status: 'interrupted' });
    expect(lastAttempt(view)?.outcome.message).toMatch(/^interrupted: .*must be confirmed again/);
    expect(view.current).toMatchObject({ stepId: 'slow', interrupted: true });

    // The app is closed and opened again: the run is where it was.
    await fx.restart();
    view = await fx.call<RunView>('procedures.run.get', { runId: view.runId });
    expect(view.state).toBe('running');
    expect(view.current).toMatchObject({ stepId: 'slow', interrupted: true });
    expect(view.steps.map((s) => s.status)).toEqual(['done', 'current', 'pending']);

    view = await fx.step(view, { kind: 'confirm' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'slow', status: 'done' });
    expect(view.current?.plans[0]?.plan.commands[0]?.line).toBe(
      `touch '/tmp/ohtw resume '\\''x'\\'';$(touch ${pwned}) \`touch ${pwned}\`'`,
    );
    view = await fx.step(view, { kind: 'confirm' });
    expect(lastAttempt(view)?.outcome.gates).toEqual([
      expect.objectContaining({ gate: 'unit.reachable', status: 'green' }),
    ]);
    expect(view.state).toBe('completed');
    // The parameter reached touch as one argument: that file exists, and nothing was run from it.
    expect(existsSync(marker)).toBe(true);
    expect(existsSync(join('/home', sshd.user, pwned))).toBe(false);
    expect(existsSync(join('/tmp', pwned))).toBe(false);
    await rm(marker, { force: true });
  });

  it('recovers an action left started by a crash as interrupted', async () => {
    await fx.addProcedure('test.resume.v1.json', RESUME_PROCEDURE);
    let view = await fx.start('test.resume', { marker: '/tmp/ohtw-crash-marker' });
    view = await fx.step(view, { kind: 'ack' });
    // What a crash mid-action leaves: the attempt written as started, never finished.
    const raw = openHistoryDatabase(join(fx.dataDir, 'history.sqlite3'));
    new RunStore(raw).addAttempt(view.runId, {
      stepId: 'slow',
      unit: 'unit-svc',
      status: 'started',
      actor: 'tech-a',
      startedAt: new Date().toISOString(),
      endedAt: null,
      outcome: { ...emptyOutcome(), message: 'running' },
    });
    raw.close();
    await fx.restart();
    view = await fx.call<RunView>('procedures.run.get', { runId: view.runId });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'slow', status: 'interrupted' });
    expect(view.current).toMatchObject({ stepId: 'slow', interrupted: true });
    await fx.call('procedures.run.abort', { runId: view.runId, reason: 'test over' });
  });
});
