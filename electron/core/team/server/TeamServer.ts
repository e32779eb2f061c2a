import type pg from 'pg';

import { AppError } from '../../../../shared/errors/AppError';
import type {
  AuditRowDoc,
  DeviceDoc,
  DiagnosisDoc,
  EvidenceDoc,
  RecordDoc,
  RecordEntity,
  SettingEditDoc,
  UnitDoc,
} from '../syncDocs';
import type { LocationDoc } from '../../backup/replica/backupLocations';
import { SERVER_MIGRATIONS } from './serverMigrations';
import { migrateServer } from './migrateServer';

/** Every push takes this lock for its transaction, so that feed numbers are committed in the order they are taken. */
const FEED_LOCK = 0x6f6874_02;

export type PushOutcome = { written: number; refused: string[] };

/**
 * The team server as the sync sees it: one connection, the schema brought up to date on open, and one transaction per
 * batch pushed. A push is idempotent: a row already there unchanged is left alone (its digest or its key says so), so
 * a batch pushed twice (the link dropped after the commit, before the laptop heard of it) leaves one copy.
 */
export class TeamServer {
  constructor(
    readonly client: pg.Client,
    readonly where: string,
  ) {}

  async migrate(now: () => string): Promise<number[]> {
    return migrateServer(this.client, SERVER_MIGRATIONS, `the team server ${this.where}`, now);
  }

