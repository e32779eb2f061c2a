import { createHash } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import type { JsonValue } from '../../../shared/errors/AppError';
import type { AuditRow } from './auditRecord';
import { canonicalJson } from './canonicalJson';

/** The prev_hash of the first row: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything in an audit row that its hash covers. */
export type AuditHashedFields = {
  seq: number;
  id: string;
  at: string;
  actor: string;
  unit: string | null;
  action: string;
  outcome: string;
  details: Record<string, JsonValue>;
};

/** When the chain is broken, checked counts the rows found intact before the first broken one. */
export type AuditVerification =
  { ok: true; checked: number } | { ok: false; checked: number; firstBroken: { seq: number; reason: string } };

/** sha256(prev_hash + canonical row), hex: each row commits to its own content and to every row before it. */
export function auditHash(prevHash: string, fields: AuditHashedFields): string {
  const canonical = canonicalJson({
    seq: fields.seq,
    id: fields.id,
    at: fields.at,
    actor: fields.actor,
    unit: fields.unit,
    action: fields.action,
    outcome: fields.outcome,
    details: fields.details,
  });
  return createHash('sha256')
    .update(prevHash + canonical, 'utf8')
    .digest('hex');
}

/**
 * Walks the whole log in seq order and recomputes every hash. Finds a changed row (its hash no longer matches),
 * a removed row (a gap in seq) and a re-linked row (prev_hash not the previous row's hash).
 * It cannot notice the newest rows being cut off: nothing after them refers to them.
 */
export function verifyAuditChain(db: BetterSqlite3.Database): AuditVerification {
  const rows = db
    .prepare<[], AuditRow>(
      `SELECT seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash
       FROM audit_log ORDER BY seq`,
    )
    .iterate();
  let checked = 0;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    const reason = findBreak(row, expectedSeq, prevHash);
    if (reason) {
      return { ok: false, checked, firstBroken: reason };
    }
    checked += 1;
    expectedSeq = row.seq + 1;
    prevHash = row.hash;
  }
  return { ok: true, checked };
}

function findBreak(row: AuditRow, expectedSeq: number, prevHash: string): { seq: number; reason: string } | undefined {
  if (row.seq !== expectedSeq) {
    return row.seq > expectedSeq
      ? { seq: expectedSeq, reason: `row ${expectedSeq} is missing (the next row is ${row.seq})` }
      : { seq: row.seq, reason: `row ${row.seq} is out of sequence (expected ${expectedSeq})` };
  }
  if (row.prev_hash !== prevHash) {
    return { seq: row.seq, reason: `prev_hash does not match the hash of row ${row.seq - 1}` };
  }
  const details = parseDetails(row.details_json);
  if (!details) {
    return { seq: row.seq, reason: 'details are not a JSON object' };
  }
  if (auditHash(row.prev_hash, { ...row, details }) !== row.hash) {
    return { seq: row.seq, reason: 'contents do not match the hash' };
  }
  return undefined;
}

/** details_json as written by appendAudit, or undefined when it is not a JSON object (the row was tampered with). */
export function parseDetails(text: string): Record<string, JsonValue> | undefined {
  try {
    const value = JSON.parse(text) as JsonValue;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
