import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

import type BetterSqlite3 from 'better-sqlite3';

import type {
  AttemptOutcome,
  AttemptStatus,
  Evidence,
  ProcedureOrigin,
  RunState,
} from '../../../../shared/ipc/contracts/procedureRuns';
import { AppError } from '../../../../shared/errors/AppError';
import { toDbError } from '../../history/dbErrors';

/*
 * The procedure runs' rows in the fleet history (migration 0006). Everything is written through here; a signed run
 * is refused by the triggers as well as by these methods.
 */

export type RunRow = {
  id: string;
  procedure_id: string;
  procedure_version: string;
  procedure_json: string;
  params_json: string;
  started_by: string;
  started_at: string;
  state: RunState;
  abort_reason: string | null;
  escalation_level: number | null;
  ended_at: string | null;
  ended_by: string | null;
  signed_by: string | null;
  signed_at: string | null;
  record_hash: string | null;
  audit_seq: number | null;
  /** JSON of the ProcedureOrigin; null for a run started before it was recorded. */
  procedure_origin_json: string | null;
};

/** A run's lifecycle under the names the faces, the signed record and the team's copy all give it. */
export function runLifecycle(run: RunRow) {
  return {
    startedBy: run.started_by,
    startedAt: run.started_at,
    state: run.state,
    abortReason: run.abort_reason,
    escalationLevel: run.escalation_level,
    endedAt: run.ended_at,
    endedBy: run.ended_by,
  };
}

export type StepRow = {
  run_id: string;
  seq: number;
  step_id: string;
  unit: string | null;
  status: AttemptStatus;
  actor: string;
  started_at: string;
  ended_at: string | null;
  result_json: string;
};

export type EvidenceRow = {
  run_id: string;
  seq: number;
  ordinal: number;
  kind: 'note' | 'attachment';
  name: string;
  media_type: string;
  sha256: string;
  size: number;
  added_by: string;
  added_at: string;
};

export type NewRun = {
  id: string;
  procedureId: string;
  procedureVersion: number;
  procedureJson: string;
  params: Record<string, string>;
  units: readonly string[];
  startedBy: string;
  startedAt: string;
  origin: ProcedureOrigin;
};

export type NewEvidence = {
  kind: 'note' | 'attachment';
  name: string;
  mediaType: string;
  content: Buffer;
  addedBy: string;
  addedAt: string;
};

export type StoredRun = {
  run: RunRow;
  units: string[];
  steps: StepRow[];
  evidence: EvidenceRow[];
};

/** Who is executing a 'started' attempt: this process on this machine. Kept in the attempt's stored JSON. */
export function executorStamp(): { pid: number; host: string } {
  return { pid: process.pid, host: hostname() };
}

