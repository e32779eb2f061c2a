import { createHash } from 'node:crypto';

import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { auditHash, GENESIS_HASH, verifyAuditChain } from '../../../electron/core/history/auditChain';
import type { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { openRepo, useTempDir } from './fixtures';

function appendMany(repo: HistoryRepository, count: number): void {
  for (let i = 1; i <= count; i += 1) {
    repo.appendAudit({
      actor: i % 2 === 0 ? 'tech:ana' : 'tech:bo',
      unit: i % 3 === 0 ? null : `OHT-0${i % 3}`,
      action: 'services.restart',
      outcome: i % 5 === 0 ? 'failed' : 'ok',
      details: { service: 'oht50-firmware', attempt: i, notes: { z: 'last', a: ['first', i] } },
    });
  }
}

/** Stands in for someone editing the file with another SQLite tool: the app's triggers are simply dropped. */
function tamper(file: string, sql: string): void {
  const raw = new BetterSqlite3(file);
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  raw.exec(sql);
  raw.close();
}

describe('audit log', () => {
  const temp = useTempDir();

  it('chains every entry to the one before, starting from 64 zeros', () => {
    const { repo } = openRepo(temp);
    const first = repo.appendAudit({
      actor: 'tech:ana',
      unit: 'OHT-07',
      action: 'units.add',
      outcome: 'ok',
      details: { host: 'oht-07.fleet.local' },
    });
    const [entry] = repo.listAudit({ limit: 1 });
    expect(first.seq).toBe(1);
    expect(entry).toMatchObject({ seq: 1, id: first.id, prevHash: GENESIS_HASH, hash: first.hash });
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The documented formula, written out independently of the implementation.
    const canonical = `{"action":"units.add","actor":"tech:ana","at":"${entry?.at}","details":{"host":"oht-07.fleet.local"},"id":"${first.id}","outcome":"ok","seq":1,"unit":"OHT-07"}`;
    expect(first.hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonical)
        .digest('hex'),
    );
  });

  it('verifies an intact chain after many appends', () => {
    const { repo } = openRepo(temp);
    appendMany(repo, 250);
    expect(repo.verifyAudit()).toEqual({ ok: true, checked: 250 });
  });

  it('lists entries newest first, for the fleet or for one unit, with their details as written', () => {
    const { repo } = openRepo(temp);
    appendMany(repo, 6);
    const all = repo.listAudit({ limit: 10 });
    expect(all.map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(all[0]?.details).toEqual({ service: 'oht50-firmware', attempt: 6, notes: { z: 'last', a: ['first', 6] } });
    expect(repo.listAudit({ unit: 'OHT-01', limit: 10 }).map((e) => e.seq)).toEqual([4, 1]);
    expect(repo.listAudit({ limit: 2 }).map((e) => e.seq)).toEqual([6, 5]);
  });

  it('refuses UPDATE and DELETE on audit_log: the log is append-only', () => {
    const { repo, db } = openRepo(temp);
    appendMany(repo, 3);
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'ok' WHERE seq = 2").run()).toThrow(
      'audit log is append-only',
    );
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow('audit log is append-only');
    expect(repo.verifyAudit()).toEqual({ ok: true, checked: 3 });
  });

  it('finds a changed row after the file was tampered with, and names the first broken seq', () => {
    const { repo, db, file } = openRepo(temp);
    appendMany(repo, 50);
    tamper(file, `UPDATE audit_log SET outcome = 'ok', details_json = '{"attempt":37}' WHERE seq = 37`);
    expect(repo.verifyAudit()).toEqual({
      ok: false,
      checked: 36,
      firstBroken: { seq: 37, reason: 'contents do not match the hash' },
    });
    expect(verifyAuditChain(db)).toEqual(repo.verifyAudit());
  });

  it('finds a row that was changed and re-hashed, at the next row that still points to the old hash', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 20);
    const row = repo.listAudit({ limit: 20 }).find((e) => e.seq === 10)!;
    const forged = { ...row, outcome: 'ok' as const, details: { forged: true } };
    const forgedHash = auditHash(row.prevHash, forged);
    tamper(
      file,
      `UPDATE audit_log SET outcome = 'ok', details_json = '{"forged":true}', hash = '${forgedHash}' WHERE seq = 10`,
    );
    expect(repo.verifyAudit()).toEqual({
      ok: false,
      checked: 10,
      firstBroken: { seq: 11, reason: 'prev_hash does not match the hash of row 10' },
    });
  });

  it('finds a changed prev_hash', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 5);
    tamper(file, `UPDATE audit_log SET prev_hash = '${'f'.repeat(64)}' WHERE seq = 4`);
    expect(repo.verifyAudit()).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, reason: 'prev_hash does not match the hash of row 3' },
    });
  });

  it('finds a deleted row as a gap in the sequence', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 30);
    tamper(file, 'DELETE FROM audit_log WHERE seq = 20');
    expect(repo.verifyAudit()).toEqual({
      ok: false,
      checked: 19,
      firstBroken: { seq: 20, reason: 'row 20 is missing (the next row is 21)' },
    });
  });

  it('finds the first row deleted', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 3);
    tamper(file, 'DELETE FROM audit_log WHERE seq = 1');
    expect(repo.verifyAudit()).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 1 } });
  });

  it('verifies an empty log', () => {
    const { repo } = openRepo(temp);
    expect(repo.verifyAudit()).toEqual({ ok: true, checked: 0 });
  });
});
