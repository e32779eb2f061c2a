import { randomUUID } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import { END_OF_PROCEDURE, type Procedure, type ProcedureStep } from '../../../../shared/domain/procedure';
import type { Thresholds } from '../../../../shared/domain/thresholds';
import type { Unit } from '../../../../shared/domain/unit';
import { AppError } from '../../../../shared/errors/AppError';
import type {
  AuditVerificationView,
  GateEvaluation,
  ParsedStepAnswer,
  ProcedureOrigin,
  RunSummary,
  RunView,
} from '../../../../shared/ipc/contracts/procedureRuns';
import type { EventHub } from '../../ports/EventHub';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';
import type { UnitConnector } from '../../units/unitConnection';
import type { OperationRegistry } from '../operations/registry';
import { validateAnswers, type AnswerSheet } from './answers';
import { runAudit, type RunAudit } from './runAudit';
import { resolveParams } from './params';
import { parseStoredProcedure, positionOf } from './runPosition';
import { RunStore, type StoredRun } from './runStore';
import { viewRun } from './runView';
import { buildSignedRecord, SIGNED_ACTION, verifyHistory } from './signedRecord';
import { answerStep } from './steps/answerStep';
import type { StepServices } from './steps/stepTurn';
import { UnitLinks } from './unitLinks';

/**
 * Where the run engine finds a procedure: the latest version, or the exact one asked for, with the file it comes
 * from (a run records which it followed).
 */
export type ProcedureSource = {
  get(id: string, version?: number): Promise<{ procedure: Procedure; origin: ProcedureOrigin }>;
};

export type RunServiceDeps = {
  db: BetterSqlite3.Database;
  history: HistoryRepository;
  connector: UnitConnector;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  thresholds: () => Thresholds;
  procedures: ProcedureSource;
  operations: OperationRegistry;
  appVersion: string;
};

export type StartInput = {
  procedureId: string;
  version?: number | undefined;
  units: string[];
  params: Record<string, string>;
  answers?: AnswerSheet | undefined;
};

/**
 * Runs procedures on units. A run advances only by explicit answers to its current step; every attempt is written to
 * the fleet history as it happens (an action is written as 'started' before it runs, so a crash or a lost link leaves
 * it visibly interrupted, to be confirmed again rather than re-run silently). Gates are read live on the unit just
 * before an action runs, and recorded with it. One step of a run at a time. Each kind of step has its executor in
 * steps/; this service finds the run, checks the answer is for its current step, and ends the run when it is done.
 */
export class RunService {
  private readonly store: RunStore;
  private readonly links: UnitLinks;
  private readonly audit: RunAudit;
  private readonly steps: StepServices;
  /** Runs with a step executing in this process: their 'started' attempts are live, not interrupted. */
  private readonly busy = new Set<string>();
  private readonly gatePreviews = new Map<string, GateEvaluation[]>();

  constructor(private readonly deps: RunServiceDeps) {
    this.store = new RunStore(deps.db);
    this.links = new UnitLinks(deps.connector, deps.clock, deps.thresholds);
    this.audit = runAudit(deps.history);
    this.steps = {
      store: this.store,
      links: this.links,
      clock: deps.clock,
      operations: deps.operations,
      audit: this.audit,
      requireUnit: (name) => this.requireUnit(name),
      gatePreviews: this.gatePreviews,
    };
  }

  // ── calls ────────────────────────────────────────────────────────────────────────────────────────────

  async start(input: StartInput, actor: string): Promise<RunView> {
    const { procedure, origin } = await this.deps.procedures.get(input.procedureId, input.version);
    const units = [...new Set(input.units)];
    units.forEach((name) => this.requireUnit(name));
    const params = resolveParams(procedure, input.params);
    if (input.answers !== undefined) {
      const problems = validateAnswers(procedure, units, input.answers);
      if (problems.length > 0) {
        throw new AppError(
          'VALIDATION',
          `the answers do not cover ${procedure.id} v${procedure.version}; nothing was run:\n  ${problems.join('\n  ')}`,
          { details: { problems } },
        );
      }
    }
    const runId = randomUUID();
    const startedAt = this.deps.clock.nowIso();
    this.store.createRun({
      id: runId,
      procedureId: procedure.id,
      procedureVersion: procedure.version,
      procedureJson: JSON.stringify(procedure),
      params,
      units,
      startedBy: actor,
      startedAt,
      origin,
    });
    this.audit(actor, units, 'procedure.run.start', 'ok', {
      runId,
      procedureId: procedure.id,
      procedureVersion: procedure.version,
      procedureSource: origin.source,
      procedureFile: origin.file,
      supersedesShipped: origin.supersedesShipped,
      params,
    });
    return this.changed(runId);
  }

