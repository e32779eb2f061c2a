import type { Migration } from './migration';

/**
 * RS485 module parameters backed up from the bus: every writable register of each module as the workstation read
 * it, with the register map it was read by, so that a restore can show what differs and write it back safely.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'rs485_params',
  sql: `
-- unit is not a foreign key, as elsewhere: removing a unit keeps its backups. It is null for a bench bus.
CREATE TABLE rs485_param_backups (
  id TEXT PRIMARY KEY NOT NULL,
  unit TEXT,
  taken_at TEXT NOT NULL,
  taken_by TEXT NOT NULL,
  note TEXT
) STRICT;
CREATE INDEX rs485_param_backups_by_unit ON rs485_param_backups (unit, taken_at);

-- One row per register and module. raw is null when the read failed, and error then says why.
CREATE TABLE rs485_param_values (
  backup_id TEXT NOT NULL REFERENCES rs485_param_backups(id) ON DELETE CASCADE,
  module_type TEXT NOT NULL,
  slave INTEGER NOT NULL CHECK (slave BETWEEN 1 AND 247),
  profile_id TEXT NOT NULL,
  profile_version INTEGER NOT NULL,
  address INTEGER NOT NULL CHECK (address BETWEEN 0 AND 65535),
  name TEXT NOT NULL,
  raw INTEGER CHECK (raw IS NULL OR raw BETWEEN 0 AND 65535),
  error TEXT,
  CHECK ((raw IS NULL) <> (error IS NULL)),
  PRIMARY KEY (backup_id, module_type, address)
) STRICT, WITHOUT ROWID;
`,
};
