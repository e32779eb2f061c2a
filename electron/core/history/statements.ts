import type BetterSqlite3 from 'better-sqlite3';

import type { DiagnosisScope, HealthLevel } from '../../../shared/domain/health';
import type { AuditRow } from './auditRecord';

/*
 * Every statement the repository runs, prepared once and named for what it does.
 * Row types can be trusted for their scalar columns because the tables are STRICT with CHECKs;
 * the *_json columns are validated where they are read.
 */

export type UnitRow = {
  name: string;
  host: string;
  port: number;
  user: string;
  auth_json: string;
  profile_json: string;
  created_at: string;
  key_algorithm: string | null;
  key_fingerprint: string | null;
  key_pinned_at: string | null;
  last_level: HealthLevel | null;
  last_run_at: string | null;
  last_run_id: string | null;
  last_findings_json: string | null;
  bus_level: HealthLevel | null;
  bus_at: string | null;
  bus_run_id: string | null;
  bus_findings_json: string | null;
};

export type UnitParams = {
  name: string;
  host: string;
  port: number;
  user: string;
  auth_json: string;
  profile_json: string;
  created_at: string;
};

export type HostKeyParams = { unit: string; algorithm: string; fingerprint: string; pinned_at: string };

export type RunParams = {
  id: string;
  unit: string;
  /** The device a pulled run was recorded on; null for this one. */
  device_id: string | null;
  recorded_by: string | null;
  level: HealthLevel;
  started_at: string;
  duration_ms: number;
  report_json: string;
  scope: DiagnosisScope;
  findings_json: string | null;
};

export type CheckParams = {
  run_id: string;
  ordinal: number;
  unit: string;
  started_at: string;
  check_id: string;
  parent_id: string | null;
  level: HealthLevel;
  message: string;
  evidence: string;
  runbook: string | null;
  evidence_sha256: string | null;
  say_json: string | null;
};

export type LogbookParams = {
  at_ms: number;
  unit: string | null;
  actor: string | null;
  device_id: string | null;
  code: 'diagnosis' | 'finding';
  level: HealthLevel | null;
  ref: string;
  subject: string | null;
  source_key: string;
};

export type EvidenceRow = {
  ordinal: number;
  check_id: string;
  message: string;
  runbook: string | null;
  evidence: string;
  say_json: string | null;
};

export type ReportRow = {
  id: string;
  report_json: string;
  scope: DiagnosisScope | null;
  findings_json: string | null;
};

export type HistoryRow = {
  kind: 'diagnosis' | 'action';
  id: string;
  at: string;
  unit: string | null;
  actor: string | null;
  action: string | null;
  outcome: string | null;
  report_json: string | null;
  scope: DiagnosisScope | null;
  findings_json: string | null;
};

/** A run's own columns as the report readers take them. */
const REPORT_COLUMNS = 'id, report_json, scope, findings_json';

/**
 * A unit with its pin, its newest sweep (level, time, findings) and its newest bus diagnosis, each the newest of its
 * scope by started_at, then by insertion.
 */
const SELECT_UNIT = `
  SELECT u.name, u.host, u.port, u.user, u.auth_json, u.profile_json, u.created_at,
         k.algorithm AS key_algorithm, k.fingerprint AS key_fingerprint, k.pinned_at AS key_pinned_at,
         r.level AS last_level, r.started_at AS last_run_at, r.id AS last_run_id, r.findings_json AS last_findings_json,
         b.level AS bus_level, b.started_at AS bus_at, b.id AS bus_run_id, b.findings_json AS bus_findings_json
  FROM units u
  LEFT JOIN host_keys k ON k.unit = u.name
  LEFT JOIN diagnostic_runs r ON r.rowid = (
    SELECT rowid FROM diagnostic_runs WHERE unit = u.name AND scope = 'vehicle'
    ORDER BY started_at DESC, rowid DESC LIMIT 1
  )
  LEFT JOIN diagnostic_runs b ON b.rowid = (
    SELECT rowid FROM diagnostic_runs WHERE unit = u.name AND scope = 'bus' ORDER BY started_at DESC, rowid DESC LIMIT 1
  )`;

const AUDIT_COLUMNS = 'seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash';

type Statement<P extends unknown[] | object, R = unknown> = BetterSqlite3.Statement<P, R>;

