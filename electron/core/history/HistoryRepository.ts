import type BetterSqlite3 from 'better-sqlite3';

import type { DiagnosisReport } from '../../../shared/domain/health';
import type { HistoryEntry, PinnedHostKey, Unit, VehicleProfile } from '../../../shared/domain/unit';
import { AppError } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import { auditRecordFromRow, type AuditInput, type AuditReceipt, type AuditRecord } from './auditRecord';
import { flattenChecks } from './checkTree';
import { diagnosisSearchText, newFindings, reportSkeleton, reportWithChecks, storeEvidence } from './diagnosisStorage';
import { sqliteCode, toDbError } from './dbErrors';
import { historyEntryFromRow, reportFromRow, unitFromRow } from './fromRows';
import { KeyedAuditLog, type ChainVerification, type KeyedAuditOptions } from './KeyedAuditLog';
import { prepareStatements, type ReportRow, type Statements } from './statements';

/**
 * The fleet history: units, their diagnosis runs and the audit log, over one open database.
 * Every multi-row write is one IMMEDIATE transaction, so a crash or a second window never sees half of it.
 */
export class HistoryRepository {
  private readonly sql: Statements;
  private readonly file: string;
  private readonly addUnitTx: (unit: Unit) => void;
  private readonly saveDiagnosisTx: (args: { report: DiagnosisReport; origin: DiagnosisOrigin }) => void;
  private readonly appendAuditTx: (entry: AuditInput) => AuditReceipt;
  private readonly anchorTx: (actor: string) => boolean;
  private readonly audit: KeyedAuditLog;
  /** An audit row was written inside a caller's transaction and the head file has not followed yet. */
  private headPending = false;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
    audit: KeyedAuditOptions,
  ) {
    this.sql = prepareStatements(db);
    this.file = db.name;
    this.audit = new KeyedAuditLog(db, clock, audit);
    this.addUnitTx = immediate(db, (unit: Unit) => this.writeUnit(unit));
    this.saveDiagnosisTx = immediate(db, (args: { report: DiagnosisReport; origin: DiagnosisOrigin }) =>
      this.writeDiagnosis(args.report, args.origin),
    );
    // The IMMEDIATE lock keeps two writers from both using one seq.
    this.appendAuditTx = immediate(db, (entry: AuditInput) => this.audit.write(entry));
    this.anchorTx = immediate(db, (actor: string) => this.audit.anchorIfNeeded(actor));
  }

  // ── units ────────────────────────────────────────────────────────────────────────────────────────────

  /** Stores a new unit, with its pinned host key if it has one. */
  addUnit(unit: Unit): void {
    this.guard(`adding unit ${unit.name}`, () => {
      try {
        this.addUnitTx(unit);
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new AppError('ALREADY_EXISTS', `unit ${unit.name} already exists`, { details: { unit: unit.name } });
        }
        throw error;
      }
    });
  }

  getUnit(name: string): Unit | undefined {
    return this.guard(`reading unit ${name}`, () => {
      const row = this.sql.selectUnit.get(name);
      return row ? unitFromRow(row, this.file) : undefined;
    });
  }

  /** Every unit, sorted by name. */
  listUnits(): Unit[] {
    return this.guard('listing units', () => this.sql.selectUnits.all().map((row) => unitFromRow(row, this.file)));
  }

  /** Forgets the unit and its host key pin; its diagnoses and audit entries stay. False if there was no such unit. */
  removeUnit(name: string): boolean {
    return this.guard(`removing unit ${name}`, () => this.sql.deleteUnit.run(name).changes > 0);
  }

  updateProfile(name: string, profile: VehicleProfile): void {
    this.guard(`updating the profile of unit ${name}`, () => {
      const { changes } = this.sql.updateProfile.run({ name, profile_json: JSON.stringify(profile) });
      if (changes === 0) {
        throw unitNotFound(name);
      }
    });
  }

  /** Pins the unit's host key, replacing any earlier pin. */
  pinHostKey(name: string, key: { algorithm: string; fingerprint: string }): PinnedHostKey {
    return this.guard(`pinning the host key of unit ${name}`, () => {
      const pinned: PinnedHostKey = {
        algorithm: key.algorithm,
        fingerprint: key.fingerprint,
        pinnedAt: this.clock.nowIso(),
      };
      try {
        this.writeHostKey(name, pinned);
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw unitNotFound(name);
        }
        throw error;
      }
      return pinned;
    });
  }

  // ── diagnoses ────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Stores a run and every one of its checks, or nothing at all. `origin` says who ran it and, for a run pulled from
   * the team, on which device (a pulled run is never queued for pushing).
   */
  saveDiagnosis(report: DiagnosisReport, origin: DiagnosisOrigin = {}): void {
    this.guard(`saving diagnosis ${report.runId} of unit ${report.unit}`, () => {
      try {
        this.saveDiagnosisTx({ report, origin });
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new AppError('ALREADY_EXISTS', `diagnosis ${report.runId} is already saved`, {
            details: { runId: report.runId },
          });
        }
        throw error;
      }
    });
  }

  getDiagnosis(runId: string): DiagnosisReport | undefined {
    return this.guard(`reading diagnosis ${runId}`, () => {
      const row = this.sql.selectRun.get(runId);
      return row ? this.readReport(row) : undefined;
    });
  }

  /** The unit's runs, newest first (also for a unit that has since been removed). */
  listDiagnoses(unit: string, limit: number): DiagnosisReport[] {
    checkLimit(limit);
    return this.guard(`listing diagnoses of unit ${unit}`, () =>
      this.sql.selectRunsOfUnit.all({ unit, limit }).map((row) => this.readReport(row)),
    );
  }

  /** The unit's run just before the given one, to compare against; undefined if none, or if that run is unknown. */
  previousDiagnosis(unit: string, beforeRunId: string): DiagnosisReport | undefined {
    return this.guard(`reading the diagnosis of unit ${unit} before ${beforeRunId}`, () => {
      const row = this.sql.selectRunBefore.get({ unit, before: beforeRunId });
      return row ? this.readReport(row) : undefined;
    });
  }

  /** This history's id among a team's devices (made once, by migration 11). */
  deviceId(): string {
    return this.guard('reading the device id', () => this.sql.selectDeviceId.get() ?? '');
  }

  // ── audit ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Appends an entry to the keyed audit chain and returns where it landed; the head file follows once the row is
   * committed (inside a caller's transaction, the caller calls syncAuditHead after its commit).
   */
  appendAudit(entry: AuditInput): AuditReceipt {
    return this.guard(`recording ${entry.action}`, () => {
      const receipt = this.appendAuditTx(entry);
      if (this.db.inTransaction) {
        // Inside a caller's transaction: the row is not committed yet, so the head file waits for it.
        this.headPending = true;
      } else {
        this.audit.syncHead();
      }
      return receipt;
    });
  }

  /** Throws when an audit row could not be written now (no key here, a cut log); writes nothing. */
  assertAuditWritable(): void {
    this.guard('checking that the audit log can be written', () => this.audit.checkWritable());
  }

  /** Moves the head file up to the rows committed now (after a caller's transaction that recorded audit rows). */
  syncAuditHead(): void {
    this.guard('updating the audit head file', () => {
      this.headPending = false;
      this.audit.syncHead();
    });
  }

  /** Keys an existing unkeyed chain now (its one-time, recorded re-anchoring); false when it is keyed already. */
  anchorAudit(actor: string): boolean {
    return this.guard('anchoring the audit chain', () => {
      const anchored = this.anchorTx(actor);
      if (anchored) {
        this.audit.syncHead();
      }
      return anchored;
    });
  }

  /** The chain's head as it stands (for reports). */
  auditHead(): { rows: number; hash: string; keyed: boolean } | null {
    return this.guard('reading the audit head', () => this.audit.head());
  }

  /** Audit entries, newest first, of one unit or of the whole fleet. */
  listAudit(filter: { unit?: string; limit: number }): AuditRecord[] {
    checkLimit(filter.limit);
    return this.guard('listing the audit log', () => {
      const rows =
        filter.unit === undefined
          ? this.sql.selectAudit.all(filter.limit)
          : this.sql.selectAuditOfUnit.all({ unit: filter.unit, limit: filter.limit });
      return rows.map((row) => auditRecordFromRow(row, this.file));
    });
  }

  verifyAudit(): ChainVerification {
    return this.guard('verifying the audit log', () => this.audit.verify());
  }

  // ── history ──────────────────────────────────────────────────────────────────────────────────────────

  /** What happened to a unit, runs and actions merged, newest first; works for a removed unit's name too. */
  history(unit: string, limit: number): HistoryEntry[] {
    checkLimit(limit);
    return this.guard(`reading the history of unit ${unit}`, () =>
      this.sql.selectHistory
        .all({ unit, limit })
        .map((row) => historyEntryFromRow(row, this.file, (report) => this.readReport(report))),
    );
  }

  close(): void {
    if (this.db.open) {
      if (this.headPending && !this.db.inTransaction) {
        this.syncAuditHead();
      }
      this.db.close();
    }
  }

  // ── writes (run inside the transactions above) ───────────────────────────────────────────────────────

  private writeUnit(unit: Unit): void {
    this.sql.insertUnit.run({
      name: unit.name,
      host: unit.host,
      port: unit.port,
      user: unit.user,
      auth_json: JSON.stringify(unit.auth),
      profile_json: JSON.stringify(unit.profile),
      created_at: unit.createdAt,
    });
    if (unit.hostKey) {
      this.writeHostKey(unit.name, unit.hostKey);
    }
  }

  private writeHostKey(name: string, key: PinnedHostKey): void {
    this.sql.upsertHostKey.run({
      unit: name,
      algorithm: key.algorithm,
      fingerprint: key.fingerprint,
      pinned_at: key.pinnedAt,
    });
  }

  /** The run, its checks (long evidence once by hash), its logbook entry and the entry's searchable findings. */
  private writeDiagnosis(report: DiagnosisReport, origin: DiagnosisOrigin): void {
    const actor = origin.actor ?? null;
    const deviceId = origin.deviceId ?? null;
    const scope = report.scope ?? 'vehicle';
    const previous = new Map(
      this.sql.selectPreviousLevels
        .all({ unit: report.unit, at: report.startedAt, scope })
        .map((r) => [r.check_id, r.level]),
    );
    this.sql.insertRun.run({
      id: report.runId,
      unit: report.unit,
      level: report.level,
      started_at: report.startedAt,
      duration_ms: report.durationMs,
      report_json: JSON.stringify(reportSkeleton(report)),
      scope,
      findings_json: report.findings === undefined ? null : JSON.stringify(report.findings),
      device_id: deviceId,
      recorded_by: actor,
    });
    const flat = flattenChecks(report.checks);
    for (const { ordinal, parentId, check } of flat) {
      const evidence = storeEvidence(check.evidence);
      if (evidence.sha256 !== null) {
        this.sql.insertEvidenceBlob.run({ sha256: evidence.sha256, size: evidence.size, content: evidence.content });
      }
      this.sql.insertCheck.run({
        run_id: report.runId,
        ordinal,
        unit: report.unit,
        started_at: report.startedAt,
        check_id: check.id,
        parent_id: parentId,
        level: check.level,
        message: check.message,
        evidence: evidence.inline,
        runbook: check.runbook ?? null,
        evidence_sha256: evidence.sha256,
        say_json: check.say === undefined ? null : JSON.stringify(check.say),
      });
    }
    const atMs = Date.parse(report.startedAt);
    // Findings first, so that newest first reads the sweep and then what it found: of a judged run, only the causes
    // (what they explain is folded under them), a cause that a group reports of its own included.
    const roots = report.findings ? new Set(report.findings.map((f) => f.root)) : null;
    const found = roots ? newFindings(flat, previous, roots) : newFindings(flat, previous);
    for (const { ordinal, check } of found) {
      const finding = this.sql.insertDiagnosisEntry.run({
        at_ms: atMs,
        unit: report.unit,
        code: 'finding',
        level: check.level,
        ref: report.runId,
        subject: check.id,
        source_key: `${report.runId}:${ordinal}`,
        actor,
        device_id: deviceId,
      });
      this.sql.insertSearchText.run({ id: finding.lastInsertRowid, body: `${check.id} ${check.message}` });
    }
    const entry = this.sql.insertDiagnosisEntry.run({
      at_ms: atMs,
      unit: report.unit,
      code: 'diagnosis',
      level: report.level,
      ref: report.runId,
      subject: null,
      source_key: report.runId,
      actor,
      device_id: deviceId,
    });
    const body = diagnosisSearchText(flat);
    if (body !== '') {
      this.sql.insertSearchText.run({ id: entry.lastInsertRowid, body });
    }
  }

  private readReport(row: ReportRow): DiagnosisReport {
    return reportWithChecks(reportFromRow(row, this.file), this.sql.selectEvidence.all(row.id), this.file);
  }

  /** Runs a public operation; SQLite failures leave it as DB AppErrors naming the file and what was being done. */
  private guard<T>(doing: string, operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw toDbError(error, this.file, doing);
    }
  }
}

/** Who ran a diagnosis, and the colleague's device a pulled one was recorded on (absent: this device). */
export type DiagnosisOrigin = { actor?: string | null; deviceId?: string | null };

/** Wraps a write in an IMMEDIATE transaction: the write lock is taken up front, so a concurrent writer waits. */
function immediate<A, R>(db: BetterSqlite3.Database, write: (arg: A) => R): (arg: A) => R {
  const transaction = db.transaction(write);
  return (arg: A) => transaction.immediate(arg);
}

function unitNotFound(name: string): AppError {
  return new AppError('NOT_FOUND', `unit ${name} not found`, { details: { unit: name } });
}

/** SQLite treats a negative LIMIT as no limit at all; a caller asking for that has a bug or bad input. */
function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new AppError('VALIDATION', `limit must be a whole number of at least 0 (got ${limit})`);
  }
}
