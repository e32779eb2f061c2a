import type BetterSqlite3 from 'better-sqlite3';

import type { HealthLevel } from '../../../shared/domain/health';
import type { TeamFleetUnit } from '../../../shared/domain/team';
import { hostKeyConflicts } from './local/conflicts';
import type { TeamServer } from './server/TeamServer';

type Row = {
  name: string;
  mine: number;
  devices: string | null;
  level: HealthLevel | null;
  started_at: string | null;
  recorded_by: string | null;
  device_id: string | null;
  device_label: string | null;
  backup_at: number | null;
  backup_actor: string | null;
  backup_device: string | null;
};

/**
 * Every unit the team knows, as this laptop's history has it (offline too): registered here or by a colleague, its
 * last visit (the newest diagnosis, this laptop's or a colleague's) with who and on which laptop, its last backup, and
 * whether laptops disagree on its host key.
 */
export function localTeamFleet(db: BetterSqlite3.Database): TeamFleetUnit[] {
  const rows = db
    .prepare<[], Row>(
      `WITH names AS (SELECT name FROM units UNION SELECT name FROM team_units WHERE removed = 0)
       SELECT n.name, EXISTS (SELECT 1 FROM units WHERE name = n.name) AS mine,
              (SELECT group_concat(coalesce(d.label, t.device_id), char(10)) FROM team_units t
               LEFT JOIN team_devices d ON d.device_id = t.device_id WHERE t.name = n.name AND t.removed = 0) AS devices,
              r.level, r.started_at, r.recorded_by, r.device_id, rd.label AS device_label,
              b.at_ms AS backup_at, b.actor AS backup_actor, bd.label AS backup_device
       FROM names n
       LEFT JOIN diagnostic_runs r ON r.rowid = (
         SELECT rowid FROM diagnostic_runs WHERE unit = n.name ORDER BY started_at DESC, rowid DESC LIMIT 1)
       LEFT JOIN team_devices rd ON rd.device_id = r.device_id
       LEFT JOIN logbook b ON b.id = (
         SELECT id FROM logbook WHERE unit = n.name AND code = 'backup.run' AND outcome = 'ok'
         ORDER BY at_ms DESC, id DESC LIMIT 1)
       LEFT JOIN team_devices bd ON bd.device_id = b.device_id
       ORDER BY n.name`,
    )
    .all();
  const conflicted = new Set(hostKeyConflicts(db).map((c) => c.unit));
  return rows.map((row) => ({
    name: row.name,
    mine: row.mine === 1,
    devices: [...(row.mine === 1 ? ['this laptop'] : []), ...(row.devices?.split('\n') ?? [])],
    lastVisit:
      row.level === null || row.started_at === null
        ? null
        : {
            at: row.started_at,
            level: row.level,
            actor: row.recorded_by,
            device: row.device_id === null ? null : (row.device_label ?? row.device_id),
          },
    lastBackup:
      row.backup_at === null
        ? null
        : { at: new Date(row.backup_at).toISOString(), actor: row.backup_actor, device: row.backup_device },
    conflict: conflicted.has(row.name),
  }));
}

type ServerRow = {
  unit: string;
  devices: string[];
  fingerprints: number;
  level: HealthLevel | null;
  started_at: string | null;
  recorded_by: string | null;
  label: string | null;
  backup_at: string | null;
  backup_actor: string | null;
  backup_label: string | null;
};

/**
 * The fleet summary as the team server answers it, for every unit any laptop registered: one index probe per unit for
 * its newest diagnosis and its newest backup manifest, so it stays quick with years of diagnoses.
 */
export async function serverTeamFleet(server: TeamServer, myDeviceId: string): Promise<TeamFleetUnit[]> {
  const result = await server.client.query<ServerRow & { mine: boolean }>(
    `SELECT u.unit, u.devices, u.fingerprints, u.mine, d.level,
            to_char(d.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at, d.recorded_by,
            dd.label, to_char(b.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS backup_at,
            b.actor AS backup_actor, bd.label AS backup_label
     FROM (
       SELECT t.name AS unit, array_agg(coalesce(v.label, t.device_id) ORDER BY v.label) AS devices,
              count(DISTINCT t.key_fingerprint)::int AS fingerprints, bool_or(t.device_id = $1) AS mine
       FROM team_units t LEFT JOIN team_devices v ON v.device_id = t.device_id
       WHERE NOT t.removed GROUP BY t.name
     ) u
     LEFT JOIN LATERAL (
       SELECT level, started_at, recorded_by, device_id FROM team_diagnoses
       WHERE unit = u.unit ORDER BY started_at DESC LIMIT 1
     ) d ON true
     LEFT JOIN team_devices dd ON dd.device_id = d.device_id
     LEFT JOIN LATERAL (
       SELECT at, actor, device_id FROM team_records WHERE entity = 'backup' AND unit = u.unit ORDER BY at DESC LIMIT 1
     ) b ON true
     LEFT JOIN team_devices bd ON bd.device_id = b.device_id
     ORDER BY u.unit`,
    [myDeviceId],
  );
  return result.rows.map((row) => ({
    name: row.unit,
    mine: row.mine,
    devices: row.devices,
    lastVisit:
      row.level === null || row.started_at === null
        ? null
        : { at: row.started_at, level: row.level, actor: row.recorded_by, device: row.label },
    lastBackup:
      row.backup_at === null ? null : { at: row.backup_at, actor: row.backup_actor, device: row.backup_label },
    conflict: row.fingerprints > 1,
  }));
}
