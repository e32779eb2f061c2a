import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseProcedure, type Procedure } from '../../../../shared/domain/procedure';
import { DEFAULT_THRESHOLDS } from '../../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../../shared/domain/unit';
import type { RunView } from '../../../../shared/ipc/contracts/procedureRuns';
import { EventHub } from '../../../../electron/core/ports/EventHub';
import { HistoryRepository } from '../../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase } from '../../../../electron/core/history/openDatabase';
import { systemClock } from '../../../../electron/core/ports/Clock';
import { validateAnswers } from '../../../../electron/core/procedures/runner/answers';
import { buildCommand } from '../../../../electron/core/procedures/runner/commands';
import { OperationRegistry } from '../../../../electron/core/procedures/operations/registry';
import { csvField } from '../../../../electron/core/util/reportText';
import { RunService } from '../../../../electron/core/procedures/runner/RunService';
import { emptyOutcome } from '../../../../electron/core/procedures/runner/execute';
import { RunStore } from '../../../../electron/core/procedures/runner/runStore';
import type { ExecOptions, ExecResult } from '../../../../electron/core/transport/transport';
import { createCapturingLogger } from '../../../support/fakes/captureLogger';
import { testAudit } from '../../../support/fakes/auditKeys';

const t = (en: string) => ({ en, vi: `${en} (vi)` });

function procedure(json: unknown): Procedure {
  const parsed = parseProcedure(json);
  if (!parsed.ok) {
    throw new Error(JSON.stringify(parsed.problems));
  }
  return parsed.procedure;
}

/**
 * Two units, a gated restart whose reachability gate may be overridden (vehicle.stopped never is), a loop back through
 * a decision, an escalation.
 */
const FLEET = procedure({
  id: 'test.fleet',
  version: 3,
  category: 'routine',
  title: t('Fleet test'),
  summary: t('Several units'),
  runbook: 'Routine Maintenance › 2. Weekly Maintenance',
  steps: [
    {
      id: 'restart',
      kind: 'action',
      title: t('Restart the backend'),
      mutating: true,
      gates: ['vehicle.stopped', { gate: 'unit.reachable', overridable: true }],
      operation: 'service.restart',
      params: { service: 'backend' },
    },
    {
      id: 'again',
      kind: 'decision',
      title: t('Again?'),
      question: t('Restart again?'),
      options: [
        { id: 'yes', label: t('Yes'), next: 'restart' },
        { id: 'no', label: t('No'), next: 'up' },
      ],
    },
    { id: 'up', kind: 'escalate', title: t('Hand over'), level: 2 },
    { id: 'photo', kind: 'manual', title: t('Photo of the cabinet'), attachment: 'required' },
  ],
});

type Vehicle = { state: string; commands: string[]; reachable?: boolean };

