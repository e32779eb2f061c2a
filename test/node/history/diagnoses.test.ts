import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import type { DiagnosisReport, HealthLevel } from '../../../shared/domain/health';
import { catchAppError, check, openRepo, sampleReport, sampleUnit, useTempDir } from './fixtures';

type CheckRow = { ordinal: number; check_id: string; parent_id: string | null; level: string; runbook: string | null };

function nestedReport(): DiagnosisReport {
  const firmware = {
    ...check('services.firmware', 'ERROR'),
    message: 'oht50-firmware has failed (exit-code, exit status 1)',
    runbook: "Troubleshooting › Service Won't Start",
  };
  return sampleReport('OHT-07', '2026-11-28T09:00:00.000Z', [
    check('connection', 'OK'),
    check('services', 'ERROR', [
      check('services.backend', 'OK'),
      { ...firmware, children: [check('services.firmware.port', 'WARN'), check('services.firmware.log', 'ERROR')] },
    ]),
    check('disk', 'WARN'),
  ]);
}

describe('diagnoses in the history', () => {
  const temp = useTempDir();

  it('round-trips a report with nested checks exactly, and flattens every check with its parent', () => {
    const { repo, db } = openRepo(temp);
    const report = nestedReport();
    repo.saveDiagnosis(report);
    expect(repo.getDiagnosis(report.runId)).toEqual(report);
    expect(repo.getDiagnosis('00000000-0000-4000-8000-ffffffffffff')).toBeUndefined();

    const rows = db
      .prepare<[string], CheckRow>(
        'SELECT ordinal, check_id, parent_id, level, runbook FROM check_results WHERE run_id = ? ORDER BY ordinal',
      )
      .all(report.runId);
    expect(rows).toEqual([
      { ordinal: 0, check_id: 'connection', parent_id: null, level: 'OK', runbook: null },
      { ordinal: 1, check_id: 'services', parent_id: null, level: 'ERROR', runbook: null },
      { ordinal: 2, check_id: 'services.backend', parent_id: 'services', level: 'OK', runbook: null },
      {
        ordinal: 3,
        check_id: 'services.firmware',
        parent_id: 'services',
        level: 'ERROR',
        runbook: "Troubleshooting › Service Won't Start",
      },
      { ordinal: 4, check_id: 'services.firmware.port', parent_id: 'services.firmware', level: 'WARN', runbook: null },
      { ordinal: 5, check_id: 'services.firmware.log', parent_id: 'services.firmware', level: 'ERROR', runbook: null },
      { ordinal: 6, check_id: 'disk', parent_id: null, level: 'WARN', runbook: null },
    ]);
  });

  it('lists a unit’s runs newest first, and finds the run before a given one', () => {
    const { repo } = openRepo(temp);
    const morning = sampleReport('OHT-07', '2026-11-28T07:00:00.000Z', [check('services', 'OK')]);
    const noon = sampleReport('OHT-07', '2026-11-28T12:00:00.000Z', [check('services', 'ERROR')]);
    const night = sampleReport('OHT-07', '2026-11-28T22:00:00.000Z', [check('services', 'WARN')]);
    const other = sampleReport('OHT-08', '2026-11-28T11:00:00.000Z', [check('services', 'OK')]);
    for (const report of [noon, other, night, morning]) {
      repo.saveDiagnosis(report);
    }
    expect(repo.listDiagnoses('OHT-07', 10).map((r) => r.runId)).toEqual([night.runId, noon.runId, morning.runId]);
    expect(repo.listDiagnoses('OHT-07', 2).map((r) => r.runId)).toEqual([night.runId, noon.runId]);
    expect(repo.listDiagnoses('OHT-99', 10)).toEqual([]);

    expect(repo.previousDiagnosis('OHT-07', night.runId)?.runId).toBe(noon.runId);
    expect(repo.previousDiagnosis('OHT-07', noon.runId)?.runId).toBe(morning.runId);
    expect(repo.previousDiagnosis('OHT-07', morning.runId)).toBeUndefined();
    expect(repo.previousDiagnosis('OHT-07', 'no-such-run')).toBeUndefined();
  });

  it('orders runs that started at the same instant by when they were saved', () => {
    const { repo } = openRepo(temp);
    const a = sampleReport('OHT-07', '2026-11-28T07:00:00.000Z', [check('services', 'OK')]);
    const b = sampleReport('OHT-07', '2026-11-28T07:00:00.000Z', [check('services', 'WARN')]);
    repo.saveDiagnosis(a);
    repo.saveDiagnosis(b);
    expect(repo.listDiagnoses('OHT-07', 5).map((r) => r.runId)).toEqual([b.runId, a.runId]);
    expect(repo.previousDiagnosis('OHT-07', b.runId)?.runId).toBe(a.runId);
  });

  it('refuses to save the same run twice', () => {
    const { repo } = openRepo(temp);
    const report = nestedReport();
    repo.saveDiagnosis(report);
    const error = catchAppError(() => repo.saveDiagnosis(report), 'ALREADY_EXISTS');
    expect(error.message).toBe(`diagnosis ${report.runId} is already saved`);
  });

  it('leaves nothing half-written when saving fails part-way through the checks', () => {
    const { repo, db, file } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    const report = nestedReport();
    // The last, deepest check carries a level the schema refuses, so the run and six checks are written first.
    const broken: DiagnosisReport = {
      ...report,
      checks: [
        ...report.checks,
        check('hoist', 'WARN', [{ ...check('hoist.brake', 'WARN'), level: 'BROKEN' as HealthLevel }]),
      ],
    };
    const error = catchAppError(() => repo.saveDiagnosis(broken), 'DB');
    expect(error.message).toContain(
      `${file}: saving diagnosis ${report.runId} of unit OHT-07 failed: CHECK constraint failed`,
    );
    expect(db.prepare('SELECT count(*) FROM diagnostic_runs').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM check_results').pluck().get()).toBe(0);
    expect(repo.getUnit('OHT-07')).toMatchObject({ lastLevel: null, lastRunAt: null });

    repo.saveDiagnosis(report);
    expect(repo.getDiagnosis(report.runId)).toEqual(report);
  });

  it('turns a damaged report row into a DB error naming the file and the run', () => {
    const { repo, file } = openRepo(temp);
    const report = nestedReport();
    repo.saveDiagnosis(report);
    const raw = new BetterSqlite3(file);
    raw.prepare(`UPDATE diagnostic_runs SET report_json = '{"runId":1}' WHERE id = ?`).run(report.runId);
    raw.close();
    const error = catchAppError(() => repo.getDiagnosis(report.runId), 'DB');
    expect(error.message).toMatch(new RegExp(`^${file}: diagnosis ${report.runId} is unreadable \\(.+\\)$`));
  });

  it('refuses a negative limit rather than letting SQLite read it as no limit', () => {
    const { repo } = openRepo(temp);
    catchAppError(() => repo.listDiagnoses('OHT-07', -1), 'VALIDATION');
    catchAppError(() => repo.history('OHT-07', 1.5), 'VALIDATION');
  });
});
