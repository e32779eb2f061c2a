import { describe, expect, it } from 'vitest';

import type { CheckResult, HealthLevel } from '../../../shared/domain/health';
import { diagnosisChanges } from '../../../electron/core/diagnostics/changes';
import type { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { catchAppError, check, openRepo, sampleReport, sampleUnit, useTempDir } from '../history/fixtures';

const UNIT = 'OHT-07';
const hoursAfter = (h: number): string => new Date(Date.parse('2026-11-28T00:00:00.000Z') + h * 3600_000).toISOString();

function service(id: 'services.backend' | 'services.firmware', level: HealthLevel, restarts: number): CheckResult {
  const name = id === 'services.backend' ? 'oht50-backend' : 'oht50-firmware';
  const message = level === 'OK' ? `${name} is running` : `${name} has failed (exit-code, exit status 1)`;
  return { ...check(id, level), message, metrics: { restarts, active: level === 'OK' ? 1 : 0 } };
}

function withMetrics(id: string, level: HealthLevel, metrics: Record<string, number>, message?: string): CheckResult {
  return { ...check(id, level), metrics, ...(message === undefined ? {} : { message }) };
}

/** Saves one run per entry, at the given hour, and returns their ids in the same order. */
function saveRuns(repo: HistoryRepository, runs: { at: number; checks: CheckResult[] }[], unit = UNIT): string[] {
  return runs.map(({ at, checks }) => {
    const report = sampleReport(unit, hoursAfter(at), checks);
    repo.saveDiagnosis(report);
    return report.runId;
  });
}

describe('what changed between two sweeps', () => {
  const temp = useTempDir();
  const open = (): HistoryRepository => {
    const { repo } = openRepo(temp);
    repo.addUnit(sampleUnit(UNIT));
    return repo;
  };

  it('says NOT_FOUND for a name with neither a unit nor runs, and for a run of another unit', () => {
    const repo = open();
    catchAppError(() => diagnosisChanges(repo, 'OHT-99'), 'NOT_FOUND');
    const [other] = saveRuns(repo, [{ at: 1, checks: [check('services.backend', 'OK')] }], 'OHT-08');
    catchAppError(() => diagnosisChanges(repo, UNIT, other), 'NOT_FOUND');
    catchAppError(() => diagnosisChanges(repo, UNIT, 'no-such-run'), 'NOT_FOUND');
  });

  it('has nothing to compare for a unit never swept, or swept once', () => {
    const repo = open();
    expect(diagnosisChanges(repo, UNIT)).toEqual({ unit: UNIT, runId: null, previousRunId: null, changes: [] });
    const [only] = saveRuns(repo, [{ at: 1, checks: [service('services.backend', 'OK', 0)] }]);
    expect(diagnosisChanges(repo, UNIT)).toEqual({ unit: UNIT, runId: only, previousRunId: null, changes: [] });
  });

  it('names level changes with the new message, and the restarts from the services’ counters', () => {
    const repo = open();
    const [first, second] = saveRuns(repo, [
      { at: 1, checks: [service('services.backend', 'OK', 0), service('services.firmware', 'OK', 0)] },
      { at: 3, checks: [service('services.backend', 'OK', 3), service('services.firmware', 'ERROR', 1)] },
    ]);
    const result = diagnosisChanges(repo, UNIT);
    expect(result).toMatchObject({ unit: UNIT, runId: second, previousRunId: first });
    expect(result.changes).toEqual([
      {
        checkId: 'services.backend',
        from: 'OK',
        to: 'OK',
        text: 'oht50-backend restarted 3 times since the previous sweep (2 h earlier)',
      },
      {
        checkId: 'services.firmware',
        from: 'OK',
        to: 'ERROR',
        text: 'services.firmware OK → ERROR: oht50-firmware has failed (exit-code, exit status 1)',
      },
      {
        checkId: 'services.firmware',
        from: 'OK',
        to: 'ERROR',
        text: 'oht50-firmware restarted 1 time since the previous sweep (2 h earlier)',
      },
    ]);
  });

  it('compares an earlier run with its own predecessor when asked for it', () => {
    const repo = open();
    const [, middle] = saveRuns(repo, [
      { at: 1, checks: [check('services.backend', 'OK')] },
      { at: 2, checks: [check('services.backend', 'WARN')] },
      { at: 3, checks: [check('services.backend', 'ERROR')] },
    ]);
    const result = diagnosisChanges(repo, UNIT, middle);
    expect(result.runId).toBe(middle);
    expect(result.changes.map((c) => [c.from, c.to])).toEqual([['OK', 'WARN']]);
  });

  it('tells a child’s change once, not again through the group that only sums it up', () => {
    const repo = open();
    saveRuns(repo, [
      {
        at: 1,
        checks: [
          check('logs', 'OK', [check('logs.backend', 'OK'), check('logs.firmware', 'OK')]),
          check('api', 'OK', [check('api.backend', 'OK')]),
        ],
      },
      {
        at: 2,
        checks: [
          check('logs', 'WARN', [check('logs.backend', 'WARN'), check('logs.firmware', 'OK')]),
          // A group with a verdict of its own: its change is news too.
          check('api', 'ERROR', [check('api.backend', 'WARN')]),
        ],
      },
    ]);
    expect(diagnosisChanges(repo, UNIT).changes.map((c) => `${c.checkId} ${c.from}→${c.to}`)).toEqual([
      'logs.backend OK→WARN',
      'api OK→ERROR',
      'api.backend OK→WARN',
    ]);
  });

  it('reports checks that appeared (a new group once, not each child) and checks that disappeared', () => {
    const repo = open();
    saveRuns(repo, [
      { at: 1, checks: [check('services.backend', 'OK'), check('clock', 'OK')] },
      {
        at: 2,
        checks: [
          check('services.backend', 'OK'),
          { ...check('resources', 'WARN', [check('resources.disk', 'WARN')]), message: 'disk is filling up' },
        ],
      },
    ]);
    expect(diagnosisChanges(repo, UNIT).changes).toEqual([
      { checkId: 'resources', from: null, to: 'WARN', text: 'resources is new: WARN — disk is filling up' },
      { checkId: 'clock', from: 'OK', to: null, text: 'clock is no longer reported (was OK)' },
    ]);
  });

  it('tells the children that came or went under a group in one line under that group', () => {
    const repo = open();
    const modules = (level: HealthLevel, children: CheckResult[]): CheckResult => ({
      ...check('rs485.modules', level, children),
      message: level === 'OK' ? 'all modules answer' : 'the modules cannot be read',
    });
    saveRuns(repo, [
      {
        at: 1,
        checks: [
          modules('OK', [check('rs485.modules.power', 'OK'), check('rs485.modules.dock', 'OK')]),
          check('api', 'OK', [check('api.backend', 'OK')]),
        ],
      },
      {
        at: 2,
        checks: [
          modules('ERROR', []),
          check('api', 'OK', [check('api.backend', 'OK'), check('api.auth', 'OK'), check('api.cors', 'WARN')]),
        ],
      },
    ]);
    expect(diagnosisChanges(repo, UNIT).changes).toEqual([
      {
        checkId: 'rs485.modules',
        from: 'OK',
        to: 'ERROR',
        text: 'rs485.modules OK → ERROR: the modules cannot be read',
      },
      {
        checkId: 'rs485.modules',
        from: 'OK',
        to: 'ERROR',
        text: 'no longer reported under rs485.modules: power, dock (all were OK)',
      },
      { checkId: 'api', from: 'OK', to: 'OK', text: 'new under api: auth (OK), cors (WARN)' },
    ]);
  });

  it('tells readings that moved enough to matter, in their units, and any move that came with a new level', () => {
    const repo = open();
    saveRuns(repo, [
      {
        at: 1,
        checks: [
          withMetrics('resources.disk', 'OK', { usePercent: 71 }),
          withMetrics('resources.cpu', 'OK', { cpuPercent: 40.2 }),
          withMetrics('resources.memory', 'OK', { memoryPercent: 84 }),
          withMetrics('api.backend', 'OK', { responseMs: 120 }),
          withMetrics('logs.backend', 'OK', { errors: 0 }),
          withMetrics('clock', 'OK', { skewS: 0.4 }),
        ],
      },
      {
        at: 2,
        checks: [
          withMetrics('resources.disk', 'WARN', { usePercent: 88 }),
          withMetrics('resources.cpu', 'OK', { cpuPercent: 43.9 }),
          withMetrics('resources.memory', 'WARN', { memoryPercent: 86 }),
          withMetrics('api.backend', 'OK', { responseMs: 900 }),
          withMetrics('logs.backend', 'OK', { errors: 2 }),
          withMetrics('clock', 'OK', { skewS: 0.9 }),
        ],
      },
    ]);
    const texts = diagnosisChanges(repo, UNIT).changes.map((c) => c.text);
    expect(texts).toEqual([
      'resources.disk OK → WARN: resources.disk is WARN',
      'disk 71 % → 88 %',
      // Only 2 points, but it crossed the warning line.
      'resources.memory OK → WARN: resources.memory is WARN',
      'memory 84 % → 86 %',
      'backend response 120 ms → 900 ms',
      'backend errors 0 → 2',
    ]);
  });

  it('tells the readings of a group’s children once, through the children, in words', () => {
    const repo = open();
    const disk = (used: number, logs: number): CheckResult => ({
      ...check('resources.disk', 'OK', [
        withMetrics('resources.disk./', 'OK', { usePercent: used }, `disk ${used} % on / (mmcblk0p2)`),
        withMetrics('resources.disk.logsSize', 'OK', { logsMiB: logs }, `/opt/oht50/logs holds ${logs} MiB`),
      ]),
      message: `disk ${used} % on / (mmcblk0p2); /opt/oht50/logs holds ${logs} MiB`,
    });
    saveRuns(repo, [
      { at: 1, checks: [disk(42, 24), withMetrics('resources.memory', 'OK', { usedPercent: 38 })] },
      { at: 2, checks: [disk(60, 300), withMetrics('resources.memory', 'OK', { usedPercent: 52 })] },
    ]);
    expect(diagnosisChanges(repo, UNIT).changes.map((c) => c.text)).toEqual([
      'disk / 42 % → 60 %',
      'disk logs size 24 MiB → 300 MiB',
      'memory used 38 % → 52 %',
    ]);
  });

  it('reads numbers from the message of a check without metrics, only when the sentences match', () => {
    const repo = open();
    const cpu = (busy: number, load: string): CheckResult => ({
      ...check('resources.cpu', 'OK'),
      message: `CPU ${busy} % busy; load average ${load}`,
    });
    const disk = (used: number, free: string): CheckResult => ({
      ...check('resources.disk', 'OK'),
      message: `disk ${used} % on / (mmcblk0p2), ${free} GiB free`,
    });
    const backend = (day: string, busy: number): CheckResult => ({
      ...check('services.backend', 'OK'),
      message: `running since ${day} 2026-11-27 08:00:01 UTC, ${busy} % CPU`,
    });
    const detailed = (cpuUse: number, memory: number): CheckResult => ({
      ...check('api.backend.detailed', 'OK'),
      message: `the backend reports itself healthy (database healthy, cpu ${cpuUse} %, memory ${memory} %, disk 37 %)`,
    });
    saveRuns(repo, [
      { at: 1, checks: [cpu(7, '0.61 0.58 0.55'), disk(71, '5.2'), backend('Fri', 3), detailed(23, 41)] },
      { at: 2, checks: [cpu(19, '1.20 0.70 0.60'), disk(88, '2.1'), backend('Sat', 40), detailed(23, 41)] },
      { at: 3, checks: [cpu(93, '3.90 2.10 1.00'), disk(88, '2.1'), backend('Sat', 40), detailed(60, 66)] },
    ]);
    const [newest, middle] = repo.listDiagnoses(UNIT, 2);
    // A CPU that got a little busier is no news; the disk is; another day in the sentence makes it another sentence.
    expect(diagnosisChanges(repo, UNIT, middle?.runId).changes.map((c) => c.text)).toEqual([
      'disk 71 % → 88 %, 5.2 GiB → 2.1 GiB',
    ]);
    // Several readings in one sentence are each named by the word before them.
    expect(diagnosisChanges(repo, UNIT, newest?.runId).changes.map((c) => c.text)).toEqual([
      'cpu 19 % → 93 %',
      'backend detailed cpu 23 % → 60 %, memory 41 % → 66 %',
    ]);
  });

  it('counts restarts across a counter reset, and over the last 24 h when that reaches past the previous sweep', () => {
    const repo = open();
    const backend = (restarts: number): CheckResult[] => [service('services.backend', 'OK', restarts)];
    saveRuns(repo, [
      { at: 0, checks: backend(7) }, // more than a day before the newest: outside its window
      { at: 10, checks: backend(2) }, // the newest's window starts here
      { at: 20, checks: backend(4) },
      { at: 30, checks: backend(1) }, // started again by hand, then crashed once
      { at: 32, checks: backend(3) },
    ]);
    const { changes } = diagnosisChanges(repo, UNIT);
    expect(changes.map((c) => c.text)).toEqual([
      'oht50-backend restarted 2 times since the previous sweep (2 h earlier)',
      'oht50-backend restarted 5 times in the last 24 h (4 sweeps)',
    ]);

    const reset = diagnosisChanges(repo, UNIT, repo.listDiagnoses(UNIT, 2)[1]?.runId);
    expect(reset.changes.map((c) => c.text)).toEqual([
      'oht50-backend was started again by hand, or the vehicle rebooted, since the previous sweep (10 h earlier; count 4 → 1), and restarted 1 time after that',
      'oht50-backend restarted 3 times in the last 24 h (3 sweeps)',
    ]);
  });

  it('leaves the day’s count out when it is the last sweep’s own, or when the service did not change', () => {
    const repo = open();
    const backend = (restarts: number): CheckResult[] => [service('services.backend', 'OK', restarts)];
    saveRuns(repo, [
      { at: 1, checks: backend(0) },
      { at: 2, checks: backend(0) },
      { at: 3, checks: backend(2) },
    ]);
    expect(diagnosisChanges(repo, UNIT).changes.map((c) => c.text)).toEqual([
      'oht50-backend restarted 2 times since the previous sweep (1 h earlier)',
    ]);
    // Nor is the day's count told for a service that did not change in this sweep.
    saveRuns(repo, [{ at: 4, checks: backend(2) }]);
    expect(diagnosisChanges(repo, UNIT).changes).toEqual([]);
  });

  it('says only that the unit could not be reached, and names checks by id once the unit is removed', () => {
    const repo = open();
    saveRuns(repo, [
      { at: 1, checks: [service('services.backend', 'OK', 0)] },
      {
        at: 2,
        checks: [
          { ...check('connection', 'STALE'), message: 'connection refused by 10.0.7.21:22' },
          { ...check('services.backend', 'STALE'), message: 'not checked: the unit could not be reached' },
        ],
      },
      { at: 3, checks: [service('services.backend', 'OK', 2)] },
      { at: 4, checks: [service('services.backend', 'OK', 3)] },
    ]);
    const [newest, back, down] = repo.listDiagnoses(UNIT, 3);
    expect(diagnosisChanges(repo, UNIT, down?.runId).changes).toEqual([
      {
        checkId: 'connection',
        from: null,
        to: 'STALE',
        text: 'the unit could not be reached: connection refused by 10.0.7.21:22',
      },
    ]);
    expect(diagnosisChanges(repo, UNIT, back?.runId).changes.map((c) => c.text)).toEqual([
      'services.backend STALE → OK: oht50-backend is running',
      // The run that could not read the counter is stepped over: the day's count bridges it.
      'oht50-backend restarted 2 times in the last 24 h (2 sweeps)',
      'the unit answered again',
    ]);

    repo.removeUnit(UNIT);
    const after = diagnosisChanges(repo, UNIT);
    expect(after.runId).toBe(newest?.runId);
    expect(after.changes.map((c) => c.text)).toEqual([
      'backend restarted 1 time since the previous sweep (1 h earlier)',
      'backend restarted 3 times in the last 24 h (3 sweeps)',
    ]);
  });
});
