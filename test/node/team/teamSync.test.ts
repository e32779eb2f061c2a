import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPostgres, type PostgresFixture } from '../../support/postgres/startPostgres';
import { check, sampleReport, sampleUnit } from '../history/fixtures';
import { openLaptop, TEAM_PASSWORD, type Laptop } from './teamHarness';

describe('team sync through a real PostgreSQL', () => {
  let pg: PostgresFixture;
  let url: string;
  let a: Laptop;
  let b: Laptop;

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createTeamDatabase('fleet_tech', TEAM_PASSWORD, 'fleet');
    a = await openLaptop('a', 'Nguyen Van A');
    b = await openLaptop('b', 'Tran Thi B');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pg?.stop();
  });

  it('joins, pushes and pulls diagnoses and units both ways', async () => {
    expect((await a.call('team.join', { url, deviceLabel: 'laptop-a' })).joined).toBe(true);
    await b.call('team.join', { url, deviceLabel: 'laptop-b' });
    a.core.history.addUnit(sampleUnit('unit-a'));
    a.core.history.saveDiagnosis(sampleReport('unit-a', '2026-12-01T08:00:00.000Z', [check('clock', 'WARN')]), {
      actor: 'Nguyen Van A',
    });
    b.core.history.addUnit(sampleUnit('unit-b'));
    b.core.history.saveDiagnosis(sampleReport('unit-b', '2026-12-01T09:00:00.000Z', [check('clock', 'OK')]), {
      actor: 'Tran Thi B',
    });
    const first = await a.call('team.sync', { wait: true });
    expect(first.result).toMatchObject({ ok: true, error: null });
    const second = await b.call('team.sync', { wait: true });
    expect(second.result).toMatchObject({ ok: true, pulled: { diagnoses: 1, units: 1 } });
    const third = await a.call('team.sync', { wait: true });
    expect(third.result).toMatchObject({ ok: true, pulled: { diagnoses: 1, units: 1 } });
    const fleet = await a.call('team.fleet', { source: 'local' });
    expect(fleet.map((u) => [u.name, u.mine, u.lastVisit?.actor, u.lastVisit?.device])).toEqual([
      ['unit-a', true, 'Nguyen Van A', null],
      ['unit-b', false, 'Tran Thi B', 'laptop-b'],
    ]);
    const team = await a.call('logbook.list', { filter: { units: ['unit-b'] }, limit: 50 });
    const pulled = team.entries.find((e) => e.code.startsWith('diagnosis'));
    expect(pulled?.actor).toBe('Tran Thi B');
    expect(pulled?.device?.label).toBe('laptop-b');
    const mine = await a.call('logbook.list', { filter: { units: ['unit-b'], origin: 'mine' }, limit: 50 });
    expect(mine.entries).toEqual([]);
    const server = await a.call('team.fleet', { source: 'server' });
    expect(server.map((u) => u.name)).toEqual(['unit-a', 'unit-b']);
    const verified = await a.call('team.verifyAudit', {});
    expect(verified.ok).toBe(true);
    expect(verified.chains.length).toBe(2);
  });

  it('keeps the later of two edits of a team setting on both laptops, and records both', async () => {
    const current = (await a.call('settings.get', {})).thresholds;
    await a.call('settings.setThresholds', { thresholds: { ...current, cpuPercent: { warning: 71, critical: 91 } } });
    // The later edit is B's, whichever laptop syncs first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await b.call('settings.setThresholds', { thresholds: { ...current, cpuPercent: { warning: 72, critical: 92 } } });
    await b.call('team.sync', { wait: true });
    await a.call('team.sync', { wait: true });
    await b.call('team.sync', { wait: true });
    for (const laptop of [a, b]) {
      expect((await laptop.call('settings.get', {})).thresholds.cpuPercent).toEqual({ warning: 72, critical: 92 });
    }
    const edits = a.db.prepare("SELECT by FROM team_setting_edits WHERE key = 'thresholds' ORDER BY at").pluck().all();
    expect(edits).toEqual(['Tran Thi B']);
    const mine = a.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'settings.thresholds'").pluck().get();
    expect(mine).toBe(1);
    const applied = await a.call('logbook.list', { filter: { kinds: ['sync'] }, limit: 20 });
    expect(applied.entries.map((e) => e.code)).toContain('sync.setting');
  });
});