function executorAlive(resultJson: string): boolean {
  const executor = (JSON.parse(resultJson) as { executor?: { pid?: unknown; host?: unknown } }).executor;
  if (typeof executor?.pid !== 'number' || executor.host !== hostname() || executor.pid === process.pid) {
    // This process is not executing it (the caller checked), or it ran on another machine or an older build.
    return false;
  }
  try {
    process.kill(executor.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export class RunStore {
  private readonly file: string;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.file = db.name;
  }

  createRun(run: NewRun): void {
    this.write(`starting run ${run.id}`, () => {
      this.db
        .prepare(
          `INSERT INTO procedure_runs (id, procedure_id, procedure_version, procedure_json, params_json, started_by,
             started_at, state, procedure_origin_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
        )
        .run(
          run.id,
          run.procedureId,
          String(run.procedureVersion),
          run.procedureJson,
          JSON.stringify(run.params),
          run.startedBy,
          run.startedAt,
          JSON.stringify(run.origin),
        );
      const unit = this.db.prepare('INSERT INTO procedure_run_units (run_id, unit, ordinal) VALUES (?, ?, ?)');
      run.units.forEach((name, ordinal) => unit.run(run.id, name, ordinal));
    });
  }

  /** Writes a new attempt and returns its seq (the next one of the run). */
  addAttempt(
    runId: string,
    attempt: {
      stepId: string;
      unit: string | null;
      status: AttemptStatus;
      actor: string;
      startedAt: string;
      endedAt: string | null;
      outcome: AttemptOutcome;
      evidence?: readonly NewEvidence[];
    },
  ): number {
    return this.write(`recording a step of run ${runId}`, () => {
      this.assertOpen(runId);
      const running = this.db
        .prepare<[string], { step_id: string }>(
          "SELECT step_id FROM procedure_step_results WHERE run_id = ? AND status = 'started' LIMIT 1",
        )
        .get(runId);
      if (running) {
        throw new AppError(
          'CONFLICT',
          `step "${running.step_id}" of run ${runId} is running (in another window or process); wait for it to finish`,
          { details: { runId, stepId: running.step_id } },
        );
      }
      const last = this.db
        .prepare<[string], { seq: number | null }>(
          'SELECT max(seq) AS seq FROM procedure_step_results WHERE run_id = ?',
        )
        .get(runId);
      const seq = (last?.seq ?? 0) + 1;
      this.db
        .prepare(
          `INSERT INTO procedure_step_results (run_id, seq, step_id, unit, status, actor, started_at, ended_at, result_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          runId,
          seq,
          attempt.stepId,
          attempt.unit,
          attempt.status,
          attempt.actor,
          attempt.startedAt,
          attempt.endedAt,
          JSON.stringify(attempt.outcome),
        );
      (attempt.evidence ?? []).forEach((item, ordinal) => this.writeEvidence(runId, seq, ordinal, item));
      return seq;
    });
  }

  /** Ends an attempt that was written as 'started' (the action has come back, or was cut off). */
  finishAttempt(runId: string, seq: number, status: AttemptStatus, endedAt: string, outcome: AttemptOutcome): void {
    this.write(`recording a step of run ${runId}`, () => {
      this.assertNotSigned(runId);
      const { changes } = this.db
        .prepare(
          `UPDATE procedure_step_results SET status = ?, ended_at = ?, result_json = ?
           WHERE run_id = ? AND seq = ? AND status = 'started'`,
        )
        .run(status, endedAt, JSON.stringify(outcome), runId, seq);
      if (changes === 0) {
        throw new AppError('CONFLICT', `step attempt ${seq} of run ${runId} is not in progress`);
      }
    });
  }

  /**
   * Marks the attempts still 'started' whose executor is gone (a crash, a closed app) as interrupted; an attempt
   * whose process is still alive on this machine (another window running it now) is left alone. Returns how many.
   */
  markInterrupted(runId: string, endedAt: string): number {
    return this.write(`recovering run ${runId}`, () => {
      const rows = this.db
        .prepare<[string], { seq: number; result_json: string }>(
          "SELECT seq, result_json FROM procedure_step_results WHERE run_id = ? AND status = 'started'",
        )
        .all(runId)
        .filter((row) => !executorAlive(row.result_json));
      for (const row of rows) {
        const outcome = JSON.parse(row.result_json) as AttemptOutcome;
        const message = `${outcome.message ? `${outcome.message}; ` : ''}interrupted: the workstation lost the unit or was closed while this ran, so whether it finished is unknown`;
        this.db
          .prepare(
            `UPDATE procedure_step_results SET status = 'interrupted', ended_at = ?, result_json = ?
             WHERE run_id = ? AND seq = ? AND status = 'started'`,
          )
          .run(endedAt, JSON.stringify({ ...outcome, message }), runId, row.seq);
      }
      return rows.length;
    });
  }

  endRun(
    runId: string,
    end: { state: Exclude<RunState, 'running'>; reason?: string; level?: number; by: string; at: string },
  ): void {
    this.write(`ending run ${runId}`, () => {
      this.assertOpen(runId);
      this.db
        .prepare(
          `UPDATE procedure_runs SET state = ?, abort_reason = ?, escalation_level = ?, ended_at = ?, ended_by = ?
           WHERE id = ? AND state = 'running'`,
        )
        .run(end.state, end.reason ?? null, end.level ?? null, end.at, end.by, runId);
    });
  }

  /** Stores the sign-off; the caller runs it in the same transaction as the audit entry. */
  markSigned(runId: string, signature: { by: string; at: string; recordHash: string; auditSeq: number }): void {
    const { changes } = this.db
      .prepare(
        `UPDATE procedure_runs SET signed_by = ?, signed_at = ?, record_hash = ?, audit_seq = ?
         WHERE id = ? AND signed_at IS NULL AND state <> 'running'`,
      )
      .run(signature.by, signature.at, signature.recordHash, signature.auditSeq, runId);
    if (changes === 0) {
      throw new AppError('CONFLICT', `run ${runId} cannot be signed: it is still running or already signed`);
    }
  }

  /** Runs `work` in one IMMEDIATE transaction (nested writes become savepoints). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  get(runId: string): StoredRun | undefined {
    return this.read(`reading run ${runId}`, () => {
      const run = this.db.prepare<[string], RunRow>('SELECT * FROM procedure_runs WHERE id = ?').get(runId);
      if (!run) {
        return undefined;
      }
      const units = this.db
        .prepare<[string], { unit: string }>('SELECT unit FROM procedure_run_units WHERE run_id = ? ORDER BY ordinal')
        .all(runId)
        .map((r) => r.unit);
      const steps = this.db
        .prepare<[string], StepRow>('SELECT * FROM procedure_step_results WHERE run_id = ? ORDER BY seq')
        .all(runId);
      const evidence = this.db
        .prepare<[string], EvidenceRow>('SELECT * FROM procedure_evidence WHERE run_id = ? ORDER BY seq, ordinal')
        .all(runId);
      return { run, units, steps, evidence };
    });
  }

  /** Runs of a unit, newest first. */
  listForUnit(unit: string, limit: number): RunRow[] {
    return this.read(`listing the procedure runs of unit ${unit}`, () =>
      this.db
        .prepare<[string, number], RunRow>(
          `SELECT r.* FROM procedure_runs r JOIN procedure_run_units u ON u.run_id = r.id
           WHERE u.unit = ? ORDER BY r.started_at DESC, r.id LIMIT ?`,
        )
        .all(unit, limit),
    );
  }

  unitsOf(runId: string): string[] {
    return this.db
      .prepare<[string], { unit: string }>('SELECT unit FROM procedure_run_units WHERE run_id = ? ORDER BY ordinal')
      .all(runId)
      .map((r) => r.unit);
  }

  blob(sha256: string): Buffer | undefined {
    return this.read(
      'reading evidence',
      () =>
        this.db
          .prepare<[string], { content: Buffer }>('SELECT content FROM evidence_blobs WHERE sha256 = ?')
          .get(sha256)?.content,
    );
  }

  evidenceView(row: EvidenceRow): Evidence {
    const content = row.kind === 'note' ? this.blob(row.sha256) : undefined;
    return {
      kind: row.kind,
      name: row.name,
      mediaType: row.media_type,
      sha256: row.sha256,
      size: row.size,
      addedBy: row.added_by,
      addedAt: row.added_at,
      text: content ? content.toString('utf8') : null,
    };
  }

  private writeEvidence(runId: string, seq: number, ordinal: number, item: NewEvidence): void {
    const sha256 = sha256Hex(item.content);
    this.db
      .prepare('INSERT OR IGNORE INTO evidence_blobs (sha256, size, content) VALUES (?, ?, ?)')
      .run(sha256, item.content.length, item.content);
    this.db
      .prepare(
        `INSERT INTO procedure_evidence (run_id, seq, ordinal, kind, name, media_type, sha256, size, added_by, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        runId,
        seq,
        ordinal,
        item.kind,
        item.name,
        item.mediaType,
        sha256,
        item.content.length,
        item.addedBy,
        item.addedAt,
      );
  }

  private assertNotSigned(runId: string): RunRow {
    const run = this.db.prepare<[string], RunRow>('SELECT * FROM procedure_runs WHERE id = ?').get(runId);
    if (!run) {
      throw new AppError('NOT_FOUND', `procedure run ${runId} not found`, { details: { runId } });
    }
    if (run.signed_at !== null) {
      throw new AppError('CONFLICT', `run ${runId} is signed and can no longer change`, { details: { runId } });
    }
    return run;
  }

  private assertOpen(runId: string): void {
    const run = this.assertNotSigned(runId);
    if (run.state !== 'running') {
      throw new AppError('CONFLICT', `run ${runId} has ended (${run.state}) and can no longer change`, {
        details: { runId, state: run.state },
      });
    }
  }

  private write<T>(doing: string, work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw toDbError(error, this.file, doing);
    }
  }

  private read<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toDbError(error, this.file, doing);
    }
  }
}
