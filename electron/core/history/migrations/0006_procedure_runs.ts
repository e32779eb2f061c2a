import type { Migration } from './migration';

/**
 * Procedure runs: which procedure (id and the exact version, kept whole so a resumed run follows what it started
 * with) was run on which units by whom, every step attempt with its gates, output and evidence, and how the run
 * ended. Attachments are stored once by their SHA-256. A signed run is frozen by triggers; `ohtw audit verify`
 * also re-checks its rows against the hash its sign-off put in the audit log, for a file edited with the triggers
 * dropped.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'procedure_runs',
  sql: `
CREATE TABLE procedure_runs (
  id TEXT PRIMARY KEY NOT NULL,
  procedure_id TEXT NOT NULL,
  procedure_version TEXT NOT NULL,
  procedure_json TEXT NOT NULL CHECK (json_valid(procedure_json)),
  params_json TEXT NOT NULL CHECK (json_valid(params_json)),
  started_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'aborted', 'escalated')),
  abort_reason TEXT CHECK (state <> 'aborted' OR abort_reason IS NOT NULL),
  escalation_level INTEGER CHECK (state <> 'escalated' OR escalation_level IS NOT NULL),
  ended_at TEXT,
  ended_by TEXT,
  signed_by TEXT,
  signed_at TEXT,
  record_hash TEXT,
  audit_seq INTEGER,
  CHECK ((signed_at IS NULL) = (record_hash IS NULL))
) STRICT;

-- The units a run is for (several for a routine check), in the order given; unit is not a foreign key, as elsewhere.
CREATE TABLE procedure_run_units (
  run_id TEXT NOT NULL REFERENCES procedure_runs(id) ON DELETE CASCADE,
  unit TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  PRIMARY KEY (run_id, unit)
) STRICT, WITHOUT ROWID;
CREATE INDEX procedure_run_units_by_unit ON procedure_run_units (unit, run_id);

-- One row per attempt at a step, in the order they happened. 'started' is written before an action runs and
-- replaced once it ends, so a row still 'started' after a crash or a lost link is an interrupted action.
CREATE TABLE procedure_step_results (
  run_id TEXT NOT NULL REFERENCES procedure_runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  step_id TEXT NOT NULL,
  unit TEXT,
  status TEXT NOT NULL CHECK (status IN ('started', 'done', 'failed', 'blocked', 'interrupted', 'skipped')),
  actor TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  result_json TEXT NOT NULL CHECK (json_valid(result_json)),
  PRIMARY KEY (run_id, seq)
) STRICT;

-- Notes and attachments of a step attempt; every one carries the SHA-256 of its content.
CREATE TABLE procedure_evidence (
  run_id TEXT NOT NULL REFERENCES procedure_runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('note', 'attachment')),
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size >= 0),
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (run_id, seq, ordinal)
) STRICT;

-- Content-addressed: one copy of each attachment or note, whatever number of steps refer to it.
CREATE TABLE evidence_blobs (
  sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size >= 0),
  content BLOB NOT NULL CHECK (length(content) = size)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER evidence_blobs_no_update BEFORE UPDATE ON evidence_blobs
BEGIN
  SELECT RAISE(ABORT, 'evidence is content-addressed and cannot be changed');
END;

CREATE TRIGGER evidence_blobs_no_delete BEFORE DELETE ON evidence_blobs
BEGIN
  SELECT RAISE(ABORT, 'evidence is content-addressed and cannot be removed');
END;

CREATE TRIGGER procedure_runs_signed_no_update BEFORE UPDATE ON procedure_runs WHEN OLD.signed_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_runs_signed_no_delete BEFORE DELETE ON procedure_runs WHEN OLD.signed_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_run_units_signed BEFORE INSERT ON procedure_run_units
WHEN (SELECT signed_at FROM procedure_runs WHERE id = NEW.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_run_units_signed_no_update BEFORE UPDATE ON procedure_run_units
WHEN (SELECT signed_at FROM procedure_runs WHERE id = OLD.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_step_results_signed_no_insert BEFORE INSERT ON procedure_step_results
WHEN (SELECT signed_at FROM procedure_runs WHERE id = NEW.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_step_results_signed_no_update BEFORE UPDATE ON procedure_step_results
WHEN (SELECT signed_at FROM procedure_runs WHERE id = OLD.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_step_results_signed_no_delete BEFORE DELETE ON procedure_step_results
WHEN (SELECT signed_at FROM procedure_runs WHERE id = OLD.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_evidence_signed_no_insert BEFORE INSERT ON procedure_evidence
WHEN (SELECT signed_at FROM procedure_runs WHERE id = NEW.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_evidence_signed_no_update BEFORE UPDATE ON procedure_evidence
WHEN (SELECT signed_at FROM procedure_runs WHERE id = OLD.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;

CREATE TRIGGER procedure_evidence_signed_no_delete BEFORE DELETE ON procedure_evidence
WHEN (SELECT signed_at FROM procedure_runs WHERE id = OLD.run_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a signed procedure run cannot be changed');
END;
`,
};
