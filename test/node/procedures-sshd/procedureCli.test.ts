import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { procedureRunCommand, type Prompter } from '../../../electron/cli/commands/procedureRun';
import { runCli } from '../../../electron/cli/main';
import { sha256Hex } from '../../../electron/core/procedures/runner/runStore';
import { captureIo, type CapturedIo } from '../../support/cli/captureIo';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { RUNNING, runFixture, t, type RunFixture } from './runFixture';

/** A 1×1 PNG: the photo attached to the checklist. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** ohtw procedures run / report and ohtw audit verify, end to end against a real sshd. */
describe('ohtw procedures and ohtw audit against a real sshd', () => {
  let sshd: SshdFixture;
  let http: FakeVehicleHttp;
  let fx: RunFixture;
  let io: CapturedIo;

  const cli = async (...argv: string[]): Promise<number> => {
    io.reset();
    return runCli([...argv, '--data-dir', fx.dataDir], io);
  };
  const answersFile = async (name: string, content: unknown): Promise<string> => {
    const path = join(fx.dataDir, name);
    await writeFile(path, JSON.stringify(content, null, 2));
    return path;
  };
  const sessions = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;

  beforeAll(async () => {
    sshd = await startSshd();
    http = await startFakeVehicleHttp();
    fx = await runFixture(sshd, 'unit-cli', {
      estopGpioPath: sshd.estopGpioPath,
      installDir: sshd.installDir,
      backendPort: http.backendPort,
      firmwarePort: http.firmwarePort,
    });
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    io = captureIo({}, fx.dataDir);
  });
  afterAll(async () => {
    await fx?.close();
    await http?.close();
    await sshd?.stop();
  });

  it('refuses an answers file that skips a gate confirmation before anything runs on the unit', async () => {
    await sshd.setEstopPin('1');
    http.firmware.state = 'ESTOP';
    const before = { sessions: sessions(), requests: http.requests.firmware.length };
    const file = await answersFile('estop-no-reset.json', {
      steps: {
        cause: { kind: 'manual', confirmed: true, note: 'checked the bay' },
        pressed: { kind: 'decision', option: 'released' },
        escalate: { kind: 'escalate' },
      },
    });
    expect(await cli('procedures', 'run', 'emergency.estop', '--unit', 'unit-cli', '--answers', file)).toBe(64);
    expect(io.stderr()).toContain('the answers do not cover emergency.estop v1; nothing was run');
    expect(io.stderr()).toContain(
      'step "reset" changes the vehicle (gates: estop.released) and needs its explicit confirmation',
    );
    // No run was created, no SSH session was opened, the firmware was never asked.
    expect(await fx.call('procedures.runs', { unit: 'unit-cli' })).toEqual([]);
    expect(sessions()).toBe(before.sessions);
    expect(http.requests.firmware.length).toBe(before.requests);
    expect(http.firmware.state).toBe('ESTOP');

    // An unknown step and a wrong option are refused the same way.
    const wrong = await answersFile('estop-wrong.json', {
      steps: {
        reset: { kind: 'confirm' },
        cause: { kind: 'manual', confirmed: true },
        nope: { kind: 'ack' },
        pressed: { kind: 'decision', option: 'maybe' },
      },
    });
    expect(await cli('procedures', 'run', 'emergency.estop', '--unit', 'unit-cli', '--answers', wrong)).toBe(64);
    expect(io.stderr()).toContain('answers for "nope": emergency.estop has no such step');
    expect(io.stderr()).toContain('step "pressed": "maybe" is not one of its options (released, stuck)');
    expect(sessions()).toBe(before.sessions);
  });

  it('runs the E-Stop procedure from an answers file that confirms the reset', async () => {
    await sshd.setEstopPin('1');
    http.firmware.state = 'ESTOP';
    const file = await answersFile('estop.json', {
      steps: {
        cause: { kind: 'manual', confirmed: true, note: 'checked the bay' },
        pressed: { kind: 'decision', option: 'released' },
        reset: { kind: 'confirm' },
        escalate: { kind: 'escalate' },
      },
    });
    // The pin reads released but the firmware is latched: safety.estop is WARN, not OK, so the run goes by "cause".
    expect(await cli('procedures', 'run', 'emergency.estop', '--unit', 'unit-cli', '--answers', file)).toBe(0);
    expect(io.stdout()).toContain('[green] estop.released on unit-cli: E-Stop input');
    expect(io.stdout()).toContain('the firmware accepted the reset; it now reports IDLE');
    expect(io.stdout()).toContain('run completed');
    expect(http.firmware.state).toBe('IDLE');
  });

  it('signs a checklist into the audit chain; a signed row changed in the database fails audit verify', async () => {
    await writeFile(join(fx.dataDir, 'bay3.png'), PNG);
    const file = await answersFile('pre-deployment.json', {
      steps: {
        backup: { kind: 'skip', reason: 'full backup taken on the bench this morning' },
        items: {
          kind: 'checklist',
          items: [
            { id: 'tests', answer: 'done' },
            { id: 'security-scan', answer: 'done', note: 'scan report 2026-11-28' },
            { id: 'performance', answer: 'done' },
            { id: 'documentation', answer: 'n/a' },
            { id: 'backup', answer: 'done' },
            { id: 'rollback', answer: 'done' },
          ],
          attachments: [{ path: 'bay3.png' }],
        },
      },
      signature: 'Nguyen Van A',
    });
    expect(await cli('procedures', 'run', 'checklist.pre-deployment', '--unit', 'unit-cli', '--answers', file)).toBe(0);
    const runId = /^run ([0-9a-f-]{36})$/m.exec(io.stdout())?.[1] ?? '';
    expect(runId).not.toBe('');
    expect(io.stdout()).toContain('signed by Nguyen Van A; record SHA-256 ');

    expect(await cli('audit', 'verify')).toBe(0);
    expect(io.stdout()).toMatch(/^audit log intact: \d+ row\(s\) chained, 1 signed run\(s\) match their sign-off/);
    const head = /^head: row (\d+), ([0-9a-f]{64})$/m.exec(io.stdout());
    expect(head).not.toBeNull();

    // Reports: JSON with the signature, CSV with the photo's SHA-256, PDF through Chromium.
    expect(await cli('procedures', 'report', runId, '--format', 'json', '--out', 'run.json')).toBe(0);
    const report = JSON.parse(await readFile(join(fx.dataDir, 'run.json'), 'utf8')) as {
      run: { signature: { signedBy: string; recordHash: string }; state: string };
      auditHead: { rows: number; hash: string; keyed: boolean };
    };
    expect(report.run.state).toBe('completed');
    expect(report.run.signature.signedBy).toBe('Nguyen Van A');
    // Every report carries the audit chain's head as it was when printed.
    expect(report.auditHead).toEqual({ rows: Number(head?.[1]), hash: head?.[2], keyed: true });
    expect(await cli('procedures', 'report', runId, '--format', 'csv', '--out', 'run.csv')).toBe(0);
    const csv = await readFile(join(fx.dataDir, 'run.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^run_id,procedure_id,procedure_version,run_state,signed_by/);
    expect(csv).toContain(`attachment:bay3.png:sha256=${sha256Hex(PNG)}`);
    expect(csv).toContain('security-scan=done (scan report 2026-11-28)');
    expect(csv).toContain(`row ${head?.[1]} HMAC-SHA-256 ${head?.[2]}`);
    expect(await cli('procedures', 'report', runId, '--format', 'html', '--out', 'run.html')).toBe(0);
    expect(await readFile(join(fx.dataDir, 'run.html'), 'utf8')).toContain(
      `Audit chain head when printed: <code>row ${head?.[1]} HMAC-SHA-256 ${head?.[2]}</code>`,
    );
    expect(await cli('procedures', 'report', runId, '--format', 'pdf', '--out', 'run.pdf')).toBe(0);
    const pdf = await readFile(join(fx.dataDir, 'run.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(2000);

    // The run cannot be changed through the workstation, nor by a plain UPDATE (triggers).
    expect((await fx.refusal('procedures.run.sign', { runId, name: 'Someone Else' })).code).toBe('CONFLICT');
    const db = new Database(join(fx.dataDir, 'history.sqlite3'));
    try {
      const tamper = db.prepare(
        `UPDATE procedure_step_results SET result_json = json_set(result_json, '$.items[0].answer', 'not-done')
         WHERE run_id = ? AND step_id = 'items'`,
      );
      expect(() => tamper.run(runId)).toThrow(/a signed procedure run cannot be changed/);
      // An attacker drops the trigger first.
      db.exec('DROP TRIGGER procedure_step_results_signed_no_update');
      expect(tamper.run(runId).changes).toBe(1);
    } finally {
      db.close();
    }
    const seq = (
      await fx.call<{ attempts: { seq: number; stepId: string }[] }>('procedures.run.get', { runId })
    ).attempts.find((a) => a.stepId === 'items')?.seq;

    expect(await cli('audit', 'verify')).toBe(1);
    expect(io.stderr()).toMatch(
      new RegExp(
        `^audit log BROKEN at row \\d+ \\(run ${runId}\\): signed run ${runId} no longer matches the record signed in audit row \\d+: step attempt ${seq} \\(items\\) differs`,
      ),
    );
    expect(await cli('audit', 'verify', '--json')).toBe(1);
    const verification = JSON.parse(io.stdout()) as { ok: boolean; firstBroken: { runId: string; seq: number } };
    expect(verification.ok).toBe(false);
    expect(verification.firstBroken.runId).toBe(runId);
  });

  it('asks the technician at the terminal: plans and gates shown, the unit name typed for a destructive step, a note, a choice, the items, the signature', async () => {
    await fx.addProcedure('test.interactive.v1.json', {
      id: 'test.interactive',
      version: 1,
      category: 'checklist',
      title: t('Interactive test'),
      summary: t('Every kind a technician answers'),
      runbook: 'Checklists › Post-Deployment Checklist',
      steps: [
        { id: 'intro', kind: 'info', title: t('Read this first') },
        {
          id: 'wipe',
          kind: 'action',
          title: t('Clear the scratch folder'),
          mutating: true,
          destructive: true,
          gates: ['unit.reachable', 'vehicle.stopped'],
          command: { program: 'rm', args: ['-rf', '/tmp/ohtw-interactive-scratch'] },
        },
        { id: 'look', kind: 'manual', title: t('Look at the cable'), note: 'required' },
        {
          id: 'ok',
          kind: 'decision',
          title: t('All good?'),
          question: t('Is everything in order?'),
          options: [
            { id: 'yes', label: t('Yes'), next: 'items' },
            { id: 'no', label: t('No'), next: 'end' },
          ],
        },
        {
          id: 'items',
          kind: 'checklist',
          title: t('Items'),
          items: [
            { id: 'one', text: t('First') },
            { id: 'two', text: t('Second') },
          ],
        },
      ],
    });
    http.firmware.state = 'IDLE';
    const replies = [
      '',
      'yes',
      'unit-cli',
      'done',
      'cable seated',
      '',
      '1',
      '',
      'd',
      '',
      'a',
      'not fitted',
      'Tran Thi B',
    ];
    const asked: string[] = [];
    const prompter: Prompter = {
      ask: async (question) => {
        asked.push(question);
        return replies.shift();
      },
      close: () => undefined,
    };
    io.reset();
    const code = await procedureRunCommand(
      ['test.interactive', '--unit', 'unit-cli', '--data-dir', fx.dataDir],
      io,
      prompter,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const out = io.stdout();
    expect(out).toContain('plan on unit-cli: run rm -rf /tmp/ohtw-interactive-scratch on unit-cli');
    expect(out).toContain('gates (read live just before it runs): unit.reachable, vehicle.stopped');
    // "yes" is not the unit's name: nothing ran, and the question came again.
    expect(out).toContain('not confirmed: nothing was run');
    expect(asked.filter((q) => q.includes("the unit's name (unit-cli)"))).toHaveLength(2);
    expect(out).toContain('[green] unit.reachable on unit-cli: the unit answers over SSH');
    expect(out).toContain('[green] vehicle.stopped on unit-cli: the firmware reports IDLE: the vehicle is not moving');
    expect(out).toContain('→ done on unit-cli: rm -rf /tmp/ohtw-interactive-scratch: done');
    expect(out).toContain('run completed');
    expect(out).toContain('signed by Tran Thi B');
    const runId = /^run ([0-9a-f-]{36})$/m.exec(out)?.[1] ?? '';
    const view = await fx.call<{
      attempts: { stepId: string; outcome: { items: unknown[]; typedConfirmation: string | null } }[];
    }>('procedures.run.get', { runId });
    expect(view.attempts.find((a) => a.stepId === 'wipe')?.outcome.typedConfirmation).toBe('unit-cli');
    expect(view.attempts.find((a) => a.stepId === 'items')?.outcome.items).toEqual([
      { id: 'one', answer: 'done', note: null },
      { id: 'two', answer: 'n/a', note: 'not fitted' },
    ]);
  });
});
