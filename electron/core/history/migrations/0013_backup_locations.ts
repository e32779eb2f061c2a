import type { Migration } from './migration';

/*
 * Where each backup lives: a target it was pushed to (a folder, an SFTP server) or a laptop it was pulled onto.
 *
 * - `backup_locations` holds what this laptop recorded itself (every successful push and pull, see ReplicaService).
 *   `pushed_at` is NULL until the team server committed the row: the sync pushes those rows and stamps them, so a
 *   location recorded offline leaves at the next sync. A place is recorded once, the first time it is known.
 * - `team_backup_locations` holds the colleagues' rows as pulled (the device that recorded each).
 * - A location is a target as described without any secret (see backupLocations.ts), or `laptop:DEVICE_ID`.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'backup_locations',
  sql: `
CREATE TABLE backup_locations (
  backup_id TEXT NOT NULL,
  location TEXT NOT NULL,
  unit TEXT,
  recorded_at TEXT NOT NULL,
  pushed_at TEXT,
  PRIMARY KEY (backup_id, location)
) STRICT, WITHOUT ROWID;
CREATE INDEX backup_locations_by_unit ON backup_locations (unit);
CREATE INDEX backup_locations_to_push ON backup_locations (recorded_at) WHERE pushed_at IS NULL;

CREATE TABLE team_backup_locations (
  backup_id TEXT NOT NULL,
  location TEXT NOT NULL,
  device_id TEXT NOT NULL,
  unit TEXT,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (backup_id, location)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_backup_locations_by_unit ON team_backup_locations (unit);
`,
};