export type Statements = {
  insertUnit: Statement<UnitParams>;
  selectUnit: Statement<[string], UnitRow>;
  selectUnits: Statement<[], UnitRow>;
  deleteUnit: Statement<[string]>;
  updateProfile: Statement<{ name: string; profile_json: string }>;
  upsertHostKey: Statement<HostKeyParams>;
  insertRun: Statement<RunParams>;
  insertCheck: Statement<CheckParams>;
  insertEvidenceBlob: Statement<{ sha256: string; size: number; content: Buffer }>;
  insertDiagnosisEntry: Statement<LogbookParams>;
  selectPreviousLevels: Statement<
    { unit: string; at: string; scope: DiagnosisScope },
    { check_id: string; level: HealthLevel }
  >;
  insertSearchText: Statement<{ id: number | bigint; body: string }>;
  selectEvidence: Statement<[string], EvidenceRow>;
  selectRun: Statement<[string], ReportRow>;
  selectRunsOfUnit: Statement<{ unit: string; limit: number }, ReportRow>;
  selectRunBefore: Statement<{ unit: string; before: string }, ReportRow>;
  selectLastAudit: Statement<[], { seq: number; hash: string }>;
  selectDeviceId: Statement<[], string>;
  insertAudit: Statement<AuditRow>;
  selectAudit: Statement<[number], AuditRow>;
  selectAuditOfUnit: Statement<{ unit: string; limit: number }, AuditRow>;
  selectHistory: Statement<{ unit: string; limit: number }, HistoryRow>;
};

export function prepareStatements(db: BetterSqlite3.Database): Statements {
  return { ...unitStatements(db), ...diagnosisStatements(db), ...auditStatements(db) };
}

type UnitStatements = Pick<
  Statements,
  'insertUnit' | 'selectUnit' | 'selectUnits' | 'deleteUnit' | 'updateProfile' | 'upsertHostKey'
>;
type AuditStatements = Pick<
  Statements,
  'selectDeviceId' | 'selectLastAudit' | 'insertAudit' | 'selectAudit' | 'selectAuditOfUnit' | 'selectHistory'
>;
type DiagnosisStatements = Omit<Statements, keyof UnitStatements | keyof AuditStatements>;

function unitStatements(db: BetterSqlite3.Database): UnitStatements {
  return {
    insertUnit: db.prepare<UnitParams>(
      `INSERT INTO units (name, host, port, user, auth_json, profile_json, created_at)
       VALUES (@name, @host, @port, @user, @auth_json, @profile_json, @created_at)`,
    ),
    selectUnit: db.prepare<[string], UnitRow>(`${SELECT_UNIT} WHERE u.name = ?`),
    selectUnits: db.prepare<[], UnitRow>(`${SELECT_UNIT} ORDER BY u.name`),
    deleteUnit: db.prepare<[string]>('DELETE FROM units WHERE name = ?'),
    updateProfile: db.prepare<{ name: string; profile_json: string }>(
      'UPDATE units SET profile_json = @profile_json WHERE name = @name',
    ),
    upsertHostKey: db.prepare<HostKeyParams>(
      `INSERT INTO host_keys (unit, algorithm, fingerprint, pinned_at)
       VALUES (@unit, @algorithm, @fingerprint, @pinned_at)
       ON CONFLICT (unit) DO UPDATE SET
         algorithm = excluded.algorithm, fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at`,
    ),
  };
}

