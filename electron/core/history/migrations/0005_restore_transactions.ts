import type { Migration } from './migration';

/**
 * Restore transactions and their phases. A restore is recorded before it touches the unit and after each phase, so
 * a restore cut short (laptop closed, unit gone) still says how far it got and which snapshot undoes it.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'restore_transactions',
  sql: `
-- unit is not a foreign key, as elsewhere: removing a unit keeps its restores. result is null while running.
CREATE TABLE restore_transactions (
  id TEXT PRIMARY KEY NOT NULL,
  unit TEXT NOT NULL,
  backup_id TEXT NOT NULL,
  snapshot_id TEXT,
  replacement INTEGER NOT NULL CHECK (replacement IN (0, 1)),
  started_at TEXT NOT NULL,
  started_by TEXT NOT NULL,
  finished_at TEXT,
  result TEXT CHECK (result IS NULL OR result IN ('committed', 'rolled-back', 'failed', 'refused')),
  reason TEXT
) STRICT;
CREATE INDEX restore_transactions_by_unit ON restore_transactions (unit, started_at);

CREATE TABLE restore_phases (
  transaction_id TEXT NOT NULL REFERENCES restore_transactions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  phase TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('started', 'ok', 'failed', 'skipped')),
  at TEXT NOT NULL,
  detail TEXT NOT NULL,
  data_json TEXT NOT NULL CHECK (json_valid(data_json)),
  PRIMARY KEY (transaction_id, seq)
) STRICT, WITHOUT ROWID;
`,
};