describe('the run engine with fake units', () => {
  let dir: string;
  let db: BetterSqlite3.Database;
  let history: HistoryRepository;
  let service: RunService;
  const vehicles = new Map<string, Vehicle>();
  /** The procedure the engine is handed, as a stored run would give it (not validated again). */
  let followed: Procedure = FLEET;

  const exec =
    (unit: string) =>
    async (command: string, options: ExecOptions): Promise<ExecResult> => {
      const vehicle = vehicles.get(unit) as Vehicle;
      vehicle.commands.push(`${options.sudo ? 'sudo ' : ''}${command}`);
      const ok = (stdout: string, exitCode = 0): ExecResult => ({
        exitCode,
        signal: null,
        stdout,
        stderr: '',
        durationMs: 1,
      });
      if (command === 'echo ohtw-reachable') {
        return vehicle.reachable === false ? ok('', 255) : ok('ohtw-reachable\n');
      }
      if (command.includes('/api/v1/system/state')) {
        return ok(JSON.stringify({ success: true, data: { current_state: vehicle.state, current_fault: 'NONE' } }));
      }
      if (command.startsWith('systemctl is-active')) {
        return ok('active\n');
      }
      if (command.startsWith('systemctl restart')) {
        return ok('');
      }
      return ok('', 127);
    };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-run-engine-'));
    db = openHistoryDatabase(join(dir, 'history.sqlite3'));
    history = new HistoryRepository(db, systemClock, testAudit());
    for (const name of ['u1', 'u2']) {
      vehicles.set(name, { state: 'IDLE', commands: [] });
      const unit: Unit = {
        name,
        host: '127.0.0.1',
        port: 22,
        user: 'oht',
        auth: { kind: 'password', passwordEnv: 'X' },
        profile: DEFAULT_VEHICLE_PROFILE,
        hostKey: null,
        createdAt: systemClock.nowIso(),
        lastLevel: null,
        lastRunAt: null,
      };
      history.addUnit(unit);
    }
    service = new RunService({
      db,
      history,
      connector: {
        connect: async (unit) => ({ description: unit.name, exec: exec(unit.name), close: async () => undefined }),
        probe: async () => ({ algorithm: 'ssh-ed25519', fingerprint: 'x' }),
      },
      events: new EventHub(createCapturingLogger().logger),
      clock: systemClock,
      logger: createCapturingLogger().logger,
      thresholds: () => DEFAULT_THRESHOLDS,
      procedures: {
        get: async () => ({
          procedure: followed,
          origin: {
            source: 'user' as const,
            file: `${followed.id}.v${followed.version}.json`,
            supersedesShipped: null,
          },
        }),
      },
      operations: new OperationRegistry({ firmwareToken: 'token' }),
      appVersion: '9.9.9',
    });
  });
  afterEach(async () => {
    followed = FLEET;
    await service.close();
    history.close();
    await rm(dir, { recursive: true, force: true });
  });

  const step = (view: RunView, answer: Parameters<RunService['step']>[2]) =>
    service.step(view.runId, view.current?.stepId ?? '', answer, 'tech');

  it("judges a command again with the run's values: a check made to change the vehicle by a value is not sent", async () => {
    const t2 = (en: string) => ({ en, vi: en });
    followed = procedure({
      ...FLEET,
      id: 'test.values',
      parameters: [{ name: 'test', label: t2('find test'), type: 'text' }],
      steps: [
        {
          id: 'old-logs',
          kind: 'check',
          title: t2('Old logs'),
          command: { program: 'find', args: ['/opt/oht50/logs', { param: 'test' }, '+7'] },
        },
      ],
    });
    let view = await service.start({ procedureId: 'test.values', units: ['u1'], params: { test: '-delete' } }, 'tech');
    expect(view.current?.plans[0]?.plan).toMatchObject({ available: false });
    view = await step(view, { kind: 'run' });
    expect(view.attempts.at(-1)?.outcome.message).toBe(
      'a check only reads, and with these values the command changes the vehicle: find -delete changes the system',
    );
    expect(vehicles.get('u1')!.commands).toEqual([]);
  });

  it('refuses to go on with a stored procedure that breaks a safety rule, sending nothing', async () => {
    const t2 = (en: string) => ({ en, vi: en });
    followed = {
      ...FLEET,
      id: 'test.stored',
      steps: [
        {
          id: 'sneaky',
          kind: 'action',
          title: t2('Look'),
          mutating: false,
          destructive: false,
          gates: [],
          command: { program: 'env', args: ['systemctl', 'stop', 'oht50-firmware'], sudo: true },
        },
      ],
    };
    await expect(service.start({ procedureId: 'test.stored', units: ['u1'], params: {} }, 'tech')).rejects.toThrow(
      /the procedure it follows is unreadable \(the workstation judges this command as changing the vehicle/,
    );
    expect(vehicles.get('u1')!.commands).toEqual([]);
  });

  it('runs a gated action on every unit, blocks only the unit whose gate is red, and honours an allowed override', async () => {
    let view = await service.start({ procedureId: 'test.fleet', units: ['u1', 'u2'], params: {} }, 'tech');
    expect(view.current?.plans.map((p) => p.unit)).toEqual(['u1', 'u2']);
    vehicles.get('u2')!.state = 'MOVE';
    view = await step(view, { kind: 'confirm', overrides: [] });
    expect(view.attempts.map((a) => [a.unit, a.status])).toEqual([
      ['u1', 'done'],
      ['u2', 'blocked'],
    ]);
    expect(vehicles.get('u2')!.commands.some((c) => c.includes('restart'))).toBe(false);
    expect(view.current).toMatchObject({ stepId: 'restart', blocked: true, overrideAllowed: true });
    expect(view.current?.plans.map((p) => p.unit)).toEqual(['u2']);

    // vehicle.stopped is never overridden; unit.reachable may be, naming who and why.
    await expect(
      step(view, { kind: 'confirm', overrides: [{ gate: 'vehicle.stopped', by: 'Lead', reason: 'in a hurry' }] }),
    ).rejects.toThrow(/vehicle\.stopped can never be overridden/);
    vehicles.get('u2')!.state = 'IDLE';
    vehicles.get('u2')!.reachable = false;
    view = await step(view, { kind: 'confirm', overrides: [] });
    expect(view.attempts.at(-1)).toMatchObject({ unit: 'u2', status: 'blocked' });
    view = await step(view, {
      kind: 'confirm',
      overrides: [{ gate: 'unit.reachable', by: 'Le Van C', reason: 'the echo is filtered by the login banner' }],
    });
    vehicles.get('u2')!.reachable = true;
    const done = view.attempts.at(-1);
    expect(done).toMatchObject({ unit: 'u2', status: 'done' });
    expect(done?.outcome.overrides).toEqual([
      { gate: 'unit.reachable', by: 'Le Van C', reason: 'the echo is filtered by the login banner' },
    ]);
    expect(vehicles.get('u1')!.commands.filter((c) => c.startsWith('sudo systemctl restart'))).toHaveLength(1);
    expect(view.current?.stepId).toBe('again');

    // A loop back makes the restart current again for both units.
    view = await step(view, { kind: 'decision', option: 'yes' });
    expect(view.current?.stepId).toBe('restart');
    expect(view.current?.plans.map((p) => p.unit)).toEqual(['u1', 'u2']);
    view = await step(view, { kind: 'confirm', overrides: [] });
    view = await step(view, { kind: 'decision', option: 'no' });
    await expect(
      service.step(view.runId, 'photo', { kind: 'manual', confirmed: true, attachments: [] }, 'tech'),
    ).rejects.toThrow(/is at step "up"/);
    view = await step(view, { kind: 'escalate' });
    await expect(step(view, { kind: 'manual', confirmed: true, attachments: [] })).rejects.toThrow(
      /needs an attachment/,
    );
    view = await step(view, {
      kind: 'manual',
      confirmed: true,
      attachments: [
        { name: 'cabinet.jpg', mediaType: 'image/jpeg', contentBase64: Buffer.from('jpeg').toString('base64') },
      ],
    });
    expect(view.state).toBe('escalated');
    expect(view.escalationLevel).toBe(2);

    // Signed: frozen, and verify re-checks it; evidence changed behind its back is found.
    view = service.sign(view.runId, 'Le Van C', 'tech');
    expect(service.verify()).toMatchObject({ ok: true, signedRunsChecked: 1 });
    expect(() => service.abort(view.runId, 'late', 'tech')).toThrow(/has ended/);
    db.exec('DROP TRIGGER evidence_blobs_no_update');
    db.prepare("UPDATE evidence_blobs SET content = X'4a504547', size = 4").run();
    const broken = service.verify();
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken?.reason).toMatch(
      /the evidence "cabinet.jpg" of step attempt \d+ no longer matches its SHA-256/,
    );
  });

  it('leaves an action another live process is running alone, and refuses to start a second one meanwhile', async () => {
    const view = await service.start({ procedureId: 'test.fleet', units: ['u1'], params: {} }, 'tech');
    const store = new RunStore(db);
    const seq = store.addAttempt(view.runId, {
      stepId: 'restart',
      unit: 'u1',
      status: 'started',
      actor: 'other window',
      startedAt: systemClock.nowIso(),
      endedAt: null,
      outcome: { ...emptyOutcome(), message: 'running', ...{ executor: { pid: process.ppid, host: hostname() } } },
    });
    expect(service.get(view.runId).attempts.at(-1)?.status).toBe('started');
    await expect(step(service.get(view.runId), { kind: 'confirm', overrides: [] })).rejects.toThrow(
      /step "restart" of run .* is running \(in another window or process\)/,
    );
    expect(vehicles.get('u1')!.commands).toEqual([]);
    // Once that process is gone (here: the stamp names a pid that does not exist), it is interrupted.
    db.prepare(
      "UPDATE procedure_step_results SET result_json = json_set(result_json, '$.executor.pid', 2147483646) WHERE seq = ?",
    ).run(seq);
    expect(service.get(view.runId).current).toMatchObject({ stepId: 'restart', interrupted: true });
  });

  it('a broken audit chain is reported before the signed runs, with its row', async () => {
    let view = await service.start({ procedureId: 'test.fleet', units: ['u1'], params: {} }, 'tech');
    view = service.abort(view.runId, 'wrong unit', 'tech');
    service.sign(view.runId, 'A B', 'tech');
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'someone' WHERE seq = 1").run();
    expect(service.verify()).toMatchObject({
      ok: false,
      checked: 0,
      signedRunsChecked: 0,
      firstBroken: {
        seq: 1,
        reason: 'contents do not match the keyed hash (changed, or re-hashed without the key)',
        runId: null,
      },
      chain: { keyed: true, legacyRows: 0 },
    });
  });
});

