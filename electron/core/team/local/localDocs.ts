import { createHash } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import { BugError, type JsonValue } from '../../../../shared/errors/AppError';
import type { HistoryRepository } from '../../history/HistoryRepository';
import { canonicalJson } from '../../history/canonicalJson';
import { RunStore, runLifecycle } from '../../procedures/runner/runStore';
import type { DiagnosisDoc, EvidenceDoc, RecordDoc, SettingEditDoc, UnitDoc } from '../syncDocs';

/*
 * This laptop's rows as the documents the team server keeps, built from the history as it stands when they are
 * pushed (the outbox names what changed, not how): a unit with its pin, a diagnosis whole, a procedure run with its
 * steps, evidence list and signature, a restore transaction with its phases, a team setting's current edit.
 */

export function digestOf(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value as JsonValue))
    .digest('hex');
}

type UnitRowLite = {
  name: string;
  host: string;
  port: number;
  user: string;
  created_at: string;
  key_algorithm: string | null;
  key_fingerprint: string | null;
  key_pinned_at: string | null;
};

export class LocalDocs {
  private readonly runs: RunStore;
  private readonly unitRow: BetterSqlite3.Statement<[string], UnitRowLite>;
  private readonly recordedBy: BetterSqlite3.Statement<[string], string | null>;
  private readonly restoreRow: BetterSqlite3.Statement<[string], Record<string, unknown>>;
  private readonly restorePhases: BetterSqlite3.Statement<[string], Record<string, unknown>>;
  private readonly settingRow: BetterSqlite3.Statement<
    [string],
    { value_json: string; updated_at: string; updated_by: string }
  >;
  private readonly pulledEdit: BetterSqlite3.Statement<[string, string, string], number>;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly history: HistoryRepository,
    private readonly now: () => string,
  ) {
    this.runs = new RunStore(db);
    this.unitRow = db.prepare(
      `SELECT u.name, u.host, u.port, u.user, u.created_at, k.algorithm AS key_algorithm,
              k.fingerprint AS key_fingerprint, k.pinned_at AS key_pinned_at
       FROM units u LEFT JOIN host_keys k ON k.unit = u.name WHERE u.name = ?`,
    );
    this.recordedBy = db
      .prepare<[string], string | null>('SELECT recorded_by FROM diagnostic_runs WHERE id = ?')
      .pluck();
    this.restoreRow = db.prepare('SELECT * FROM restore_transactions WHERE id = ?');
    this.restorePhases = db.prepare(
      'SELECT seq, phase, status, at, detail, data_json FROM restore_phases WHERE transaction_id = ? ORDER BY seq',
    );
    this.settingRow = db.prepare('SELECT value_json, updated_at, updated_by FROM settings WHERE key = ?');
    this.pulledEdit = db
      .prepare<[string, string, string], number>(
        'SELECT count(*) FROM team_setting_edits WHERE key = ? AND at = ? AND value_json = ?',
      )
      .pluck();
  }

  /** The unit as this laptop has it, or a removal when it was forgotten here. */
  unit(name: string): UnitDoc {
    const row = this.unitRow.get(name);
    if (!row) {
      return {
        name,
        host: null,
        port: null,
        user: null,
        keyAlgorithm: null,
        keyFingerprint: null,
        keyPinnedAt: null,
        removed: true,
        updatedAt: this.now(),
      };
    }
    return {
      name: row.name,
      host: row.host,
      port: row.port,
      user: row.user,
      keyAlgorithm: row.key_algorithm,
      keyFingerprint: row.key_fingerprint,
      keyPinnedAt: row.key_pinned_at,
      removed: false,
      updatedAt: row.key_pinned_at !== null && row.key_pinned_at > row.created_at ? row.key_pinned_at : row.created_at,
    };
  }

  diagnosis(id: string): DiagnosisDoc | null {
    const report = this.history.getDiagnosis(id);
    if (!report) {
      return null;
    }
    return {
      id,
      unit: report.unit,
      level: report.level,
      startedAt: report.startedAt,
      durationMs: report.durationMs,
      recordedBy: this.recordedBy.get(id) ?? null,
      report,
    };
  }

  /** A procedure run whole, and the evidence it refers to (the content goes to the server once by its SHA-256). */
  run(id: string): { doc: RecordDoc; evidence: EvidenceDoc[] } | null {
    const stored = this.runs.get(id);
    if (!stored) {
      return null;
    }
    const { run } = stored;
    const body = {
      runId: run.id,
      procedure: {
        id: run.procedure_id,
        version: run.procedure_version,
        json: JSON.parse(run.procedure_json) as unknown,
      },
      origin: run.procedure_origin_json === null ? null : (JSON.parse(run.procedure_origin_json) as unknown),
      params: JSON.parse(run.params_json) as unknown,
      units: stored.units,
      ...runLifecycle(run),
      signature:
        run.signed_at === null
          ? null
          : { signedBy: run.signed_by, signedAt: run.signed_at, recordHash: run.record_hash, auditSeq: run.audit_seq },
      steps: stored.steps.map((step) => ({
        seq: step.seq,
        stepId: step.step_id,
        unit: step.unit,
        status: step.status,
        actor: step.actor,
        startedAt: step.started_at,
        endedAt: step.ended_at,
        outcome: JSON.parse(step.result_json) as unknown,
      })),
      evidence: stored.evidence.map((e) => ({
        seq: e.seq,
        ordinal: e.ordinal,
        kind: e.kind,
        name: e.name,
        mediaType: e.media_type,
        sha256: e.sha256,
        size: e.size,
        addedBy: e.added_by,
        addedAt: e.added_at,
      })),
    };
    const evidence = stored.evidence.map((e) => {
      const content = this.runs.blob(e.sha256);
      if (!content) {
        throw new BugError(`run ${id}: evidence ${e.sha256} has no content`);
      }
      return { sha256: e.sha256, size: e.size, content };
    });
    return {
      doc: {
        entity: 'run',
        id,
        unit: stored.units[0] ?? null,
        at: run.started_at,
        actor: run.started_by,
        digest: digestOf(body),
        body,
      },
      evidence,
    };
  }

  restore(id: string): RecordDoc | null {
    const row = this.restoreRow.get(id);
    if (!row) {
      return null;
    }
    const body = {
      ...row,
      phases: this.restorePhases.all(id).map(({ data_json: data, ...phase }) => ({
        ...phase,
        data: JSON.parse(String(data)) as unknown,
      })),
    };
    return {
      entity: 'restore',
      id,
      unit: String(row.unit),
      at: String(row.started_at),
      actor: String(row.started_by),
      digest: digestOf(body),
      body,
    };
  }

  /** The setting's edit made here, or null when what it holds is a colleague's edit applied by the sync. */
  settingEdit(key: string): SettingEditDoc | null {
    const row = this.settingRow.get(key);
    if (!row || this.pulledEdit.get(key, row.updated_at, row.value_json) !== 0) {
      return null;
    }
    return { key, at: row.updated_at, by: row.updated_by, value: JSON.parse(row.value_json) as unknown };
  }
}
