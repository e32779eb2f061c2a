import BetterSqlite3 from 'better-sqlite3';

import type { JsonValue } from '../../../shared/errors/AppError';
import { auditHash, GENESIS_HASH } from '../../../electron/core/history/auditChain';
import type { AuditRow } from '../../../electron/core/history/auditRecord';
import { canonicalJson } from '../../../electron/core/history/canonicalJson';

/**
 * The attacker's rewrite of a history file: row `seq` gets new details, then every hash from it to the end is
 * recomputed with the published formula and the key the attacker has (none: plain SHA-256; or one of their own).
 * The app's triggers are simply dropped first, as another SQLite tool would.
 */
export function rewriteAndRehash(file: string, seq: number, details: Record<string, JsonValue>, key?: Buffer): void {
  const raw = new BetterSqlite3(file);
  try {
    raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update;');
    const rows = raw.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
    const update = raw.prepare('UPDATE audit_log SET details_json = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const detailsJson = row.seq === seq ? canonicalJson(details) : row.details_json;
      const hash =
        row.seq < seq
          ? row.hash
          : auditHash(prev, { ...row, details: JSON.parse(detailsJson) as Record<string, JsonValue> }, key);
      update.run(detailsJson, prev, hash, row.seq);
      prev = hash;
    }
  } finally {
    raw.close();
  }
}
