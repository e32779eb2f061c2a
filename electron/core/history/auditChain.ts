import { createHash, createHmac } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import type { JsonValue } from '../../../shared/errors/AppError';
import type { AuditRow } from './auditRecord';
import { canonicalJson } from './canonicalJson';

/** The prev_hash of the first row: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** The row that keys a chain an earlier build began without a key: written once, with what came before it. */
export const ANCHOR_ACTION = 'audit.anchor';

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

/**
 * A row's hash over the previous row's hash and its own canonical content: HMAC-SHA-256 under the audit key for a
 * keyed row, plain SHA-256 (without a key) for the rows earlier builds wrote. Each row commits to every row before it.
 */
export function auditHash(prevHash: string, fields: AuditHashedFields, key?: Buffer): string {
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
  const digest = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  return digest.update(prevHash + canonical, 'utf8').digest('hex');
}

/** How rows are checked: unkeyed before keyedFrom (earlier builds), keyed from it on; the anchor row is told apart. */
export type ChainKeying = { key: Buffer; keyId: string; keyedFrom: number } | null;

/**
 * Walks the log in seq order and recomputes every hash: a changed row (its hash no longer matches), a removed row (a
 * gap in seq), a re-linked row (prev_hash not the previous row's hash), and, for the keyed part, a row rewritten and
 * re-hashed by someone without the key. Rows cut off the end are found against the head file (see KeyedAuditLog).
 */
export function verifyRows(db: BetterSqlite3.Database, keying: ChainKeying): AuditVerification {
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
    const reason = findBreak(row, expectedSeq, prevHash, keying);
    if (reason) {
      return { ok: false, checked, firstBroken: reason };
    }
    checked += 1;
    expectedSeq = row.seq + 1;
    prevHash = row.hash;
  }
  return { ok: true, checked };
}

/** The unkeyed chain of earlier builds alone: what verify said before the chain was keyed. */
export function verifyAuditChain(db: BetterSqlite3.Database): AuditVerification {
  return verifyRows(db, null);
}

function findBreak(
  row: AuditRow,
  expectedSeq: number,
  prevHash: string,
  keying: ChainKeying,
): { seq: number; reason: string } | undefined {
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
  const keyed = keying !== null && row.seq >= keying.keyedFrom;
  if (keying !== null && row.seq === keying.keyedFrom && keying.keyedFrom > 1) {
    const anchor = anchorProblem(row, details, keying);
    if (anchor) {
      return { seq: row.seq, reason: anchor };
    }
  } else if (keying !== null && row.action === ANCHOR_ACTION) {
    return { seq: row.seq, reason: `a second audit.anchor row (the chain is keyed from row ${keying.keyedFrom})` };
  }
  if (auditHash(row.prev_hash, { ...row, details }, keyed ? keying.key : undefined) !== row.hash) {
    return {
      seq: row.seq,
      reason: keyed
        ? 'contents do not match the keyed hash (changed, or re-hashed without the key)'
        : 'contents do not match the hash',
    };
  }
  return undefined;
}

function anchorProblem(row: AuditRow, details: Record<string, JsonValue>, keying: NonNullable<ChainKeying>) {
  if (row.action !== ANCHOR_ACTION) {
    return `row ${row.seq} should anchor the keyed chain, but it is ${row.action}`;
  }
  if (details.keyId !== keying.keyId || details.legacyRows !== keying.keyedFrom - 1) {
    return 'the anchor row does not name this key and the rows before it';
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
