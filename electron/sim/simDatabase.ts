/**
 * The backend's SQLite database on a simulated vehicle. The file itself is an entry of `state.files` (so that the
 * shell, `cat` and a backup see it like any file); how SQLite finds its pages is modelled here.
 */

export const SIM_DATABASE_PATH = '/opt/oht50/backend/oht50.db';
/** The first 16 bytes of every SQLite 3 database file. */
export const SQLITE_HEADER = 'SQLite format 3\u0000';

export type SimDatabaseState = {
  path: string;
  /** corrupt: pages no longer link up, as after a power cut during a write on an SD card. */
  health: 'ok' | 'corrupt';
  /** A writer holds the lock for longer than a reader waits (a long migration, a stuck backend). */
  lockedByWriter: boolean;
};

export function defaultDatabase(): SimDatabaseState {
  return { path: SIM_DATABASE_PATH, health: 'ok', lockedByWriter: false };
}

/** What the file holds as far as the simulator is concerned: the header, then stand-in bytes for 118 KiB of pages. */
export function databaseFileContent(): string {
  return `${SQLITE_HEADER}\u0010\u0000\u0001\u0001\u0000@  \u0000\u0000\u0007\u00d2`;
}

/** What PRAGMA quick_check lists for the simulated damage, at most `limit` rows. */
export function corruptionReport(limit: number): string[] {
  const rows = [
    '*** in database main ***',
    'On tree page 14 cell 7: Rowid 5567 out of order',
    'On tree page 14 cell 6: Offset 16961 out of range 176..4092',
    'Page 31: btreeInitPage() returns error code 11',
    'Page 32 is never used',
    'Page 33 is never used',
    'database disk image is malformed',
  ];
  return rows.slice(0, Math.max(1, limit) + 1);
}