  get(runId: string): RunView {
    return this.view(this.load(runId));
  }

  runsOf(unit: string, limit: number): RunSummary[] {
    return this.store.listForUnit(unit, limit).map((row) => {
      const procedure = parseStoredProcedure(row.procedure_json, row.id);
      return {
        runId: row.id,
        procedureId: row.procedure_id,
        procedureVersion: Number(row.procedure_version),
        title: procedure.title,
        units: this.store.unitsOf(row.id),
        state: row.state,
        startedBy: row.started_by,
        startedAt: row.started_at,
        endedAt: row.ended_at,
        signed: row.signed_at !== null,
      };
    });
  }

  async step(runId: string, stepId: string, answer: ParsedStepAnswer, actor: string): Promise<RunView> {
    if (this.busy.has(runId)) {
      throw new AppError('CONFLICT', `a step of run ${runId} is running; wait for it to finish`, {
        details: { runId },
      });
    }
    this.busy.add(runId);
    try {
      await this.answer(runId, stepId, answer, actor);
    } finally {
      this.busy.delete(runId);
    }
    this.finishIfDone(runId, actor);
    return this.changed(runId);
  }

  abort(runId: string, reason: string, actor: string): RunView {
    const stored = this.requireRunning(runId);
    this.store.endRun(runId, { state: 'aborted', reason, by: actor, at: this.deps.clock.nowIso() });
    this.audit(actor, stored.units, 'procedure.run.abort', 'ok', { runId, reason });
    return this.changed(runId);
  }

  escalate(runId: string, level: number, note: string | undefined, actor: string): RunView {
    const stored = this.requireRunning(runId);
    const position = positionOf(stored);
    const reached = Math.max(level, ...position.escalations);
    this.store.endRun(runId, { state: 'escalated', level: reached, by: actor, at: this.deps.clock.nowIso() });
    this.audit(actor, stored.units, 'procedure.run.escalate', 'ok', { runId, level: reached, note: note ?? null });
    return this.changed(runId);
  }

  /**
   * Signs an ended run: the record (items, answers, evidence hashes, time, units, procedure id and version, app
   * version) is hashed, the hash appended to the audit chain, and the run frozen, all in one transaction.
   */
  sign(runId: string, name: string, actor: string): RunView {
    const signedAt = this.deps.clock.nowIso();
    this.store.transaction(() => {
      const stored = this.load(runId);
      if (stored.run.signed_at !== null) {
        throw new AppError('CONFLICT', `run ${runId} was already signed by ${stored.run.signed_by ?? '?'}`);
      }
      if (stored.run.state === 'running') {
        throw new AppError('PRECONDITION_FAILED', `run ${runId} is still running: finish, abort or escalate it first`);
      }
      const { recordHash, stepHashes } = buildSignedRecord(stored, {
        signedBy: name,
        signedAt,
        appVersion: this.deps.appVersion,
      });
      const receipt = this.deps.history.appendAudit({
        actor,
        unit: stored.units[0] ?? null,
        action: SIGNED_ACTION,
        outcome: 'ok',
        details: {
          runId,
          signedBy: name,
          procedureId: stored.run.procedure_id,
          procedureVersion: Number(stored.run.procedure_version),
          units: stored.units,
          state: stored.run.state,
          recordHash,
          stepHashes,
          appVersion: this.deps.appVersion,
        },
      });
      this.store.markSigned(runId, { by: name, at: signedAt, recordHash, auditSeq: receipt.seq });
    });
    this.deps.history.syncAuditHead();
    return this.changed(runId);
  }

  verify(): AuditVerificationView {
    return verifyHistory(this.deps.db, this.deps.history.verifyAudit());
  }

