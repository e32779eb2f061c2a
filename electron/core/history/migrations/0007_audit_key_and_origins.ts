import type { Migration } from './migration';

/**
 * The keyed audit chain and where a procedure run's procedure came from.
 *
 * audit_chain names this history's chain (chain_id: a random id that the head file outside the database repeats and
 * a passphrase-derived key is salted with) and, once the chain is keyed, which key keys it (key_id: the key's own
 * HMAC of a fixed text, never the key) and from which row (keyed_from: the audit.anchor row; every row before it is
 * the unkeyed SHA-256 chain written by earlier builds). The row is filled once, when the chain is anchored, and then
 * frozen.
 *
 * procedure_runs.procedure_origin_json records whether a run followed a shipped procedure or the technician's own
 * file, which file, and which shipped version that file takes the place of.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'audit_key_and_origins',
  sql: `
CREATE TABLE audit_chain (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  chain_id TEXT NOT NULL,
  key_id TEXT,
  key_source TEXT,
  keyed_from INTEGER,
  anchored_at TEXT,
  CHECK ((key_id IS NULL) = (keyed_from IS NULL))
) STRICT;
INSERT INTO audit_chain (id, chain_id) VALUES (1, lower(hex(randomblob(16))));

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN
  SELECT RAISE(ABORT, 'the audit chain record is kept');
END;

CREATE TRIGGER audit_chain_anchored_once BEFORE UPDATE ON audit_chain WHEN OLD.key_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'the audit chain is anchored once');
END;

ALTER TABLE procedure_runs ADD COLUMN procedure_origin_json TEXT CHECK (procedure_origin_json IS NULL OR json_valid(procedure_origin_json));
`,
};
