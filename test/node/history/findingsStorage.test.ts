import { describe, expect, it } from 'vitest';

import { MIGRATIONS } from '../../../electron/core/history/migrations';
import { runMigrations } from '../../../electron/core/history/migrations/runMigrations';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { findingsOf } from '../../../electron/core/diagnostics/findings';
import type { CheckResult } from '../../../shared/domain/health';
import { said } from '../../../shared/domain/words';
import { check, openRepo, sampleReport, sampleUnit, useTempDir } from './fixtures';
import Database from 'better-sqlite3';

const temp = useTempDir();

const crashed = (): CheckResult[] => [
  {
    id: 'services.firmware',
    level: 'ERROR',
    ...said('service.stopped', { service: 'oht50-firmware', since: '' }),
    evidence: '$ systemctl show',
    metrics: { active: 0 },
  },
  { ...check('network.ports', 'ERROR', [{ ...check('network.ports.firmware', 'ERROR') }]) },
  check('resources.cpu', 'OK'),
];

describe('findings and the bus in the history', () => {
  it('keeps a sweep with its findings and words, a bus diagnosis apart, and shows both on the unit', () => {
    const { repo } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    const checks = crashed();
    const sweep = { ...sampleReport('OHT-07', '2026-11-28T08:00:00.000Z', checks), findings: findingsOf(checks) };
    repo.saveDiagnosis(sweep);
    const busChecks = [check('rs485.offline.bus', 'OK'), check('rs485.offline.safety', 'ERROR')];
    const bus = {
      ...sampleReport('OHT-07', '2026-11-28T09:00:00.000Z', busChecks),
      scope: 'bus' as const,
      findings: findingsOf(busChecks),
    };
    repo.saveDiagnosis(bus);

    expect(repo.getDiagnosis(sweep.runId)).toEqual(sweep);
    expect(repo.getDiagnosis(bus.runId)).toEqual(bus);
    const unit = repo.getUnit('OHT-07');
    // The newer bus diagnosis does not take the place of the unit's sweep: it is the unit's bus state.
    expect(unit?.lastRunId).toBe(sweep.runId);
    expect(unit?.lastLevel).toBe('ERROR');
    expect(unit?.findings?.map((f) => [f.root, f.consequences.map((c) => c.id)])).toEqual([
      ['services.firmware', ['network.ports.firmware']],
    ]);
    expect(unit?.findings?.[0]?.say?.key).toBe('service.stopped');
    expect(unit?.bus).toEqual({
      level: 'ERROR',
      at: bus.startedAt,
      runId: bus.runId,
      findings: bus.findings,
    });
  });

  it('compares a sweep with the sweep before it, not with a bus diagnosis in between', () => {
    const { repo } = openRepo(temp);
    const first = sampleReport('OHT-08', '2026-11-28T08:00:00.000Z', [check('resources.cpu', 'OK')]);
    const bus = { ...sampleReport('OHT-08', '2026-11-28T08:30:00.000Z', [check('rs485.offline.bus', 'OK')]) };
    const second = sampleReport('OHT-08', '2026-11-28T09:00:00.000Z', [check('resources.cpu', 'WARN')]);
    repo.saveDiagnosis(first);
    repo.saveDiagnosis({ ...bus, scope: 'bus' });
    repo.saveDiagnosis(second);
    expect(repo.previousDiagnosis('OHT-08', second.runId)?.runId).toBe(first.runId);
  });

  it('tells the bus diagnoses of a history written before migration 0012 by their first check', () => {
    const file = temp.path('old.sqlite');
    const old = temp.track(new Database(file));
    runMigrations(
      old,
      MIGRATIONS.filter((m) => m.version < 12),
    );
    const insert = old.prepare(
      `INSERT INTO diagnostic_runs (id, unit, level, started_at, duration_ms, report_json) VALUES (?, 'u', 'OK', ?, 1, ?)`,
    );
    const report = (id: string, first: string) =>
      JSON.stringify({
        runId: id,
        unit: 'u',
        level: 'OK',
        startedAt: 't',
        durationMs: 1,
        checks: [check(first, 'OK')],
      });
    insert.run('sweep', '2026-11-28T08:00:00.000Z', report('sweep', 'services.backend'));
    insert.run('bus', '2026-11-28T09:00:00.000Z', report('bus', 'rs485.offline.master'));
    old.close();
    const upgraded = temp.track(openHistoryDatabase(file));
    const scopes = upgraded.prepare('SELECT id, scope FROM diagnostic_runs ORDER BY id').all();
    expect(scopes).toEqual([
      { id: 'bus', scope: 'bus' },
      { id: 'sweep', scope: 'vehicle' },
    ]);
  });
});
