import type BetterSqlite3 from 'better-sqlite3';

import type { BackupLocationView } from '../../../../shared/domain/backup';
import type { Clock } from '../../ports/Clock';

/** One place a backup lives: a target it was pushed to, or a laptop (`laptop:DEVICE_ID`) that pulled it. */
export type BackupLocation = {
  backupId: string;
  location: string;
  unit: string | null;
  recordedAt: string;
  /** The device that recorded it; null: this laptop. */
  deviceId: string | null;
};

/** A row as it travels to and from the team server. */
export type LocationDoc = { backupId: string; location: string; unit: string | null; recordedAt: string };

const LAPTOP = 'laptop:';

/**
 * A target as it is stored and shared: never with a secret. An sftp:// target names no password, but one typed with
 * one (user:secret@host) is stored without it all the same; a folder is stored as written.
 */
export function locationOfTarget(target: string): string {
  if (!target.includes('://')) {
    return target;
  }
  try {
    const url = new URL(target);
    if (url.password === '') {
      return target;
    }
    url.password = '';
    return url.toString();
  } catch {
    // Not a URL after all: cut whatever sits between the scheme and an "@" down to the user name.
    return target.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1@');
  }
}

export function laptopLocation(deviceId: string): string {
  return `${LAPTOP}${deviceId}`;
}

/** The device id a laptop location names, else null (a target). */
export function laptopOf(location: string): string | null {
  return location.startsWith(LAPTOP) ? location.slice(LAPTOP.length) : null;
}

/**
 * This laptop's record of where backups live (backup_locations), and the team's as pulled (team_backup_locations).
 * A place already recorded is left as it is (a push that finds a backup already there says nothing new).
 */
export class BackupLocations {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {}

  deviceId(): string {
    return this.db.prepare<[], string>('SELECT device_id FROM device WHERE id = 1').pluck().get() ?? '';
  }

  /** Records that these backups live at `location`: once per (backup, location), kept from the first time. */
  record(backupIds: readonly { backupId: string; unit: string | null }[], location: string): void {
    const at = this.clock.nowIso();
    const write = this.db.prepare(
      `INSERT INTO backup_locations (backup_id, location, unit, recorded_at, pushed_at) VALUES (?, ?, ?, ?, NULL)
       ON CONFLICT (backup_id, location) DO NOTHING`,
    );
    this.db.transaction(() => backupIds.forEach((b) => write.run(b.backupId, location, b.unit, at)))();
  }

  /** This laptop's rows the team server has not committed yet, oldest first. */
  unpushed(limit: number): LocationDoc[] {
    return this.db
      .prepare<[number], LocationDoc>(
        `SELECT backup_id AS backupId, location, unit, recorded_at AS recordedAt
         FROM backup_locations WHERE pushed_at IS NULL ORDER BY recorded_at, backup_id, location LIMIT ?`,
      )
      .all(limit);
  }

  /** Stamps rows the server committed. */
  markPushed(rows: readonly LocationDoc[]): void {
    const at = this.clock.nowIso();
    const stamp = this.db.prepare(
      'UPDATE backup_locations SET pushed_at = ? WHERE backup_id = ? AND location = ? AND recorded_at = ?',
    );
    this.db.transaction(() => rows.forEach((r) => stamp.run(at, r.backupId, r.location, r.recordedAt)))();
  }

  /** Colleagues' rows as pulled: the newer record of a (backup, location) wins. */
  applyPulled(rows: readonly (LocationDoc & { deviceId: string })[]): void {
    const write = this.db.prepare(
      `INSERT INTO team_backup_locations (backup_id, location, device_id, unit, recorded_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (backup_id, location) DO UPDATE SET
         device_id = excluded.device_id, unit = excluded.unit, recorded_at = excluded.recorded_at
       WHERE excluded.recorded_at >= team_backup_locations.recorded_at`,
    );
    rows.forEach((r) => write.run(r.backupId, r.location, r.deviceId, r.unit, r.recordedAt));
  }

  /** `where`, as shown: a laptop by its name on the team, who recorded each place. */
  view(selector: string): BackupLocationView[] {
    const me = this.deviceId();
    const labels = new Map(
      this.db
        .prepare<[], { device_id: string; label: string }>('SELECT device_id, label FROM team_devices')
        .all()
        .map((row) => [row.device_id, row.label]),
    );
    const nameOf = (device: string): string => (device === me ? 'this laptop' : (labels.get(device) ?? device));
    return this.where(selector).map((row) => {
      const laptop = laptopOf(row.location);
      return {
        backupId: row.backupId,
        unit: row.unit,
        kind: laptop === null ? 'target' : 'laptop',
        place: laptop ?? row.location,
        laptop: laptop === null ? null : nameOf(laptop),
        recordedBy: row.deviceId === null ? null : nameOf(row.deviceId),
        recordedAt: row.recordedAt,
      };
    });
  }

  /** Where a backup (by id) or a unit's backups (by name) live, this laptop's rows and the team's, newest first. */
  where(selector: string): BackupLocation[] {
    type Row = { backupId: string; location: string; unit: string | null; recordedAt: string; deviceId: string | null };
    const rows = this.db
      .prepare<[string, string, string, string], Row>(
        `SELECT backup_id AS backupId, location, unit, recorded_at AS recordedAt, NULL AS deviceId
         FROM backup_locations WHERE backup_id = ? OR unit = ?
         UNION ALL
         SELECT backup_id, location, unit, recorded_at, device_id
         FROM team_backup_locations WHERE backup_id = ? OR unit = ?
         ORDER BY recordedAt DESC, backupId, location`,
      )
      .all(selector, selector, selector, selector);
    // A row this laptop recorded and a colleague's for the same place: the newer one is shown once.
    const seen = new Set<string>();
    return rows.filter((row) => {
      const key = `${row.backupId}\n${row.location}`;
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    });
  }
}
