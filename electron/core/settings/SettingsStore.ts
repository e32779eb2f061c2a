import { AppError } from '../../../shared/errors/AppError';
import { ReplicaSettingsSchema, type ReplicaSettings } from '../../../shared/domain/backup';
import { DEFAULT_THRESHOLDS, ThresholdsSchema, type Thresholds } from '../../../shared/domain/thresholds';
import type { Database } from '../history/openDatabase';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';

const THRESHOLDS_KEY = 'thresholds';
const TECHNICIAN_KEY = 'technician';
const REPLICA_KEY = 'backup.replica';

/** The technician's settings (alert thresholds first), kept in the history database; defaults from the runbook. */
export class SettingsStore {
  private readonly read;
  private readonly write;

  constructor(
    private readonly db: Database,
    private readonly history: HistoryRepository,
    private readonly clock: Clock,
  ) {
    this.read = db.prepare<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?');
    this.write = db.prepare<[string, string, string, string]>(
      `INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
    );
  }

  /** Stored thresholds merged over the defaults, so a setting added in a later version has its default. */
  getThresholds(): Thresholds {
    const row = this.read.get(THRESHOLDS_KEY);
    if (!row) {
      return DEFAULT_THRESHOLDS;
    }
    let stored: unknown;
    try {
      stored = JSON.parse(row.value_json);
    } catch {
      stored = {};
    }
    const merged = ThresholdsSchema.safeParse({ ...DEFAULT_THRESHOLDS, ...(stored as object) });
    if (!merged.success) {
      throw new AppError('DB', 'the stored alert thresholds are damaged; set them again in settings');
    }
    return merged.data;
  }

  /** Saves the thresholds and records the change (old and new values) in the audit log, as one transaction. */
  setThresholds(thresholds: Thresholds, actor: string): Thresholds {
    const checked = ThresholdsSchema.parse(thresholds);
    const before = this.getThresholds();
    this.db.transaction(() => {
      this.write.run(THRESHOLDS_KEY, JSON.stringify(checked), this.clock.nowIso(), actor);
      this.history.appendAudit({
        actor,
        unit: null,
        action: 'settings.thresholds',
        outcome: 'ok',
        details: { before, after: checked },
      });
    })();
    return checked;
  }

  /** The technician's name as set once for this workstation; null when never set. */
  getTechnician(): string | null {
    const row = this.read.get(TECHNICIAN_KEY);
    if (!row) {
      return null;
    }
    try {
      const value = JSON.parse(row.value_json) as unknown;
      return typeof value === 'string' && value !== '' ? value : null;
    } catch {
      return null;
    }
  }

  /** Sets the technician's name, recorded (old and new) in the audit log as one transaction. */
  setTechnician(name: string, actor: string): string {
    const before = this.getTechnician();
    this.db.transaction(() => {
      this.write.run(TECHNICIAN_KEY, JSON.stringify(name), this.clock.nowIso(), actor);
      this.history.appendAudit({
        actor: name,
        unit: null,
        action: 'settings.technician',
        outcome: 'ok',
        details: { before, after: name, setBy: actor },
      });
    })();
    return name;
  }

  /** The backup replica settings (default target, SSH key for SFTP, pinned host keys of SFTP targets). */
  getReplica(): ReplicaSettings {
    const row = this.read.get(REPLICA_KEY);
    const parsed = row ? ReplicaSettingsSchema.safeParse(JSON.parse(row.value_json)) : null;
    return parsed?.success === true ? parsed.data : { target: null, keyPath: null, hostKeys: {} };
  }

  /** Saves the replica settings, recorded in the audit log (old and new) as one transaction. */
  setReplica(next: ReplicaSettings, action: string, actor: string): ReplicaSettings {
    const checked = ReplicaSettingsSchema.parse(next);
    const before = this.getReplica();
    this.db.transaction(() => {
      this.write.run(REPLICA_KEY, JSON.stringify(checked), this.clock.nowIso(), actor);
      this.history.appendAudit({
        actor,
        unit: null,
        action,
        outcome: 'ok',
        details: { before, after: checked },
      });
    })();
    return checked;
  }
}
