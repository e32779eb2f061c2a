import type BetterSqlite3 from 'better-sqlite3';

import type { RestoreRecordView } from '../../ports/RestoreRecords';

export type { RestoreRecordView };

type TransactionRow = {
  id: string;
  backup_id: string;
  started_at: string;
  started_by: string;
  finished_at: string | null;
  result: RestoreRecordView['result'];
  reason: string | null;
};

/** The unit's newest restore transaction (the wizard's, the CLI's), or null when it was never restored here. */
export function latestRestore(db: BetterSqlite3.Database, unit: string): RestoreRecordView | null {
  const row = db
    .prepare(
      `SELECT id, backup_id, started_at, started_by, finished_at, result, reason
         FROM restore_transactions WHERE unit = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    )
    .get(unit) as TransactionRow | undefined;
  if (row === undefined) {
    return null;
  }
  const phases = db
    .prepare(
      "SELECT phase, status, detail FROM restore_phases WHERE transaction_id = ? AND status != 'started' ORDER BY seq",
    )
    .all(row.id) as RestoreRecordView['phases'];
  return {
    transactionId: row.id,
    backupId: row.backup_id,
    startedAt: row.started_at,
    startedBy: row.started_by,
    finishedAt: row.finished_at,
    result: row.result,
    reason: row.reason,
    phases,
  };
}
