import type BetterSqlite3 from 'better-sqlite3';

import type { BackupLocations, LocationDoc } from '../../backup/replica/backupLocations';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type {
  AuditRowDoc,
  DeviceDoc,
  DiagnosisDoc,
  EvidenceDoc,
  Pulled,
  RecordDoc,
  SettingEditDoc,
  UnitDoc,
} from '../syncDocs';
import { conflictSignature, hostKeyConflicts } from './conflicts';
import type { PullCursors, SyncState } from './syncState';

/**
 * Writes what was pulled from colleagues into this laptop's history: each page in one transaction with its cursor,
 * so that a pull cut anywhere resumes after the last page it stored and never stores a row twice (every insert is
 * keyed by the row's own id). Colleagues' diagnoses join the history's diagnoses under their device (so the fleet,
 * a unit's timeline and "what changed since the last visit" include them); their audit rows, runs, restores and
 * backups are kept beside this laptop's own, never in its chain; every one of them enters the logbook under its device.
 */
export class TeamReplica {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly history: HistoryRepository,
    private readonly state: SyncState,
    private readonly now: () => string,
    private readonly locations: BackupLocations,
  ) {}

  applyDevices(rows: readonly Pulled<DeviceDoc>[], cursor: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO team_devices (device_id, label, technician, chain_id, seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET label = excluded.label, technician = excluded.technician,
         chain_id = excluded.chain_id, seen_at = excluded.seen_at`,
    );
    this.page('devices', cursor, () => {
      for (const row of rows) {
        upsert.run(row.deviceId, row.label, row.technician, row.chainId, this.now());
      }
    });
  }

  applyUnits(rows: readonly Pulled<UnitDoc>[], cursor: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO team_units (device_id, name, host, port, user, key_algorithm, key_fingerprint, key_pinned_at, removed,
                               updated_at)
       VALUES (@deviceId, @name, @host, @port, @user, @keyAlgorithm, @keyFingerprint, @keyPinnedAt, @removed, @updatedAt)
       ON CONFLICT (device_id, name) DO UPDATE SET host = excluded.host, port = excluded.port, user = excluded.user,
         key_algorithm = excluded.key_algorithm, key_fingerprint = excluded.key_fingerprint,
         key_pinned_at = excluded.key_pinned_at, removed = excluded.removed, updated_at = excluded.updated_at`,
    );
    this.page('units', cursor, () => {
      for (const row of rows) {
        upsert.run({
          deviceId: row.deviceId,
          name: row.name,
          host: row.host,
          port: row.port,
          user: row.user,
          keyAlgorithm: row.keyAlgorithm,
          keyFingerprint: row.keyFingerprint,
          keyPinnedAt: row.keyPinnedAt,
          removed: row.removed ? 1 : 0,
          updatedAt: row.updatedAt,
        });
      }
    });
  }

  /** Returns how many were new here. */
  applyDiagnoses(rows: readonly Pulled<DiagnosisDoc>[], cursor: number): number {
    const known = this.db.prepare<[string], number>('SELECT count(*) FROM diagnostic_runs WHERE id = ?').pluck();
    let added = 0;
    this.page('diagnoses', cursor, () => {
      for (const row of rows) {
        if (known.get(row.id) === 0) {
          this.history.saveDiagnosis(row.report, { actor: row.recordedBy, deviceId: row.deviceId });
          added += 1;
        }
      }
    });
    return added;
  }

  applyRecords(rows: readonly Pulled<RecordDoc>[], evidence: readonly EvidenceDoc[], cursor: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO team_records (entity, device_id, id, unit, at, actor, digest, body_json)
       VALUES (@entity, @deviceId, @id, @unit, @at, @actor, @digest, @body)
       ON CONFLICT (entity, device_id, id) DO UPDATE SET unit = excluded.unit, at = excluded.at,
         actor = excluded.actor, digest = excluded.digest, body_json = excluded.body_json`,
    );
    const blob = this.db.prepare('INSERT OR IGNORE INTO evidence_blobs (sha256, size, content) VALUES (?, ?, ?)');
    this.page('records', cursor, () => {
      for (const item of evidence) {
        blob.run(item.sha256, item.size, item.content);
      }
      for (const row of rows) {
        upsert.run({
          entity: row.entity,
          deviceId: row.deviceId,
          id: row.id,
          unit: row.unit,
          at: row.at,
          actor: row.actor,
          digest: row.digest,
          body: JSON.stringify(row.body),
        });
      }
    });
  }

  /**
   * Keeps every colleague's edit, and puts the latest edit of each setting in force here when it is later than this
   * laptop's own (recorded in the audit log: which edit, by whom, on which device, and what it replaced).
   */
  applySettingEdits(rows: readonly Pulled<SettingEditDoc>[], cursor: number, actor: string): number {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO team_setting_edits (key, device_id, at, by, value_json) VALUES (?, ?, ?, ?, ?)',
    );
    let applied = 0;
    this.page('settings', cursor, () => {
      for (const row of rows) {
        insert.run(row.key, row.deviceId, row.at, row.by, JSON.stringify(row.value));
      }
      for (const key of new Set(rows.map((row) => row.key))) {
        applied += this.applyLatestSetting(key, actor) ? 1 : 0;
      }
    });
    this.history.syncAuditHead();
    return applied;
  }

  applyAudit(rows: readonly Pulled<AuditRowDoc>[], cursor: number): void {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO team_audit (device_id, seq, id, at, actor, unit, action, outcome, details_json, prev_hash,
                                         hash)
       VALUES (@deviceId, @seq, @id, @at, @actor, @unit, @action, @outcome, @details_json, @prev_hash, @hash)`,
    );
    // As the audit trigger enters this laptop's own rows, with the device named and the key qualified by it.
    const entry = this.db.prepare(
      `INSERT OR IGNORE INTO logbook (at_ms, unit, code, outcome, level, actor, ref, source, source_key, device_id)
       VALUES (CAST(round(unixepoch(@at, 'subsec') * 1000) AS INTEGER), @unit, @action, @outcome,
               CASE @outcome WHEN 'ok' THEN 'OK' WHEN 'failed' THEN 'ERROR' END, @actor,
               CAST(coalesce(json_extract(@details_json, '$.runId'), json_extract(@details_json, '$.backupId'),
                             json_extract(@details_json, '$.transactionId')) AS TEXT),
               'audit', @deviceId || ':' || @seq, @deviceId)`,
    );
    const search = this.db.prepare('INSERT INTO logbook_fts (rowid, body) VALUES (?, ?)');
    this.page('audit', cursor, () => {
      for (const row of rows) {
        const { feedSeq: _feedSeq, ...params } = row;
        if (insert.run(params).changes === 0) {
          continue;
        }
        const added = entry.run(params);
        if (added.changes > 0) {
          search.run(added.lastInsertRowid, `${row.action} ${row.actor} ${row.details_json}`);
        }
      }
    });
  }

  /** Records each host-key conflict in the audit log the first time it is seen; returns every conflict standing. */
  recordConflicts(actor: string): number {
    const conflicts = hostKeyConflicts(this.db);
    const seen = this.db.prepare(
      'INSERT OR IGNORE INTO team_conflicts_recorded (unit, fingerprints, recorded_at) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const conflict of conflicts) {
        if (seen.run(conflict.unit, conflictSignature(conflict), this.now()).changes === 0) {
          continue;
        }
        this.history.appendAudit({
          actor,
          unit: conflict.unit,
          action: 'sync.conflict',
          outcome: 'refused',
          details: {
            reason: 'host keys differ between laptops',
            fingerprints: [...new Set(conflict.pins.map((p) => p.fingerprint))],
            devices: conflict.pins.map((p) => `${p.device}: ${p.fingerprint}`),
          },
        });
      }
    })();
    this.history.syncAuditHead();
    return conflicts.length;
  }

  private applyLatestSetting(key: string, actor: string): boolean {
    const latest = this.db
      .prepare<[string], { device_id: string; at: string; by: string; value_json: string; label: string | null }>(
        `SELECT e.device_id, e.at, e.by, e.value_json, d.label FROM team_setting_edits e
         LEFT JOIN team_devices d ON d.device_id = e.device_id
         WHERE e.key = ? ORDER BY e.at DESC, e.device_id DESC LIMIT 1`,
      )
      .get(key);
    const local = this.db
      .prepare<[string], { value_json: string; updated_at: string }>(
        'SELECT value_json, updated_at FROM settings WHERE key = ?',
      )
      .get(key);
    if (!latest || (local && local.updated_at >= latest.at)) {
      return false;
    }
    this.db
      .prepare(
        `INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
      )
      .run(key, latest.value_json, latest.at, latest.by);
    // A colleague's edit is not this laptop's to push again.
    this.db.prepare("DELETE FROM sync_outbox WHERE entity = 'setting' AND key = ?").run(key);
    this.history.appendAudit({
      actor,
      unit: null,
      action: 'sync.setting',
      outcome: 'ok',
      details: {
        key,
        by: latest.by,
        device: latest.label ?? latest.device_id,
        editedAt: latest.at,
        before: local ? (JSON.parse(local.value_json) as never) : null,
        after: JSON.parse(latest.value_json) as never,
      },
    });
    return true;
  }

  /** Where colleagues' backups live (pulled rows; the later record of a place wins). */
  applyLocations(rows: readonly Pulled<LocationDoc>[], cursor: number): void {
    this.page('locations', cursor, () => this.locations.applyPulled(rows));
  }

  private page(feed: keyof PullCursors, cursor: number, work: () => void): void {
    this.db
      .transaction(() => {
        work();
        this.state.setCursor(feed, cursor);
      })
      .immediate();
  }
}
