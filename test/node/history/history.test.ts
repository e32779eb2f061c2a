import { describe, expect, it } from 'vitest';

import { check, openRepo, sampleReport, sampleUnit, steppingClock, useTempDir } from './fixtures';

describe('a unit’s history', () => {
  const temp = useTempDir();

  it('merges diagnosis runs and actions newest first, with levels and one-line summaries', () => {
    // Actions are stamped 08:00, 08:01, … by the clock; runs carry their own start times.
    const { repo } = openRepo(temp, undefined, steppingClock(Date.parse('2026-11-28T08:00:00.000Z'), 60_000));
    repo.addUnit(sampleUnit('OHT-07'));
    const before = sampleReport('OHT-07', '2026-11-28T07:30:00.000Z', [
      check('connection', 'OK'),
      check('services', 'ERROR', [
        check('services.backend', 'OK'),
        { ...check('services.firmware', 'ERROR'), message: 'oht50-firmware failed' },
      ]),
    ]);
    repo.saveDiagnosis(before);
    const restart = repo.appendAudit({
      actor: 'tech:ana',
      unit: 'OHT-07',
      action: 'services.restart',
      outcome: 'ok',
      details: { service: 'oht50-firmware' },
    }); // 08:00
    const refused = repo.appendAudit({
      actor: 'tech:ana',
      unit: 'OHT-07',
      action: 'firmware.flash',
      outcome: 'refused',
      details: {},
    }); // 08:01
    repo.appendAudit({ actor: 'tech:bo', unit: 'OHT-08', action: 'services.restart', outcome: 'failed', details: {} });
    const after = sampleReport('OHT-07', '2026-11-28T08:30:00.000Z', [
      check('connection', 'OK'),
      check('services', 'OK'),
    ]);
    repo.saveDiagnosis(after);

    expect(repo.history('OHT-07', 10)).toEqual([
      {
        kind: 'diagnosis',
        id: after.runId,
        at: '2026-11-28T08:30:00.000Z',
        unit: 'OHT-07',
        level: 'OK',
        summary: 'OK: 2 checks passed',
        say: { key: 'history.allPassed', params: { count: 2 } },
        actor: null,
      },
      {
        kind: 'action',
        id: refused.id,
        at: '2026-11-28T08:01:00.000Z',
        unit: 'OHT-07',
        level: null,
        summary: 'firmware.flash: refused',
        actor: 'tech:ana',
      },
      {
        kind: 'action',
        id: restart.id,
        at: '2026-11-28T08:00:00.000Z',
        unit: 'OHT-07',
        level: 'OK',
        summary: 'services.restart: ok',
        actor: 'tech:ana',
      },
      {
        kind: 'diagnosis',
        id: before.runId,
        at: '2026-11-28T07:30:00.000Z',
        unit: 'OHT-07',
        level: 'ERROR',
        summary: 'services: ERROR — oht50-firmware failed',
        say: {
          key: 'history.worst',
          params: { check: 'services', level: 'ERROR', message: { raw: 'oht50-firmware failed' }, more: '' },
        },
        actor: null,
      },
    ]);
    expect(repo.history('OHT-08', 10)).toMatchObject([{ kind: 'action', level: 'ERROR', actor: 'tech:bo' }]);
    expect(repo.history('OHT-07', 2).map((e) => e.id)).toEqual([after.runId, refused.id]);
  });

  it('keeps a removed unit’s diagnoses and audit entries, and shows them by its name', () => {
    const { repo } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    const report = sampleReport('OHT-07', '2026-11-28T07:30:00.000Z', [check('services', 'WARN')]);
    repo.saveDiagnosis(report);
    repo.appendAudit({ actor: 'tech:ana', unit: 'OHT-07', action: 'units.remove', outcome: 'ok', details: {} });

    expect(repo.removeUnit('OHT-07')).toBe(true);
    expect(repo.getUnit('OHT-07')).toBeUndefined();
    expect(repo.getDiagnosis(report.runId)).toEqual(report);
    expect(repo.listDiagnoses('OHT-07', 10)).toEqual([report]);
    expect(repo.listAudit({ unit: 'OHT-07', limit: 10 })).toHaveLength(1);
    expect(repo.history('OHT-07', 10).map((e) => e.kind)).toEqual(['action', 'diagnosis']);
    expect(repo.verifyAudit()).toMatchObject({ ok: true, checked: 1 });
  });

  it('is empty for a name that never had anything', () => {
    const { repo } = openRepo(temp);
    expect(repo.history('OHT-99', 10)).toEqual([]);
  });
});
