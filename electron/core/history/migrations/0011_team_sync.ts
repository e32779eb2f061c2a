import type { Migration } from './migration';

/*
 * The history as one device of a team (see electron/core/team). The laptop's SQLite stays the source of truth; the
 * team server (PostgreSQL) holds every device's rows, and each laptop keeps a copy of its colleagues' rows here.
 *
 * - `device` names this data folder among the team's devices: a random id made once, here, so that every history
 *   (an existing one too) has its own from this migration on. Record ids were random UUIDs from the first schema
 *   (runs, diagnoses, restores, audit rows), so they are already unique across laptops; what is numbered locally
 *   (audit seq, logbook ids, settings keys) goes to the server qualified by this device id.
 * - `sync_outbox` lists what changed here since the last push: the triggers below queue a unit, a diagnosis, a
 *   procedure run, a restore or a team setting whenever one of its rows is written, whichever feature wrote it. A row
 *   leaves the outbox only after the server committed it; a row queued again meanwhile gets a higher id and stays
 *   (AUTOINCREMENT: an id is never reused, so a re-queue can never take the id of one being pushed). Everything this
 *   history held before is queued by this migration, so the first sync pushes the whole history once.
 * - Rows pulled from colleagues never enter the outbox: a pulled diagnosis carries its device_id (NULL is this
 *   device), and everything else pulled lives in the team_* tables, never in this device's own tables (its audit
 *   chain, its procedure runs and restores stay its own).
 * - The logbook names the device an entry was recorded on (NULL: this one), so that it shows the team's work
 *   labelled and filters "mine" from "team".
 */
