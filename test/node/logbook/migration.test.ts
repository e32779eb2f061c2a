import { copyFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { describeEntry, kindOfCode } from '../../../shared/domain/logbookKinds';
import { testAudit } from '../../support/fakes/auditKeys';
import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { INLINE_EVIDENCE_MAX } from '../../../electron/core/history/diagnosisStorage';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { LogbookService } from '../../../electron/core/logbook/LogbookService';
import { systemClock } from '../../../electron/core/ports/Clock';
import { fleetReport } from '../../support/logbook/fleetHistory';
import { openRepo, steppingClock, useTempDir } from '../history/fixtures';

const FIXTURE = new URL('../../fixtures/history/v6-made-by-cli.sqlite3', import.meta.url);

describe('migration 0009 moves a history written before the logbook forward', () => {
  const temp = useTempDir();

  it('has the SQLite full-text search it needs in the better-sqlite3 build', () => {
    const db = temp.track(openHistoryDatabase(':memory:'));
    const options = db.prepare('SELECT compile_options FROM pragma_compile_options').pluck().all();
    expect(options).toContain('ENABLE_FTS5');
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'logbook_fts'").pluck().get()).toBe(1);
  });

  it('enters every run, action, step and note of a copy of a real history, searchable and intact', () => {
    const file = temp.path('history.sqlite3');
    copyFileSync(FIXTURE, file);
    const db = temp.track(openHistoryDatabase(file));
    const count = (sql: string) => Number(db.prepare(sql).pluck().get());
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toContain(9);
    expect(count("SELECT count(*) FROM logbook WHERE source = 'diagnosis'")).toBe(
      count('SELECT count(*) FROM diagnostic_runs'),
    );
    expect(count("SELECT count(*) FROM logbook WHERE source = 'audit'")).toBe(count('SELECT count(*) FROM audit_log'));
    expect(count("SELECT count(*) FROM logbook WHERE source = 'step'")).toBeGreaterThan(0);

    const repo = new HistoryRepository(db, systemClock, testAudit());
    // The chain and the signed run are untouched by the move: the old rows still link up once the chain is keyed.
    const rowsBefore = count('SELECT count(*) FROM audit_log');
    expect(repo.anchorAudit('test')).toBe(true);
    expect(repo.verifyAudit()).toMatchObject({ ok: true, checked: rowsBefore + 1, chain: { legacyRows: rowsBefore } });
    const logbook = new LogbookService(db);
    const all = logbook.page({}, undefined, 500).entries;
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
    for (const entry of all) {
      expect(entry.kind, entry.code).not.toBe('other');
      expect(describeEntry(entry, 'en')).not.toContain(entry.code.includes('.') ? entry.code : '\u0000');
    }
    // A checklist item's note, written before the logbook existed, is found by a word in it.
    const found = logbook.page({ query: 'scan report' }, undefined, 10).entries;
    expect(found.map((e) => e.code)).toEqual(['procedure.step']);
    expect(found[0]?.unit).toBe('sim-01');
    const writes = logbook.page({ kinds: ['register-write'] }, undefined, 10).entries;
    expect(writes.map((e) => describeEntry(e, 'en'))[0]).toMatch(
      /^Wrote resetErrors \(0x0109\) on the safety module 3/,
    );
    const signed = logbook.page({ kinds: ['procedure-run'], query: 'Nguyen' }, undefined, 10).entries;
    expect(signed.map((e) => describeEntry(e, 'en'))).toEqual([
      'Signed the record of “Pre-deployment checklist” as Nguyen Van A',
    ]);
    // A search that walks the time index over its matches (as with many matches) finds the same pages, by cursor.
    const walking = new LogbookService(db, 0);
    for (const filter of [
      { query: 'sim*' },
      { query: 'trust', units: ['sim-02'] },
      { query: 'umask', levels: ['ERROR' as const] },
    ]) {
      const sorted = logbook.page(filter, undefined, 3);
      expect(sorted.entries.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(walking.page(filter, undefined, 3)).toEqual(sorted);
      if (sorted.next) {
        expect(walking.page(filter, sorted.next, 3)).toEqual(logbook.page(filter, sorted.next, 3));
      }
    }
    // Old reports read back whole, and new sweeps land after them.
    const [unit] = repo.listUnits();
    const old = repo.listDiagnoses(unit?.name ?? '', 1)[0];
    expect(old?.checks.some((c) => c.evidence !== '' || (c.children ?? []).some((k) => k.evidence !== ''))).toBe(true);
    repo.saveDiagnosis(fleetReport(unit?.name ?? '', Date.now(), { firmwareFailed: true }, 'after-migration'));
    expect(logbook.page({ units: [unit?.name ?? ''] }, undefined, 1).entries[0]?.code).toMatch(/^(diagnosis|finding)$/);
  });

  it('keeps a long evidence once by its hash, however many sweeps print it, and reads reports back whole', () => {
    const { repo, db } = openRepo(temp, temp.path('h.sqlite3'), steppingClock());
    const report = fleetReport('unit-07', Date.parse('2026-11-01T08:00:00Z'), { seq: 1 }, 'run-1');
    const second = fleetReport('unit-07', Date.parse('2026-11-01T09:00:00Z'), { seq: 1 }, 'run-2');
    repo.saveDiagnosis(report);
    repo.saveDiagnosis(second);
    const long = db
      .prepare<[], { n: number }>(`SELECT count(*) AS n FROM check_results WHERE evidence_sha256 IS NOT NULL`)
      .get();
    expect(long?.n).toBeGreaterThan(0);
    // Each distinct long evidence is one blob, shared by both runs.
    expect(Number(db.prepare('SELECT count(*) FROM evidence_blobs').pluck().get())).toBe(long ? long.n / 2 : -1);
    expect(Number(db.prepare(`SELECT max(length(evidence)) FROM check_results`).pluck().get())).toBeLessThanOrEqual(
      INLINE_EVIDENCE_MAX,
    );
    expect(repo.getDiagnosis('run-1')).toEqual(report);
    expect(repo.listDiagnoses('unit-07', 5)).toEqual([second, report]);
  });
});

describe('the kinds of logbook entry', () => {
  it('claim every action the product records in its audit log, and each says it in English and Vietnamese', () => {
    const root = new URL('../../../electron/core/', import.meta.url);
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
      });
    const actions = new Set<string>();
    for (const file of sources(root.pathname)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/action: '([a-z0-9]+\.[A-Za-z.]+)'/g)) {
        actions.add(match[1] ?? '');
      }
      for (const match of text.matchAll(/this\.audit\([^,]+, [^,]+, '([a-z0-9.]+)'/g)) {
        actions.add(match[1] ?? '');
      }
    }
    actions.add('procedure.run.signed');
    for (const phase of ['verify', 'apply', 'rollback']) {
      actions.add(`restore.${phase}`);
    }
    expect(actions.size).toBeGreaterThan(20);
    for (const action of actions) {
      const kind = kindOfCode(action);
      expect(kind, action).toBeDefined();
      const entry = {
        id: '1',
        at: '2026-11-01T08:00:00.000Z',
        unit: 'unit-07',
        kind: kind?.id ?? '',
        code: action,
        outcome: 'ok',
        level: 'OK' as const,
        actor: 'an',
        ref: null,
        facts: {},
      };
      for (const language of ['en', 'vi'] as const) {
        const words = describeEntry(entry, language);
        expect(words, `${action} in ${language}`).not.toContain(action);
        expect(words).not.toMatch(/undefined|\[object|NaN/);
      }
    }
  });
});
