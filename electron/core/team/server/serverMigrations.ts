import type { Migration } from '../../history/migrations/migration';

/*
 * The team server's schema in PostgreSQL, versioned and checksummed like the laptop's history (the same ledger rules:
 * the applied migrations must be this build's first ones, each unchanged since it was applied).
 *
 * Every device's rows are kept side by side, each under its device id: a device's audit chain is its own (rows by
 * (device_id, seq), with every head it pushed), a procedure run or a restore belongs to the device that recorded it
 * and only that device may push it again, a unit is each device's own view of it (so two laptops that pinned
 * different host keys for one unit are both kept, and shown as a conflict), and a team setting keeps every edit.
 *
 * `feed_seq` orders everything pushed for the pull: every insert or change takes the next number of team_feed, and
 * pushes take one transaction-level advisory lock, so numbers are committed in order and a pull that reads "after
 * n" never misses a row committed later with a smaller number.
 *
 * The audit rows and heads are append-only here too (triggers); what the server itself can and cannot prove about a
 * chain is in electron/core/team/teamAuditVerify.ts.
 */
export const SERVER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'team_history',
    sql: `
CREATE TABLE team_server (
  id integer PRIMARY KEY CHECK (id = 1),
  server_id uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO team_server (id) VALUES (1);

CREATE SEQUENCE team_feed;

CREATE TABLE team_devices (
  device_id text PRIMARY KEY,
  chain_id text,
  label text NOT NULL,
  technician text,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_push_at timestamptz,
  feed_seq bigint NOT NULL DEFAULT nextval('team_feed')
);
CREATE INDEX team_devices_feed ON team_devices (feed_seq);

CREATE TABLE team_units (
  device_id text NOT NULL REFERENCES team_devices,
  name text NOT NULL,
  host text,
  port integer,
  user_name text,
  key_algorithm text,
  key_fingerprint text,
  key_pinned_at text,
  removed boolean NOT NULL,
  updated_at text NOT NULL,
  digest text NOT NULL,
  feed_seq bigint NOT NULL DEFAULT nextval('team_feed'),
  PRIMARY KEY (device_id, name)
);
CREATE INDEX team_units_by_name ON team_units (name);
CREATE INDEX team_units_feed ON team_units (feed_seq);

CREATE TABLE team_diagnoses (
  id text PRIMARY KEY,
  device_id text NOT NULL REFERENCES team_devices,
  unit text NOT NULL,
  level text NOT NULL CHECK (level IN ('OK', 'WARN', 'ERROR', 'STALE')),
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  recorded_by text,
  report jsonb NOT NULL,
  feed_seq bigint NOT NULL DEFAULT nextval('team_feed')
);
CREATE INDEX team_diagnoses_by_unit ON team_diagnoses (unit, started_at DESC);
CREATE INDEX team_diagnoses_feed ON team_diagnoses (feed_seq);

-- Procedure runs (with their signed record), restore transactions and backup manifests, whole.
CREATE TABLE team_records (
  entity text NOT NULL CHECK (entity IN ('run', 'restore', 'backup')),
  id text NOT NULL,
  device_id text NOT NULL REFERENCES team_devices,
  unit text,
  at timestamptz NOT NULL,
  actor text,
  digest text NOT NULL,
  body jsonb NOT NULL,
  feed_seq bigint NOT NULL DEFAULT nextval('team_feed'),
  PRIMARY KEY (entity, id)
);
CREATE INDEX team_records_by_unit ON team_records (unit, at DESC);
CREATE INDEX team_records_feed ON team_records (feed_seq);

CREATE FUNCTION team_records_signed_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a signed procedure run cannot be changed';
END $$;
CREATE TRIGGER team_records_signed_no_update BEFORE UPDATE ON team_records
FOR EACH ROW WHEN (OLD.entity = 'run' AND OLD.body ? 'signature' AND OLD.body->'signature' <> 'null'::jsonb)
EXECUTE FUNCTION team_records_signed_frozen();

-- Notes and attachments of procedure runs, once each by their SHA-256 (checked here too).
CREATE TABLE team_evidence (
  sha256 text PRIMARY KEY CHECK (sha256 = encode(sha256(content), 'hex')),
  size integer NOT NULL,
  content bytea NOT NULL
);

CREATE TABLE team_setting_edits (
  key text NOT NULL,
  device_id text NOT NULL REFERENCES team_devices,
  at text NOT NULL,
  by text NOT NULL,
  value jsonb NOT NULL,
  feed_seq bigint NOT NULL DEFAULT nextval('team_feed'),
  PRIMARY KEY (key, device_id, at)
);
CREATE INDEX team_setting_edits_feed ON team_setting_edits (feed_seq);

-- Every device's audit chain, row for row as it hashed them (at and details_json as text, byte for byte).
CREATE TABLE team_audit (
  device_id text NOT NULL REFERENCES team_devices,
  seq bigint NOT NULL CHECK (seq >= 1),
  id text NOT NULL,
  at text NOT NULL,
  actor text NOT NULL,
  unit text,
  action text NOT NULL,
  outcome text NOT NULL,
  details_json text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  feed_seq bigint NOT NULL DEFAULT nextval('team_feed'),
  PRIMARY KEY (device_id, seq)
);
CREATE INDEX team_audit_feed ON team_audit (feed_seq);

-- Each head a device pushed (its row count and last hash then): a chain cut below one of them is found.
CREATE TABLE team_audit_heads (
  device_id text NOT NULL REFERENCES team_devices,
  rows bigint NOT NULL,
  head text NOT NULL,
  chain_id text NOT NULL,
  key_id text,
  pushed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, rows)
);

CREATE FUNCTION team_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the team audit chains are append-only';
END $$;
CREATE TRIGGER team_audit_no_update BEFORE UPDATE OR DELETE ON team_audit
FOR EACH ROW EXECUTE FUNCTION team_append_only();
CREATE TRIGGER team_audit_heads_no_update BEFORE UPDATE OR DELETE ON team_audit_heads
FOR EACH ROW EXECUTE FUNCTION team_append_only();

-- Where a backup's packs live (a USB disk, a NAS folder, an SFTP target), recorded by the backup replication.
CREATE TABLE team_backup_locations (
  backup_id text NOT NULL,
  location text NOT NULL,
  device_id text REFERENCES team_devices,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  checked_at timestamptz,
  check_ok boolean,
  PRIMARY KEY (backup_id, location)
);
`,
  },
  {
    // A location as the laptops push it: the later record of a (backup, place) wins, whichever laptop made it, and
    // takes a feed number so that every laptop pulls it.
    version: 2,
    name: 'backup_locations_feed',
    sql: `
ALTER TABLE team_backup_locations ADD COLUMN unit text;
ALTER TABLE team_backup_locations ADD COLUMN feed_seq bigint NOT NULL DEFAULT nextval('team_feed');
CREATE INDEX team_backup_locations_feed ON team_backup_locations (feed_seq);
CREATE INDEX team_backup_locations_by_unit ON team_backup_locations (unit);
`,
  },
];