export const migration0011: Migration = {
  version: 11,
  name: 'team_sync',
  sql: `
CREATE TABLE device (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
INSERT INTO device (id, device_id, created_at)
SELECT 1,
       lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' ||
             substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM (SELECT hex(randomblob(16)) AS h);

CREATE TRIGGER device_made_once BEFORE UPDATE ON device
BEGIN
  SELECT RAISE(ABORT, 'the device id of a history is made once');
END;
CREATE TRIGGER device_kept BEFORE DELETE ON device
BEGIN
  SELECT RAISE(ABORT, 'the device id of a history is kept');
END;

ALTER TABLE diagnostic_runs ADD COLUMN device_id TEXT;
ALTER TABLE diagnostic_runs ADD COLUMN recorded_by TEXT;
ALTER TABLE logbook ADD COLUMN device_id TEXT;
CREATE INDEX logbook_from_team ON logbook (device_id, at_ms, id) WHERE device_id IS NOT NULL;

CREATE TABLE sync_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL CHECK (entity IN ('unit', 'diagnosis', 'run', 'restore', 'setting')),
  key TEXT NOT NULL,
  UNIQUE (entity, key)
) STRICT;

-- What the sync keeps between runs: the server joined, its id, the pull cursors, the last sync's outcome.
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY NOT NULL,
  value_json TEXT NOT NULL CHECK (json_valid(value_json))
) STRICT;

-- Backup manifests live in the backup store, not here: what was pushed is remembered by digest.
CREATE TABLE sync_pushed_backups (
  backup_id TEXT PRIMARY KEY NOT NULL,
  digest TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE team_devices (
  device_id TEXT PRIMARY KEY NOT NULL,
  label TEXT NOT NULL,
  technician TEXT,
  chain_id TEXT,
  seen_at TEXT NOT NULL
) STRICT;

-- Each colleague's view of a unit: where it is and which host key that laptop pinned.
CREATE TABLE team_units (
  device_id TEXT NOT NULL,
  name TEXT NOT NULL,
  host TEXT,
  port INTEGER,
  user TEXT,
  key_algorithm TEXT,
  key_fingerprint TEXT,
  key_pinned_at TEXT,
  removed INTEGER NOT NULL CHECK (removed IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (device_id, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_units_by_name ON team_units (name, device_id);

-- Colleagues' audit chains as pulled: verified for linkage and compared with the server by audit verify --team.
CREATE TABLE team_audit (
  device_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  unit TEXT,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;

-- Colleagues' procedure runs (with their signed records), restores and backup manifests, whole, as JSON.
CREATE TABLE team_records (
  entity TEXT NOT NULL CHECK (entity IN ('run', 'restore', 'backup')),
  device_id TEXT NOT NULL,
  id TEXT NOT NULL,
  unit TEXT,
  at TEXT NOT NULL,
  actor TEXT,
  digest TEXT NOT NULL,
  body_json TEXT NOT NULL CHECK (json_valid(body_json)),
  PRIMARY KEY (entity, device_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_records_by_unit ON team_records (unit, at);

-- Every edit of a team setting any device made (this one's too, once pushed): the later one is in force.
CREATE TABLE team_setting_edits (
  key TEXT NOT NULL,
  device_id TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  value_json TEXT NOT NULL CHECK (json_valid(value_json)),
  PRIMARY KEY (key, device_id, at)
) STRICT, WITHOUT ROWID;

-- A host-key conflict is recorded in the audit log once per set of fingerprints, and shown for as long as it lasts.
CREATE TABLE team_conflicts_recorded (
  unit TEXT NOT NULL,
  fingerprints TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (unit, fingerprints)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER sync_queue_unit_insert AFTER INSERT ON units
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'unit' AND key = NEW.name;
  INSERT INTO sync_outbox (entity, key) VALUES ('unit', NEW.name);
END;
CREATE TRIGGER sync_queue_unit_update AFTER UPDATE ON units
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'unit' AND key IN (OLD.name, NEW.name);
  INSERT INTO sync_outbox (entity, key) VALUES ('unit', OLD.name);
  INSERT OR IGNORE INTO sync_outbox (entity, key) VALUES ('unit', NEW.name);
END;
CREATE TRIGGER sync_queue_unit_delete AFTER DELETE ON units
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'unit' AND key = OLD.name;
  INSERT INTO sync_outbox (entity, key) VALUES ('unit', OLD.name);
END;
CREATE TRIGGER sync_queue_host_key_insert AFTER INSERT ON host_keys
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'unit' AND key = NEW.unit;
  INSERT INTO sync_outbox (entity, key) VALUES ('unit', NEW.unit);
END;
CREATE TRIGGER sync_queue_host_key_update AFTER UPDATE ON host_keys
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'unit' AND key = NEW.unit;
  INSERT INTO sync_outbox (entity, key) VALUES ('unit', NEW.unit);
END;

CREATE TRIGGER sync_queue_diagnosis AFTER INSERT ON diagnostic_runs WHEN NEW.device_id IS NULL
BEGIN
  INSERT OR IGNORE INTO sync_outbox (entity, key) VALUES ('diagnosis', NEW.id);
END;

CREATE TRIGGER sync_queue_run_insert AFTER INSERT ON procedure_runs
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'run' AND key = NEW.id;
  INSERT INTO sync_outbox (entity, key) VALUES ('run', NEW.id);
END;
CREATE TRIGGER sync_queue_run_update AFTER UPDATE ON procedure_runs
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'run' AND key = NEW.id;
  INSERT INTO sync_outbox (entity, key) VALUES ('run', NEW.id);
END;
CREATE TRIGGER sync_queue_run_unit AFTER INSERT ON procedure_run_units
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'run' AND key = NEW.run_id;
  INSERT INTO sync_outbox (entity, key) VALUES ('run', NEW.run_id);
END;
CREATE TRIGGER sync_queue_run_step_insert AFTER INSERT ON procedure_step_results
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'run' AND key = NEW.run_id;
  INSERT INTO sync_outbox (entity, key) VALUES ('run', NEW.run_id);
END;
CREATE TRIGGER sync_queue_run_step_update AFTER UPDATE ON procedure_step_results
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'run' AND key = NEW.run_id;
  INSERT INTO sync_outbox (entity, key) VALUES ('run', NEW.run_id);
END;
CREATE TRIGGER sync_queue_run_evidence AFTER INSERT ON procedure_evidence
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'run' AND key = NEW.run_id;
  INSERT INTO sync_outbox (entity, key) VALUES ('run', NEW.run_id);
END;

CREATE TRIGGER sync_queue_restore_insert AFTER INSERT ON restore_transactions
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'restore' AND key = NEW.id;
  INSERT INTO sync_outbox (entity, key) VALUES ('restore', NEW.id);
END;
CREATE TRIGGER sync_queue_restore_update AFTER UPDATE ON restore_transactions
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'restore' AND key = NEW.id;
  INSERT INTO sync_outbox (entity, key) VALUES ('restore', NEW.id);
END;
CREATE TRIGGER sync_queue_restore_phase AFTER INSERT ON restore_phases
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'restore' AND key = NEW.transaction_id;
  INSERT INTO sync_outbox (entity, key) VALUES ('restore', NEW.transaction_id);
END;

-- Team settings only: the technician's name is this laptop's own.
CREATE TRIGGER sync_queue_setting_insert AFTER INSERT ON settings
WHEN NEW.key IN ('thresholds', 'escalation.matrix')
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'setting' AND key = NEW.key;
  INSERT INTO sync_outbox (entity, key) VALUES ('setting', NEW.key);
END;
CREATE TRIGGER sync_queue_setting_update AFTER UPDATE ON settings
WHEN NEW.key IN ('thresholds', 'escalation.matrix')
BEGIN
  DELETE FROM sync_outbox WHERE entity = 'setting' AND key = NEW.key;
  INSERT INTO sync_outbox (entity, key) VALUES ('setting', NEW.key);
END;

-- What this history held before: queued once, oldest first, for the first push.
INSERT INTO sync_outbox (entity, key) SELECT 'unit', name FROM units ORDER BY created_at, name;
INSERT INTO sync_outbox (entity, key) SELECT 'diagnosis', id FROM diagnostic_runs ORDER BY started_at, rowid;
INSERT INTO sync_outbox (entity, key) SELECT 'run', id FROM procedure_runs ORDER BY started_at, id;
INSERT INTO sync_outbox (entity, key) SELECT 'restore', id FROM restore_transactions ORDER BY started_at, id;
INSERT INTO sync_outbox (entity, key)
SELECT 'setting', key FROM settings WHERE key IN ('thresholds', 'escalation.matrix') ORDER BY key;
`,
};
