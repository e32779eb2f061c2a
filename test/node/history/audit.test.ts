import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { auditHash, GENESIS_HASH } from '../../../electron/core/history/auditChain';
import { auditHeadPath } from '../../../electron/core/history/auditHead';
import { AuditKeyring, givenKeySource } from '../../../electron/core/history/auditKey';
import { canonicalJson } from '../../../electron/core/history/canonicalJson';
import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { TEST_AUDIT_KEY } from '../../support/fakes/auditKeys';
import { rewriteAndRehash } from '../../support/history/auditTamper';
import { catchAppError, openRepo, steppingClock, useTempDir } from './fixtures';

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
  raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  raw.exec(sql);
  raw.close();
}

describe('the keyed audit log', () => {
  const temp = useTempDir();

  it('chains every entry to the one before with an HMAC-SHA-256 under the key, starting from 64 zeros', () => {
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
    // The documented formula, written out independently of the implementation.
    const canonical = `{"action":"units.add","actor":"tech:ana","at":"${entry?.at}","details":{"host":"oht-07.fleet.local"},"id":"${first.id}","outcome":"ok","seq":1,"unit":"OHT-07"}`;
    expect(first.hash).toBe(
      createHmac('sha256', TEST_AUDIT_KEY)
        .update(GENESIS_HASH + canonical)
        .digest('hex'),
    );
  });

  it('verifies an intact chain after many appends, against the head file kept outside the database', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 250);
    const verdict = repo.verifyAudit();
    expect(verdict).toMatchObject({
      ok: true,
      checked: 250,
      chain: { keyed: true, keySource: 'the test key', legacyRows: 0, headBehind: 0 },
    });
    const head = JSON.parse(readFileSync(auditHeadPath(dirname(file)), 'utf8')) as Record<string, unknown>;
    expect(head).toMatchObject({ rows: 250, head: repo.listAudit({ limit: 1 })[0]?.hash });
    expect(verdict.chain.head).toEqual({ rows: 250, hash: head.head });
  });

  it('lists entries newest first, for the fleet or for one unit, with their details as written', () => {
    const { repo } = openRepo(temp);
    appendMany(repo, 6);
    const all = repo.listAudit({ limit: 10 });
    expect(all.map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(all[0]?.details).toEqual({ service: 'oht50-firmware', attempt: 6, notes: { z: 'last', a: ['first', 6] } });
    expect(repo.listAudit({ unit: 'OHT-01', limit: 10 }).map((e) => e.seq)).toEqual([4, 1]);
  });

  it('refuses UPDATE and DELETE on audit_log: the log is append-only', () => {
    const { repo, db } = openRepo(temp);
    appendMany(repo, 3);
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'ok' WHERE seq = 2").run()).toThrow(
      'audit log is append-only',
    );
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow('audit log is append-only');
    expect(repo.verifyAudit()).toMatchObject({ ok: true, checked: 3 });
  });

  it('finds a changed row and names the first broken seq', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 50);
    tamper(file, `UPDATE audit_log SET outcome = 'ok', details_json = '{"attempt":37}' WHERE seq = 37`);
    expect(repo.verifyAudit()).toMatchObject({
      ok: false,
      checked: 36,
      firstBroken: { seq: 37, reason: 'contents do not match the keyed hash (changed, or re-hashed without the key)' },
    });
  });

  it.each([
    ['plain SHA-256, as the formula without the key', undefined],
    ['a key of their own', Buffer.alloc(32, 9)],
  ])('finds a chain edited and re-hashed from that row to the end with %s', (_how, key) => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 20);
    rewriteAndRehash(file, 10, { forged: true }, key);
    expect(repo.verifyAudit()).toMatchObject({
      ok: false,
      checked: 9,
      firstBroken: { seq: 10, reason: 'contents do not match the keyed hash (changed, or re-hashed without the key)' },
    });
  });

  it('finds rows cut off the end, and records nothing more over the cut', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 50);
    tamper(file, 'DELETE FROM audit_log WHERE seq > 47');
    expect(repo.verifyAudit()).toMatchObject({
      ok: false,
      checked: 47,
      firstBroken: { seq: 48, reason: 'rows cut off the end: the head file records 50 rows, the log has 47' },
    });
    const refused = catchAppError(
      () => repo.appendAudit({ actor: 'tech:ana', unit: null, action: 'x', outcome: 'ok', details: {} }),
      'AUDIT_BROKEN',
    );
    expect(refused.message).toContain('rows cut off the end');
  });

  it('finds a head file removed, or rewritten without the key', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 10);
    const headFile = auditHeadPath(dirname(file));
    const head = JSON.parse(readFileSync(headFile, 'utf8')) as Record<string, unknown>;
    tamper(file, 'DELETE FROM audit_log WHERE seq > 8');
    writeFileSync(headFile, JSON.stringify({ ...head, rows: 8, head: repo.listAudit({ limit: 1 })[0]?.hash }));
    expect(repo.verifyAudit()).toMatchObject({
      ok: false,
      firstBroken: { reason: `the head file ${headFile} was not written with this chain's key: it was altered` },
    });
    rmSync(headFile);
    expect(repo.verifyAudit()).toMatchObject({
      ok: false,
      firstBroken: { reason: `the head file ${headFile} is missing: rows cut off the end cannot be ruled out` },
    });
  });

  it('finds a changed prev_hash, a deleted row as a gap, and the first row deleted', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 30);
    tamper(file, `UPDATE audit_log SET prev_hash = '${'f'.repeat(64)}' WHERE seq = 4`);
    expect(repo.verifyAudit()).toMatchObject({
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, reason: 'prev_hash does not match the hash of row 3' },
    });
    tamper(file, 'DELETE FROM audit_log WHERE seq IN (1, 20)');
    expect(repo.verifyAudit()).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 1 } });
  });

  it('cannot be verified, nor written to, without its key', () => {
    const { repo, file, db } = openRepo(temp);
    appendMany(repo, 3);
    const stranger = new HistoryRepository(db, steppingClock(), {
      keys: new AuditKeyring([givenKeySource(Buffer.alloc(32, 1), 'another key')]),
      headFile: auditHeadPath(dirname(file)),
    });
    const missing = catchAppError(() => stranger.verifyAudit(), 'AUDIT_KEY_MISSING');
    expect(missing.message).toMatch(
      /^the audit chain is keyed with the test key \(key [0-9a-f]{16}\), which is not available here/,
    );
    catchAppError(
      () => stranger.appendAudit({ actor: 'x', unit: null, action: 'x', outcome: 'ok', details: {} }),
      'AUDIT_KEY_MISSING',
    );
  });

  it('verifies an empty log', () => {
    const { repo } = openRepo(temp);
    expect(repo.verifyAudit()).toMatchObject({ ok: true, checked: 0, chain: { keyed: false } });
  });
});

