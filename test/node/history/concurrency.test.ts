import { describe, expect, it } from 'vitest';

import { check, openRepo, sampleReport, sampleUnit, useTempDir } from './fixtures';

describe('two connections on one history file', () => {
  const temp = useTempDir();

  it('see each other’s committed writes', () => {
    const file = temp.path('history.sqlite');
    const a = openRepo(temp, file).repo;
    const b = openRepo(temp, file).repo;

    a.addUnit(sampleUnit('OHT-07'));
    expect(b.getUnit('OHT-07')?.name).toBe('OHT-07');

    const report = sampleReport('OHT-07', '2026-11-28T09:00:00.000Z', [check('services', 'WARN')]);
    b.saveDiagnosis(report);
    expect(a.getDiagnosis(report.runId)).toEqual(report);
    expect(a.getUnit('OHT-07')?.lastLevel).toBe('WARN');

    b.removeUnit('OHT-07');
    expect(a.listUnits()).toEqual([]);
  });

  it('write one audit chain between them when they take turns appending', () => {
    const file = temp.path('history.sqlite');
    const a = openRepo(temp, file).repo;
    const b = openRepo(temp, file).repo;
    for (let i = 0; i < 40; i += 1) {
      const writer = i % 3 === 0 ? b : a;
      writer.appendAudit({
        actor: writer === a ? 'window:a' : 'window:b',
        unit: null,
        action: 'sweep',
        outcome: 'ok',
        details: { i },
      });
    }
    expect(a.listAudit({ limit: 100 }).map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => 40 - i));
    expect(a.verifyAudit()).toMatchObject({ ok: true, checked: 40, chain: { head: { rows: 40 }, headBehind: 0 } });
    expect(b.verifyAudit()).toMatchObject({ ok: true, checked: 40 });
  });

  it('a second connection reads the last committed state while the first is mid-write', () => {
    const file = temp.path('history.sqlite');
    const writer = openRepo(temp, file);
    const reader = openRepo(temp, file).repo;
    writer.repo.addUnit(sampleUnit('OHT-07'));
    writer.db.exec('BEGIN IMMEDIATE');
    writer.db.prepare("UPDATE units SET host = '10.0.0.99' WHERE name = 'OHT-07'").run();
    expect(reader.getUnit('OHT-07')?.host).toBe('oht-07.fleet.local');
    writer.db.exec('COMMIT');
    expect(reader.getUnit('OHT-07')?.host).toBe('10.0.0.99');
  });
});
