import type BetterSqlite3 from 'better-sqlite3';

/**
 * A unit that two devices (this laptop among them, or two colleagues) pinned with different host keys: a board that
 * was replaced, or one that is spoofed. It is shown on every laptop that knows of it and never merged: each device
 * keeps its own pin until a technician checks the vehicle and pins the key it really shows.
 */
export type HostKeyConflict = {
  unit: string;
  pins: { deviceId: string | null; device: string; fingerprint: string; pinnedAt: string | null }[];
};

type PinRow = {
  name: string;
  fingerprint: string;
  pinned_at: string | null;
  device_id: string | null;
  label: string | null;
};

export function hostKeyConflicts(db: BetterSqlite3.Database, unit?: string): HostKeyConflict[] {
  const rows = db
    .prepare<{ unit: string | null }, PinRow>(
      `WITH pins AS (
         SELECT u.name, k.fingerprint, k.pinned_at, NULL AS device_id
         FROM units u JOIN host_keys k ON k.unit = u.name
         UNION ALL
         SELECT t.name, t.key_fingerprint, t.key_pinned_at, t.device_id
         FROM team_units t WHERE t.removed = 0 AND t.key_fingerprint IS NOT NULL
       ),
       conflicted AS (SELECT name FROM pins GROUP BY name HAVING count(DISTINCT fingerprint) > 1)
       SELECT p.name, p.fingerprint, p.pinned_at, p.device_id, d.label
       FROM pins p JOIN conflicted c ON c.name = p.name LEFT JOIN team_devices d ON d.device_id = p.device_id
       WHERE @unit IS NULL OR p.name = @unit
       ORDER BY p.name, p.device_id IS NOT NULL, d.label`,
    )
    .all({ unit: unit ?? null });
  const byUnit = new Map<string, HostKeyConflict>();
  for (const row of rows) {
    const conflict = byUnit.get(row.name) ?? { unit: row.name, pins: [] };
    conflict.pins.push({
      deviceId: row.device_id,
      device: row.device_id === null ? 'this laptop' : (row.label ?? row.device_id),
      fingerprint: row.fingerprint,
      pinnedAt: row.pinned_at,
    });
    byUnit.set(row.name, conflict);
  }
  return [...byUnit.values()];
}

/** The conflict's identity for recording it once: its unit's set of fingerprints. */
export function conflictSignature(conflict: HostKeyConflict): string {
  return [...new Set(conflict.pins.map((p) => p.fingerprint))].sort().join(' ');
}