  async serverId(): Promise<string> {
    const row = (await this.client.query<{ server_id: string }>('SELECT server_id FROM team_server WHERE id = 1'))
      .rows[0];
    if (!row) {
      throw new AppError('DB', `the team server ${this.where} has no identity row`);
    }
    return row.server_id;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /** Registers the device, or refreshes its label and technician (a new feed number only when they changed). */
  async registerDevice(device: DeviceDoc): Promise<void> {
    await this.inPush(async () => {
      await this.client.query(
        `INSERT INTO team_devices (device_id, chain_id, label, technician, last_push_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (device_id) DO UPDATE SET
           chain_id = EXCLUDED.chain_id, label = EXCLUDED.label, technician = EXCLUDED.technician,
           last_push_at = now(),
           feed_seq = CASE WHEN (team_devices.chain_id, team_devices.label, team_devices.technician)
                                IS NOT DISTINCT FROM (EXCLUDED.chain_id, EXCLUDED.label, EXCLUDED.technician)
                           THEN team_devices.feed_seq ELSE nextval('team_feed') END`,
        [device.deviceId, device.chainId, device.label, device.technician],
      );
    });
  }

  async pushUnits(deviceId: string, units: readonly UnitDoc[]): Promise<PushOutcome> {
    if (units.length === 0) {
      return { written: 0, refused: [] };
    }
    const rows = units.map((u) => ({ ...u, digest: JSON.stringify(u) }));
    const written = await this.inPush(async () =>
      this.count(
        `INSERT INTO team_units AS t (device_id, name, host, port, user_name, key_algorithm, key_fingerprint,
                                       key_pinned_at, removed, updated_at, digest)
         SELECT $1, x.name, x.host, x.port, x."user", x."keyAlgorithm", x."keyFingerprint", x."keyPinnedAt",
                x.removed, x."updatedAt", x.digest
         FROM jsonb_to_recordset($2::jsonb) AS x(name text, host text, port integer, "user" text, "keyAlgorithm" text,
              "keyFingerprint" text, "keyPinnedAt" text, removed boolean, "updatedAt" text, digest text)
         ON CONFLICT (device_id, name) DO UPDATE SET
           host = EXCLUDED.host, port = EXCLUDED.port, user_name = EXCLUDED.user_name,
           key_algorithm = EXCLUDED.key_algorithm, key_fingerprint = EXCLUDED.key_fingerprint,
           key_pinned_at = EXCLUDED.key_pinned_at, removed = EXCLUDED.removed, updated_at = EXCLUDED.updated_at,
           digest = EXCLUDED.digest, feed_seq = nextval('team_feed')
         WHERE t.digest IS DISTINCT FROM EXCLUDED.digest`,
        [deviceId, JSON.stringify(rows)],
      ),
    );
    return { written, refused: [] };
  }

  /** Diagnoses never change: one already there is left alone; one with the same id from another device is refused. */
  async pushDiagnoses(deviceId: string, diagnoses: readonly DiagnosisDoc[]): Promise<PushOutcome> {
    if (diagnoses.length === 0) {
      return { written: 0, refused: [] };
    }
    return this.inPush(async () => {
      const written = await this.count(
        `INSERT INTO team_diagnoses (id, device_id, unit, level, started_at, duration_ms, recorded_by, report)
         SELECT x.id, $1, x.unit, x.level, x."startedAt", x."durationMs", x."recordedBy", x.report
         FROM jsonb_to_recordset($2::jsonb) AS x(id text, unit text, level text, "startedAt" timestamptz,
              "durationMs" integer, "recordedBy" text, report jsonb)
         ON CONFLICT (id) DO NOTHING`,
        [deviceId, JSON.stringify(diagnoses)],
      );
      const refused = await this.foreignIds(
        'team_diagnoses',
        deviceId,
        diagnoses.map((d) => d.id),
      );
      return { written, refused };
    });
  }

  /**
   * Runs, restores and backup manifests: inserted, or replaced when their digest changed, only by the device that
   * recorded them (a run belongs to its device); a signed run is frozen by a trigger.
   */
  async pushRecords(deviceId: string, entity: RecordEntity, records: readonly RecordDoc[]): Promise<PushOutcome> {
    if (records.length === 0) {
      return { written: 0, refused: [] };
    }
    return this.inPush(async () => {
      const written = await this.count(
        `INSERT INTO team_records AS t (entity, id, device_id, unit, at, actor, digest, body)
         SELECT $2, x.id, $1, x.unit, x.at, x.actor, x.digest, x.body
         FROM jsonb_to_recordset($3::jsonb) AS x(id text, unit text, at timestamptz, actor text, digest text, body jsonb)
         ON CONFLICT (entity, id) DO UPDATE SET
           unit = EXCLUDED.unit, at = EXCLUDED.at, actor = EXCLUDED.actor, digest = EXCLUDED.digest,
           body = EXCLUDED.body, feed_seq = nextval('team_feed')
         WHERE t.device_id = EXCLUDED.device_id AND t.digest <> EXCLUDED.digest`,
        [deviceId, entity, JSON.stringify(records)],
      );
      const refused = await this.foreignIds(
        'team_records',
        deviceId,
        records.map((r) => r.id),
        entity,
      );
      return { written, refused };
    });
  }

  /**
   * Where backups live: one row per (backup, place); the later record of it wins, whichever device made it, and the
   * same row pushed again changes nothing.
   */
  async pushLocations(deviceId: string, rows: readonly LocationDoc[]): Promise<number> {
    if (rows.length === 0) {
      return 0;
    }
    return this.inPush(async () =>
      this.count(
        `INSERT INTO team_backup_locations AS t (backup_id, location, device_id, unit, recorded_at)
         SELECT x."backupId", x.location, $1, x.unit, x."recordedAt"
         FROM jsonb_to_recordset($2::jsonb) AS x("backupId" text, location text, unit text, "recordedAt" timestamptz)
         ON CONFLICT (backup_id, location) DO UPDATE SET
           device_id = EXCLUDED.device_id, unit = EXCLUDED.unit, recorded_at = EXCLUDED.recorded_at,
           feed_seq = nextval('team_feed')
         WHERE EXCLUDED.recorded_at > t.recorded_at`,
        [deviceId, JSON.stringify(rows)],
      ),
    );
  }

  async pushEvidence(items: readonly EvidenceDoc[]): Promise<number> {
    if (items.length === 0) {
      return 0;
    }
    const rows = items.map((item) => ({
      sha256: item.sha256,
      size: item.size,
      content: item.content.toString('base64'),
    }));
    return this.inPush(async () =>
      this.count(
        `INSERT INTO team_evidence (sha256, size, content)
         SELECT x.sha256, x.size, decode(x.content, 'base64')
         FROM jsonb_to_recordset($1::jsonb) AS x(sha256 text, size integer, content text)
         ON CONFLICT (sha256) DO NOTHING`,
        [JSON.stringify(rows)],
      ),
    );
  }

  /** Every edit is kept (by key, device and time); the same edit pushed again is one row. */
  async pushSettingEdits(deviceId: string, edits: readonly SettingEditDoc[]): Promise<PushOutcome> {
    if (edits.length === 0) {
      return { written: 0, refused: [] };
    }
    const written = await this.inPush(async () =>
      this.count(
        `INSERT INTO team_setting_edits (key, device_id, at, by, value)
         SELECT x.key, $1, x.at, x.by, x.value
         FROM jsonb_to_recordset($2::jsonb) AS x(key text, at text, by text, value jsonb)
         ON CONFLICT (key, device_id, at) DO NOTHING`,
        [deviceId, JSON.stringify(edits)],
      ),
    );
    return { written, refused: [] };
  }

  /** How many rows of the device's chain the server holds (its rows run 1..n when nobody cut them). */
  async auditRowCount(deviceId: string): Promise<number> {
    const row = (
      await this.client.query<{ n: string | null }>('SELECT max(seq)::text AS n FROM team_audit WHERE device_id = $1', [
        deviceId,
      ])
    ).rows[0];
    return Number(row?.n ?? 0);
  }

  /**
   * Appends rows of the device's chain (a row already there is left as it is: the server never overwrites a chain)
   * and records the head they end at.
   */
  async pushAudit(
    deviceId: string,
    rows: readonly AuditRowDoc[],
    head: { chainId: string; keyId: string | null },
  ): Promise<number> {
    const last = rows[rows.length - 1];
    if (!last) {
      return 0;
    }
    return this.inPush(async () => {
      const written = await this.count(
        `INSERT INTO team_audit (device_id, seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash)
         SELECT $1, x.seq, x.id, x.at, x.actor, x.unit, x.action, x.outcome, x.details_json, x.prev_hash, x.hash
         FROM jsonb_to_recordset($2::jsonb) AS x(seq bigint, id text, at text, actor text, unit text, action text,
              outcome text, details_json text, prev_hash text, hash text)
         ON CONFLICT (device_id, seq) DO NOTHING`,
        [deviceId, JSON.stringify(rows)],
      );
      await this.client.query(
        `INSERT INTO team_audit_heads (device_id, rows, head, chain_id, key_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (device_id, rows) DO NOTHING`,
        [deviceId, last.seq, last.hash, head.chainId, head.keyId],
      );
      return written;
    });
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  /** One push transaction: the feed lock first, so that its feed numbers commit in order. */
  async inPush<T>(work: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      await this.client.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
      const result = await work();
      await this.client.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    return (await this.client.query(sql, params)).rowCount ?? 0;
  }

  /** The ids among these that the server holds for another device (refused: a row belongs to its device). */
  private async foreignIds(table: string, deviceId: string, ids: readonly string[], entity?: RecordEntity) {
    const result = await this.client.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE id = ANY($1::text[]) AND device_id <> $2${entity ? ' AND entity = $3' : ''}`,
      entity ? [ids, deviceId, entity] : [ids, deviceId],
    );
    return result.rows.map((row) => row.id);
  }
}
