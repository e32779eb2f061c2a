import type BetterSqlite3 from 'better-sqlite3';

import { auditedContentIntact, verifyAuditedContent, type AuditedContentSpec } from '../auditChecks';
import type { AuditCheckResult } from '../feature';
import { TERMINAL_SESSION_ACTION } from './TerminalSession';
import type { TerminalStore } from './TerminalStore';

/** Recordings as the audit check sees them: each one's text and the SHA-256 stored beside it. */
export function recordingSpec(db: BetterSqlite3.Database, store: TerminalStore): AuditedContentSpec {
  return {
    action: TERMINAL_SESSION_ACTION,
    idKey: 'sessionId',
    describe: (id, label) => `the recording of terminal session ${id}${label === undefined ? '' : ` (${label})`}`,
    load(id) {
      const row = store.get(id);
      const cast = row ? store.cast(id) : undefined;
      return row && cast !== undefined && row.cast_sha256 !== null
        ? { content: cast, storedSha256: row.cast_sha256, label: `${row.unit}, ${row.started_at}` }
        : undefined;
    },
    storedIds: () =>
      db
        .prepare<[], string>('SELECT id FROM terminal_sessions WHERE cast_sha256 IS NOT NULL ORDER BY started_at')
        .pluck()
        .all(),
  };
}

export function recordingIntact(db: BetterSqlite3.Database, store: TerminalStore, id: string, auditSeq: number | null) {
  return auditedContentIntact(db, recordingSpec(db, store), id, auditSeq);
}

export function verifyRecordings(db: BetterSqlite3.Database, store: TerminalStore): AuditCheckResult {
  return verifyAuditedContent(db, recordingSpec(db, store));
}
