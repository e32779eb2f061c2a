import type { Migration } from './migration';

/**
 * What the technician did at a unit's console: terminal sessions with their recordings, and log views kept as
 * evidence. Each is entered in the audit log with the SHA-256 of its content, so an edited recording or log view no
 * longer matches the chain. A session's row is written when it opens (ended_at null while it runs, or when the
 * workstation stopped under it) and completed with its recording when it ends.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'unit_console',
  sql: `
-- unit is not a foreign key, as elsewhere: removing a unit keeps its sessions. run_id: the procedure run that was
-- active on the unit when the session opened (the session is evidence of that run).
CREATE TABLE terminal_sessions (
  id TEXT PRIMARY KEY NOT NULL,
  unit TEXT NOT NULL,
  actor TEXT NOT NULL,
  face TEXT NOT NULL,
  interactive INTEGER NOT NULL CHECK (interactive IN (0, 1)),
  cols INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  run_id TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  duration_ms INTEGER,
  end_reason TEXT,
  exit_code INTEGER,
  -- The asciicast v2 text, gzip-compressed; cast_sha256 is the SHA-256 of the text itself.
  cast_gzip BLOB,
  cast_bytes INTEGER,
  cast_sha256 TEXT CHECK (cast_sha256 IS NULL OR length(cast_sha256) = 64),
  audit_seq INTEGER,
  CHECK ((ended_at IS NULL) = (cast_sha256 IS NULL))
) STRICT;
CREATE INDEX terminal_sessions_by_unit ON terminal_sessions (unit, started_at);
CREATE INDEX terminal_sessions_by_run ON terminal_sessions (run_id, started_at) WHERE run_id IS NOT NULL;

-- A live log view saved as evidence: the lines as shown, with the filter that chose them.
CREATE TABLE log_views (
  id TEXT PRIMARY KEY NOT NULL,
  unit TEXT NOT NULL,
  actor TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  run_id TEXT,
  filter_json TEXT NOT NULL CHECK (json_valid(filter_json)),
  lines INTEGER NOT NULL,
  content TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  audit_seq INTEGER
) STRICT;
CREATE INDEX log_views_by_unit ON log_views (unit, saved_at);
CREATE INDEX log_views_by_run ON log_views (run_id, saved_at) WHERE run_id IS NOT NULL;
`,
};