function diagnosisStatements(db: BetterSqlite3.Database): DiagnosisStatements {
  return {
    insertRun: db.prepare<RunParams>(
      `INSERT INTO diagnostic_runs (id, unit, level, started_at, duration_ms, report_json, scope, findings_json, device_id,
         recorded_by)
       VALUES (@id, @unit, @level, @started_at, @duration_ms, @report_json, @scope, @findings_json, @device_id,
         @recorded_by)`,
    ),
    insertCheck: db.prepare<CheckParams>(
      `INSERT INTO check_results
         (run_id, ordinal, unit, started_at, check_id, parent_id, level, message, evidence, runbook, evidence_sha256,
          say_json)
       VALUES
         (@run_id, @ordinal, @unit, @started_at, @check_id, @parent_id, @level, @message, @evidence, @runbook,
          @evidence_sha256, @say_json)`,
    ),
    insertEvidenceBlob: db.prepare<{ sha256: string; size: number; content: Buffer }>(
      'INSERT OR IGNORE INTO evidence_blobs (sha256, size, content) VALUES (@sha256, @size, @content)',
    ),
    insertDiagnosisEntry: db.prepare<LogbookParams>(
      `INSERT INTO logbook (at_ms, unit, code, outcome, level, actor, ref, subject, source, source_key, device_id)
       VALUES (@at_ms, @unit, @code, NULL, @level, @actor, @ref, @subject, @code, @source_key, @device_id)`,
    ),
    /** The check levels of the unit's newest run of a scope up to a time: what a new run's findings are judged against. */
    selectPreviousLevels: db.prepare<
      { unit: string; at: string; scope: DiagnosisScope },
      { check_id: string; level: HealthLevel }
    >(
      `SELECT check_id, level FROM check_results WHERE run_id = (
         SELECT id FROM diagnostic_runs WHERE unit = @unit AND scope = @scope AND started_at <= @at
         ORDER BY started_at DESC, rowid DESC LIMIT 1
       )`,
    ),
    insertSearchText: db.prepare<{ id: number | bigint; body: string }>(
      'INSERT INTO logbook_fts (rowid, body) VALUES (@id, @body)',
    ),
    /** Each check's message, runbook and evidence (kept in its row, or once by hash since migration 0009). */
    selectEvidence: db.prepare<[string], EvidenceRow>(
      `SELECT c.ordinal, c.check_id, c.message, c.runbook, c.say_json,
              CASE WHEN c.evidence_sha256 IS NULL THEN c.evidence ELSE CAST(b.content AS TEXT) END AS evidence
       FROM check_results c LEFT JOIN evidence_blobs b ON b.sha256 = c.evidence_sha256
       WHERE c.run_id = ? ORDER BY c.ordinal`,
    ),
    selectRun: db.prepare<[string], ReportRow>(`SELECT ${REPORT_COLUMNS} FROM diagnostic_runs WHERE id = ?`),
    selectRunsOfUnit: db.prepare<{ unit: string; limit: number }, ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM diagnostic_runs WHERE unit = @unit
       ORDER BY started_at DESC, rowid DESC LIMIT @limit`,
    ),
    /** The unit's newest run of the same scope that sorts before the given one (same order as selectRunsOfUnit). */
    selectRunBefore: db.prepare<{ unit: string; before: string }, ReportRow>(
      `SELECT r.id, r.report_json, r.scope, r.findings_json FROM diagnostic_runs r, diagnostic_runs b
       WHERE b.id = @before AND r.unit = @unit AND r.scope = b.scope
         AND (r.started_at < b.started_at OR (r.started_at = b.started_at AND r.rowid < b.rowid))
       ORDER BY r.started_at DESC, r.rowid DESC LIMIT 1`,
    ),
  };
}

/** The device id, the audit chain, and a unit's history (its runs and actions together). */
function auditStatements(db: BetterSqlite3.Database): AuditStatements {
  return {
    selectDeviceId: db.prepare<[], string>('SELECT device_id FROM device WHERE id = 1').pluck(),
    selectLastAudit: db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    ),
    insertAudit: db.prepare<AuditRow>(
      `INSERT INTO audit_log (${AUDIT_COLUMNS})
       VALUES (@seq, @id, @at, @actor, @unit, @action, @outcome, @details_json, @prev_hash, @hash)`,
    ),
    selectAudit: db.prepare<[number], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT ?`),
    selectAuditOfUnit: db.prepare<{ unit: string; limit: number }, AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE unit = @unit ORDER BY seq DESC LIMIT @limit`,
    ),
    /**
     * A unit's runs and actions, newest first. The report is joined in only after the limit
     * so that sorting a long history never drags every report's evidence through the sort.
     */
    selectHistory: db.prepare<{ unit: string; limit: number }, HistoryRow>(
      `SELECT h.kind, h.id, h.at, h.unit, h.actor, h.action, h.outcome, r.report_json, r.scope, r.findings_json
       FROM (
         SELECT 'diagnosis' AS kind, id, started_at AS at, unit, NULL AS actor, NULL AS action, NULL AS outcome,
                0 AS source, rowid AS tiebreak
         FROM diagnostic_runs WHERE unit = @unit
         UNION ALL
         SELECT 'action', id, at, unit, actor, action, outcome, 1, seq
         FROM audit_log WHERE unit = @unit
         ORDER BY at DESC, source DESC, tiebreak DESC
         LIMIT @limit
       ) h
       LEFT JOIN diagnostic_runs r ON h.kind = 'diagnosis' AND r.id = h.id
       ORDER BY h.at DESC, h.source DESC, h.tiebreak DESC`,
    ),
  };
}
