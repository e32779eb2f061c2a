import { createHash } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import type { AuditCheckResult } from '../feature';
import { parseDetails } from '../history/auditChain';
import { TERMINAL_SESSION_ACTION } from './TerminalSession';
import type { SessionRow, TerminalStore } from './TerminalStore';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Whether the stored recording is still the one whose SHA-256 its audit entry names. */
export function recordingIntact(db: BetterSqlite3.Database, row: SessionRow, cast: string): boolean {
  if (row.audit_seq === null || row.cast_sha256 === null) {
    return false;
  }
  const entry = db
    .prepare<[number], { action: string; details_json: string }>(
      'SELECT action, details_json FROM audit_log WHERE seq = ?',
    )
    .get(row.audit_seq);
  const details = entry ? parseDetails(entry.details_json) : undefined;
  return (
    entry?.action === TERMINAL_SESSION_ACTION &&
    details?.sessionId === row.id &&
    details.sha256 === row.cast_sha256 &&
    sha256(cast) === row.cast_sha256
  );
}

/**
 * Every recorded session against its audit entry: the recording is hashed again and compared with the SHA-256 the
 * entry names (which the chain protects), and a saved session without an entry is a break too. The first problem
 * is reported with the audit row it concerns.
 */
export function verifyRecordings(db: BetterSqlite3.Database, store: TerminalStore): AuditCheckResult {
  const entries = db
    .prepare<[string], { seq: number; details_json: string }>(
      'SELECT seq, details_json FROM audit_log WHERE action = ? ORDER BY seq',
    )
    .all(TERMINAL_SESSION_ACTION);
  const seen = new Set<string>();
  let checked = 0;
  for (const entry of entries) {
    const details = parseDetails(entry.details_json) ?? {};
    const sessionId = typeof details.sessionId === 'string' ? details.sessionId : '';
    seen.add(sessionId);
    const row = store.get(sessionId);
    const cast = row ? store.cast(sessionId) : undefined;
    if (!row || cast === undefined) {
      return broken(
        checked,
        entry.seq,
        `the recording of terminal session ${sessionId} has been removed from the history`,
      );
    }
    if (sha256(cast) !== details.sha256 || row.cast_sha256 !== details.sha256) {
      return broken(
        checked,
        entry.seq,
        `the recording of terminal session ${sessionId} (${row.unit}, ${row.started_at}) no longer matches the SHA-256 in audit row ${entry.seq}`,
      );
    }
    checked += 1;
  }
  const unaudited = db
    .prepare<[], { id: string; unit: string }>(
      'SELECT id, unit FROM terminal_sessions WHERE cast_sha256 IS NOT NULL ORDER BY started_at',
    )
    .all()
    .find((row) => !seen.has(row.id));
  if (unaudited) {
    return broken(
      checked,
      entries.length === 0 ? 0 : (entries[entries.length - 1]?.seq ?? 0),
      `terminal session ${unaudited.id} (${unaudited.unit}) has a recording but no entry in the audit log`,
    );
  }
  return { checked, firstBroken: null };
}

function broken(checked: number, seq: number, reason: string): AuditCheckResult {
  return { checked, firstBroken: { seq, reason } };
}
