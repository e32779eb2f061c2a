import type { Migration } from './migration';

/**
 * The first fleet-history schema. Tables are STRICT so that a column's type can be trusted when read back;
 * the JSON columns are still validated by the repository because json_valid says nothing about their shape.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE units (
  name TEXT PRIMARY KEY NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  user TEXT NOT NULL,
  auth_json TEXT NOT NULL CHECK (json_valid(auth_json)),
  profile_json TEXT NOT NULL CHECK (json_valid(profile_json)),
  created_at TEXT NOT NULL
) STRICT;

-- One pin per unit; forgetting the unit forgets its pin.
CREATE TABLE host_keys (
  unit TEXT PRIMARY KEY NOT NULL REFERENCES units(name) ON DELETE CASCADE ON UPDATE CASCADE,
  algorithm TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  pinned_at TEXT NOT NULL
) STRICT;

-- unit is deliberately not a foreign key: removing a unit must never delete what happened to it.
-- id is a random UUID so that runs from different laptops can be merged later without clashes.
-- report_json holds the whole report as saved, so a run reads back exactly; check_results is its queryable copy.
CREATE TABLE diagnostic_runs (
  id TEXT PRIMARY KEY NOT NULL,
  unit TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('OK', 'WARN', 'ERROR', 'STALE')),
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  report_json TEXT NOT NULL CHECK (json_valid(report_json))
) STRICT;
CREATE INDEX diagnostic_runs_by_unit ON diagnostic_runs (unit, started_at);

-- Every check of a run, flattened depth-first (ordinal) with its parent's id.
-- unit and started_at are copied from the run so that "how has check X on unit U gone over time" is one index range.
CREATE TABLE check_results (
  run_id TEXT NOT NULL REFERENCES diagnostic_runs(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  unit TEXT NOT NULL,
  started_at TEXT NOT NULL,
  check_id TEXT NOT NULL,
  parent_id TEXT,
  level TEXT NOT NULL CHECK (level IN ('OK', 'WARN', 'ERROR', 'STALE')),
  message TEXT NOT NULL,
  evidence TEXT NOT NULL,
  runbook TEXT,
  PRIMARY KEY (run_id, ordinal)
) STRICT;
CREATE INDEX check_results_by_unit_check ON check_results (unit, check_id, started_at);

-- What technicians did, hash-chained (see auditChain.ts). seq is assigned by the writer, not by SQLite,
-- because it is part of each row's hash.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  unit TEXT,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'refused')),
  details_json TEXT NOT NULL CHECK (json_valid(details_json)),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_unit ON audit_log (unit, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
`,
};