  /** The stored run, for reports. */
  stored(runId: string): StoredRun {
    return this.load(runId);
  }

  blob(sha256: string): Buffer | undefined {
    return this.store.blob(sha256);
  }

  async close(): Promise<void> {
    await this.links.close();
  }

  // ── answering a step ─────────────────────────────────────────────────────────────────────────────────

  private async answer(runId: string, stepId: string, answer: ParsedStepAnswer, actor: string): Promise<void> {
    const stored = this.requireRunning(runId);
    const live = stored.steps.find((s) => s.status === 'started');
    if (live) {
      // Left 'started' by load() only when its executor is alive: another window is running it now.
      throw new AppError(
        'CONFLICT',
        `step "${live.step_id}" of run ${runId} is running (in another window or process); wait for it to finish`,
        { details: { runId, stepId: live.step_id } },
      );
    }
    const procedure = parseStoredProcedure(stored.run.procedure_json, runId);
    const position = positionOf(stored);
    if (position.cursor !== stepId) {
      throw new AppError(
        'CONFLICT',
        position.cursor === END_OF_PROCEDURE
          ? `run ${runId} has no step left to answer`
          : `run ${runId} is at step "${position.cursor}", not "${stepId}"`,
        { details: { runId, current: position.cursor } },
      );
    }
    await answerStep(this.steps, {
      runId,
      step: procedure.steps.find((s) => s.id === stepId) as ProcedureStep,
      answer,
      units: stored.units,
      position,
      params: JSON.parse(stored.run.params_json) as Record<string, string>,
      actor,
    });
  }

  private finishIfDone(runId: string, actor: string): void {
    const stored = this.load(runId);
    if (stored.run.state !== 'running') {
      return;
    }
    const position = positionOf(stored);
    if (position.cursor !== END_OF_PROCEDURE) {
      return;
    }
    const at = this.deps.clock.nowIso();
    if (position.escalations.length > 0) {
      const level = Math.max(...position.escalations);
      this.store.endRun(runId, { state: 'escalated', level, by: actor, at });
      this.audit(actor, stored.units, 'procedure.run.end', 'ok', { runId, state: 'escalated', level });
    } else {
      this.store.endRun(runId, { state: 'completed', by: actor, at });
      this.audit(actor, stored.units, 'procedure.run.end', 'ok', { runId, state: 'completed' });
    }
  }

  private view(stored: StoredRun): RunView {
    return viewRun(stored, {
      store: this.store,
      getUnit: (name) => this.deps.history.getUnit(name),
      operations: this.deps.operations,
      gatePreviews: this.gatePreviews,
    });
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────

  /** Reads a run; an action left 'started' by a crash or a closed app (not running here now) becomes interrupted. */
  private load(runId: string): StoredRun {
    const stored = this.store.get(runId);
    if (!stored) {
      throw new AppError('NOT_FOUND', `procedure run ${runId} not found`, { details: { runId } });
    }
    if (!this.busy.has(runId) && stored.run.signed_at === null && stored.steps.some((s) => s.status === 'started')) {
      // Only attempts whose executor is gone are marked; one another window is running stays as it is.
      if (this.store.markInterrupted(runId, this.deps.clock.nowIso()) > 0) {
        return this.store.get(runId) ?? stored;
      }
    }
    return stored;
  }

  private requireRunning(runId: string): StoredRun {
    const stored = this.load(runId);
    if (stored.run.state !== 'running') {
      throw new AppError('CONFLICT', `run ${runId} has ended (${stored.run.state})`, {
        details: { runId, state: stored.run.state },
      });
    }
    return stored;
  }

  private requireUnit(name: string): Unit {
    const unit = this.deps.history.getUnit(name);
    if (!unit) {
      throw new AppError('NOT_FOUND', `unit ${name} not found (see: ohtw units list)`, { details: { unit: name } });
    }
    return unit;
  }

  private changed(runId: string): RunView {
    const view = this.get(runId);
    this.deps.events.emit('procedures.runChanged', {
      runId,
      units: view.units,
      state: view.state,
      currentStepId: view.current?.stepId ?? null,
    });
    return view;
  }
}