describe('re-anchoring a chain an earlier build wrote without a key', () => {
  const temp = useTempDir();

  /** Rows as an earlier build wrote them: SHA-256 without a key, and no key recorded for the chain. */
  function writeLegacy(file: string, count: number): void {
    const raw = new BetterSqlite3(file);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= count; seq += 1) {
      const fields = {
        seq,
        id: randomUUID(),
        at: `2026-01-0${1 + (seq % 9)}T00:00:00.000Z`,
        actor: 'tech:old',
        unit: 'OHT-01',
        action: 'services.restart',
        outcome: 'ok',
        details: { seq },
      };
      const hash = auditHash(prev, fields);
      raw
        .prepare('INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(
          seq,
          fields.id,
          fields.at,
          fields.actor,
          fields.unit,
          fields.action,
          fields.outcome,
          canonicalJson(fields.details),
          prev,
          hash,
        );
      prev = hash;
    }
    raw.close();
  }

  it('anchors it once with a recorded audit.anchor row, and then proves the old rows too', () => {
    const { repo, file } = openRepo(temp);
    writeLegacy(file, 12);
    expect(repo.verifyAudit()).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/not keyed yet/) },
    });
    const legacyHead = repo.listAudit({ limit: 1 })[0]?.hash;
    expect(repo.anchorAudit('tech:ana')).toBe(true);
    expect(repo.anchorAudit('tech:ana')).toBe(false);
    const [anchor] = repo.listAudit({ limit: 1 });
    expect(anchor).toMatchObject({
      seq: 13,
      action: 'audit.anchor',
      actor: 'tech:ana',
      details: { legacyRows: 12, legacyHead, legacyIntact: true, keySource: 'the test key' },
    });
    appendMany(repo, 3);
    expect(repo.verifyAudit()).toMatchObject({ ok: true, checked: 16, chain: { keyed: true, legacyRows: 12 } });

    // An old row edited and the old chain re-hashed no longer reaches the head the anchor row recorded.
    rewriteAndRehash(file, 5, { edited: true });
    expect(repo.verifyAudit()).toMatchObject({ ok: false, firstBroken: { seq: 13 } });
  });

  it('does not key a log again over keyed rows that were removed', () => {
    const { repo, file } = openRepo(temp);
    appendMany(repo, 5);
    const raw = new BetterSqlite3(file);
    raw.exec(`DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_chain_anchored_once;
      DELETE FROM audit_log; DELETE FROM logbook WHERE source = 'audit';
      UPDATE audit_chain SET key_id = NULL, key_source = NULL, keyed_from = NULL;`);
    raw.close();
    writeLegacy(file, 3);
    const refused = catchAppError(() => repo.anchorAudit('tech:ana'), 'AUDIT_BROKEN');
    expect(refused.message).toMatch(/its keyed rows were removed/);
  });
});