describe('answers sheets, commands and CSV', () => {
  it('names every reachable step an answers sheet leaves without its confirmation', () => {
    expect(validateAnswers(FLEET, ['u1'], {})).toEqual([
      'step "restart" changes the vehicle (gates: vehicle.stopped, unit.reachable) and needs its explicit confirmation: {"kind": "confirm"}',
      'step "again" is a decision: answer {"kind": "decision", "option": one of yes, no}',
    ]);
    expect(
      validateAnswers(FLEET, ['u1'], {
        restart: { kind: 'confirm', overrides: [] },
        again: { kind: 'decision', option: 'no' },
      }),
    ).toEqual([
      'step "up" escalates to level 2: answer {"kind": "escalate"}',
      'step "photo" is done by hand and needs the technician\'s confirmation: {"kind": "manual", "confirmed": true}',
    ]);
  });

  it('quotes every argument on its own, parameters and profile values as values', () => {
    const built = buildCommand(
      { program: 'grep', args: ['-c', { param: 'pattern' }, [{ profile: 'installDir' }, '/logs/app.log']], sudo: true },
      { pattern: "a'; rm -rf / #" },
      { ...DEFAULT_VEHICLE_PROFILE, installDir: '/opt/oht 50' },
    );
    expect(built).toEqual({
      line: `grep -c 'a'\\''; rm -rf / #' '/opt/oht 50/logs/app.log'`,
      argv: ['grep', '-c', "a'; rm -rf / #", '/opt/oht 50/logs/app.log'],
      sudo: true,
      timeoutMs: 60_000,
    });
  });

  it('writes CSV fields quoted where needed and never as a spreadsheet formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\nthere')).toBe('"say ""hi""\nthere"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
});
