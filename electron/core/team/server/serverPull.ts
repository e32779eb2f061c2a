import type pg from 'pg';

import type { LocationDoc } from '../../backup/replica/backupLocations';
import type { DiagnosisReport } from '../../../../shared/domain/health';
import type { AuditRowDoc, DeviceDoc, DiagnosisDoc, Pulled, RecordDoc, SettingEditDoc, UnitDoc } from '../syncDocs';

/*
 * What a laptop pulls: the rows of every other device with a feed number after the laptop's cursor, oldest first, a
 * page at a time. Pushes commit their feed numbers in order (see TeamServer), so "after n" never skips a row.
 */

export type PullPage<T> = { rows: Pulled<T>[]; last: number };

type Cursor = { after: number; notDevice: string; limit: number };

async function page<R extends { feed_seq: string; device_id: string }, T>(
  client: pg.Client,
  sql: string,
  cursor: Cursor,
  map: (row: R) => T,
): Promise<PullPage<T>> {
  const result = await client.query<R>(sql, [cursor.after, cursor.notDevice, cursor.limit]);
  const rows = result.rows.map((row) => ({ ...map(row), deviceId: row.device_id, feedSeq: Number(row.feed_seq) }));
  return { rows, last: rows[rows.length - 1]?.feedSeq ?? cursor.after };
}

// feed_seq is selected as itself (bigint; pg hands it over as a string): a text alias of the same name would make
// ORDER BY sort '10' before '5' and the cursor skip rows.
const AFTER = 'feed_seq > $1 AND device_id <> $2 ORDER BY feed_seq LIMIT $3';

export function pullDevices(client: pg.Client, cursor: Cursor): Promise<PullPage<DeviceDoc>> {
  type Row = { device_id: string; chain_id: string | null; label: string; technician: string | null; feed_seq: string };
  return page<Row, DeviceDoc>(
    client,
    `SELECT device_id, chain_id, label, technician, feed_seq FROM team_devices WHERE ${AFTER}`,
    cursor,
    (r) => ({ deviceId: r.device_id, chainId: r.chain_id, label: r.label, technician: r.technician }),
  );
}

export function pullUnits(client: pg.Client, cursor: Cursor): Promise<PullPage<UnitDoc>> {
  type Row = {
    device_id: string;
    feed_seq: string;
    name: string;
    host: string | null;
    port: number | null;
    user_name: string | null;
    key_algorithm: string | null;
    key_fingerprint: string | null;
    key_pinned_at: string | null;
    removed: boolean;
    updated_at: string;
  };
  return page<Row, UnitDoc>(
    client,
    `SELECT device_id, feed_seq, name, host, port, user_name, key_algorithm, key_fingerprint, key_pinned_at,
            removed, updated_at
     FROM team_units WHERE ${AFTER}`,
    cursor,
    (r) => ({
      name: r.name,
      host: r.host,
      port: r.port,
      user: r.user_name,
      keyAlgorithm: r.key_algorithm,
      keyFingerprint: r.key_fingerprint,
      keyPinnedAt: r.key_pinned_at,
      removed: r.removed,
      updatedAt: r.updated_at,
    }),
  );
}

export function pullDiagnoses(client: pg.Client, cursor: Cursor): Promise<PullPage<DiagnosisDoc>> {
  type Row = {
    device_id: string;
    feed_seq: string;
    id: string;
    unit: string;
    level: DiagnosisDoc['level'];
    duration_ms: number;
    recorded_by: string | null;
    report: DiagnosisReport;
  };
  return page<Row, DiagnosisDoc>(
    client,
    `SELECT device_id, feed_seq, id, unit, level, duration_ms, recorded_by, report
     FROM team_diagnoses WHERE ${AFTER}`,
    cursor,
    (r) => ({
      id: r.id,
      unit: r.unit,
      level: r.level,
      // The report's own text, as the device recorded it (the column is for the server's own queries).
      startedAt: r.report.startedAt,
      durationMs: r.duration_ms,
      recordedBy: r.recorded_by,
      report: r.report,
    }),
  );
}

export function pullRecords(client: pg.Client, cursor: Cursor): Promise<PullPage<RecordDoc>> {
  type Row = RecordDoc & { device_id: string; feed_seq: string };
  return page<Row, RecordDoc>(
    client,
    `SELECT device_id, feed_seq, entity, id, unit,
            to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, digest, body
     FROM team_records WHERE ${AFTER}`,
    cursor,
    (r) => ({ entity: r.entity, id: r.id, unit: r.unit, at: r.at, actor: r.actor, digest: r.digest, body: r.body }),
  );
}

export function pullSettingEdits(client: pg.Client, cursor: Cursor): Promise<PullPage<SettingEditDoc>> {
  type Row = { device_id: string; feed_seq: string; key: string; at: string; by: string; value: unknown };
  return page<Row, SettingEditDoc>(
    client,
    `SELECT device_id, feed_seq, key, at, by, value FROM team_setting_edits WHERE ${AFTER}`,
    cursor,
    (r) => ({ key: r.key, at: r.at, by: r.by, value: r.value }),
  );
}

export function pullAudit(client: pg.Client, cursor: Cursor): Promise<PullPage<AuditRowDoc>> {
  type Row = AuditRowDoc & { device_id: string; feed_seq: string; seq_text: string };
  return page<Row, AuditRowDoc>(
    client,
    `SELECT device_id, feed_seq, seq::text AS seq_text, id, at, actor, unit, action, outcome, details_json,
            prev_hash, hash
     FROM team_audit WHERE ${AFTER}`,
    cursor,
    (r) => ({
      seq: Number(r.seq_text),
      id: r.id,
      at: r.at,
      actor: r.actor,
      unit: r.unit,
      action: r.action,
      outcome: r.outcome,
      details_json: r.details_json,
      prev_hash: r.prev_hash,
      hash: r.hash,
    }),
  );
}

export function pullLocations(client: pg.Client, cursor: Cursor): Promise<PullPage<LocationDoc>> {
  type Row = {
    device_id: string;
    feed_seq: string;
    backup_id: string;
    location: string;
    unit: string | null;
    recorded_at: string;
  };
  return page<Row, LocationDoc>(
    client,
    `SELECT device_id, feed_seq, backup_id, location, unit,
            to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at
     FROM team_backup_locations WHERE ${AFTER}`,
    cursor,
    (r) => ({ backupId: r.backup_id, location: r.location, unit: r.unit, recordedAt: r.recorded_at }),
  );
}

/** The contents of the evidence items a pulled run refers to. */
export async function pullEvidence(
  client: pg.Client,
  sha256s: readonly string[],
): Promise<{ sha256: string; size: number; content: Buffer }[]> {
  if (sha256s.length === 0) {
    return [];
  }
  const result = await client.query<{ sha256: string; size: number; content: Buffer }>(
    'SELECT sha256, size, content FROM team_evidence WHERE sha256 = ANY($1::text[])',
    [sha256s],
  );
  return result.rows;
}
