import { randomUUID } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import {
  END_OF_PROCEDURE,
  NEVER_OVERRIDABLE_GATES,
  parseProcedure,
  type ActionStep,
  type CheckStep,
  type Procedure,
  type ProcedureStep,
} from '../../../../shared/domain/procedure';
import type { Said } from '../../../../shared/domain/said';
import type { Thresholds } from '../../../../shared/domain/thresholds';
import type { Unit } from '../../../../shared/domain/unit';
import { said, say } from '../../../../shared/domain/words';
import { AppError, isAppError, type JsonValue } from '../../../../shared/errors/AppError';
import type {
  AttemptOutcome,
  AuditVerificationView,
  CurrentStep,
  GateEvaluation,
  GateOverride,
  ParsedStepAnswer,
  Plan,
  ProcedureOrigin,
  RunSummary,
  RunView,
} from '../../../../shared/ipc/contracts/procedureRuns';
import type { EventHub } from '../../api/CoreApi';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';
import type { Connection } from '../../transport/transport';
import type { UnitConnector } from '../../units/unitConnection';
import { evaluateGates } from '../gates/gates';
import type { OperationRegistry } from '../operations/registry';
import { validateAnswers, type AnswerSheet } from './answers';
import { displayLine } from './commands';
import {
  actionPlan,
  checkPlan,
  clip,
  emptyOutcome,
  planSummary,
  runAction,
  runCheck,
  unavailable,
  type ExecuteContext,
} from './execute';
import { replay, type FlowAttempt, type FlowPosition } from './flow';
import { resolveParams } from './params';
import { executorStamp, RunStore, runLifecycle, type NewEvidence, type StoredRun } from './runStore';
import { buildSignedRecord, SIGNED_ACTION, verifyHistory } from './signedRecord';

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

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Errors after which the connection is dropped and made again on the next step. */
const LINK_ERRORS = new Set(['TRANSPORT_CLOSED', 'TRANSPORT_TIMEOUT', 'CONNECT_FAILED', 'CANCELLED']);

/**
 * Runs procedures on units. A run advances only by explicit answers to its current step; every attempt is written to
 * the fleet history as it happens (an action is written as 'started' before it runs, so a crash or a lost link leaves
 * it visibly interrupted, to be confirmed again rather than re-run silently). Gates are read live on the unit just
 * before an action runs, and recorded with it. One step of a run at a time.
 */
export class RunService {
  private readonly store: RunStore;
  private readonly connections = new Map<string, Promise<Connection>>();
  /** Runs with a step executing in this process: their 'started' attempts are live, not interrupted. */
  private readonly busy = new Set<string>();
  private readonly gatePreviews = new Map<string, GateEvaluation[]>();

  constructor(private readonly deps: RunServiceDeps) {
    this.store = new RunStore(deps.db);
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
    const position = this.position(stored);
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
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map(async (c) => (await c.catch(() => null))?.close()));
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
    const position = this.position(stored);
    if (position.cursor !== stepId) {
      throw new AppError(
        'CONFLICT',
        position.cursor === END_OF_PROCEDURE
          ? `run ${runId} has no step left to answer`
          : `run ${runId} is at step "${position.cursor}", not "${stepId}"`,
        { details: { runId, current: position.cursor } },
      );
    }
    const step = procedure.steps.find((s) => s.id === stepId) as ProcedureStep;
    const params = JSON.parse(stored.run.params_json) as Record<string, string>;
    const now = () => this.deps.clock.nowIso();
    const record = (outcome: AttemptOutcome, status: 'done' | 'failed' | 'skipped', evidence: NewEvidence[] = []) =>
      this.store.addAttempt(runId, {
        stepId,
        unit: null,
        status,
        actor,
        startedAt: now(),
        endedAt: now(),
        outcome,
        evidence,
      });

    if (answer.kind === 'skip') {
      if (step.kind === 'escalate') {
        throw new AppError('VALIDATION', `step "${stepId}" escalates: it cannot be skipped (abort the run instead)`);
      }
      record({ ...emptyOutcome(), ...said('step.skipped', { reason: { raw: answer.reason } }) }, 'skipped');
      this.audit(actor, stored.units, 'procedure.step.skip', 'ok', { runId, stepId, reason: answer.reason });
      return;
    }
    switch (step.kind) {
      case 'info':
        expectKind(answer, 'ack', step);
        record({ ...emptyOutcome(), confirmed: true, ...said('step.read') }, 'done');
        return;
      case 'check':
        expectKind(answer, 'run', step);
        await this.runCheckStep(runId, step, stored.units, position, params, actor);
        return;
      case 'action':
        if (answer.kind === 'gates') {
          await this.previewGates(runId, step, stored.units);
          return;
        }
        if (answer.kind !== 'confirm') {
          throw wrongAnswer(answer.kind, step, 'confirm (or gates to read them first)');
        }
        await this.runActionStep(runId, step, stored.units, position, params, answer, actor);
        return;
      case 'manual': {
        if (answer.kind !== 'manual') {
          throw wrongAnswer(answer.kind, step, 'manual');
        }
        const note = answer.note?.trim() ?? '';
        if (step.note === 'required' && note === '') {
          throw new AppError('VALIDATION', `step "${stepId}" needs a note`);
        }
        if (step.note === 'none' && note !== '') {
          throw new AppError('VALIDATION', `step "${stepId}" takes no note`);
        }
        this.checkAttachments(stepId, step.attachment, answer.attachments.length);
        record(
          {
            ...emptyOutcome(),
            confirmed: true,
            ...(note === '' ? said('step.confirmed') : said('step.confirmedNote', { note: { raw: note } })),
          },
          'done',
          this.evidenceOf(note, answer.attachments, actor),
        );
        return;
      }
      case 'decision': {
        if (answer.kind !== 'decision') {
          throw wrongAnswer(answer.kind, step, 'decision');
        }
        const option = step.options.find((o) => o.id === answer.option);
        if (!option) {
          throw new AppError(
            'VALIDATION',
            `"${answer.option}" is not an option of step "${stepId}" (${step.options.map((o) => o.id).join(', ')})`,
          );
        }
        record(
          { ...emptyOutcome(), choice: option.id, ...said('step.chose', { option: { text: option.label } }) },
          'done',
        );
        return;
      }
      case 'checklist': {
        if (answer.kind !== 'checklist') {
          throw wrongAnswer(answer.kind, step, 'checklist');
        }
        const given = new Map(answer.items.map((item) => [item.id, item]));
        const problems = [
          ...step.items.flatMap((item) => {
            const found = given.get(item.id);
            if (!found) {
              return [`item "${item.id}" has no answer`];
            }
            return item.note === 'required' && !found.note?.trim() ? [`item "${item.id}" needs a note`] : [];
          }),
          ...[...given.keys()].filter((id) => !step.items.some((i) => i.id === id)).map((id) => `no item "${id}"`),
        ];
        if (step.items.some((i) => i.attachment === 'required') && answer.attachments.length === 0) {
          problems.push('an item needs an attachment');
        }
        if (problems.length > 0) {
          throw new AppError('VALIDATION', `checklist "${stepId}": ${problems.join('; ')}`);
        }
        const items = step.items.map((item) => {
          const found = given.get(item.id) as { answer: 'done' | 'not-done' | 'n/a'; note?: string | undefined };
          return { id: item.id, answer: found.answer, note: found.note?.trim() || null };
        });
        const open = items.filter((i) => i.answer === 'not-done').length;
        record(
          {
            ...emptyOutcome(),
            items,
            confirmed: true,
            ...(open === 0 ? said('step.allAnswered') : said('step.itemsOpen', { count: open })),
          },
          'done',
          this.evidenceOf(answer.note?.trim() ?? '', answer.attachments, actor),
        );
        return;
      }
      case 'escalate': {
        expectKind(answer, 'escalate', step);
        const note = answer.kind === 'escalate' ? (answer.note?.trim() ?? '') : '';
        record(
          {
            ...emptyOutcome(),
            confirmed: true,
            choice: `level-${step.level}`,
            ...said('step.escalated', {
              level: step.level,
              note: note ? say('step.withNote', { note: { raw: note } }) : '',
            }),
          },
          'done',
          note ? this.evidenceOf(note, [], actor) : [],
        );
        this.audit(actor, stored.units, 'procedure.run.escalate', 'ok', { runId, stepId, level: step.level });
        return;
      }
    }
  }

  private async runCheckStep(
    runId: string,
    step: CheckStep,
    units: readonly string[],
    position: FlowPosition,
    params: Record<string, string>,
    actor: string,
  ): Promise<void> {
    for (const name of units.filter((u) => !position.doneUnits.has(u))) {
      const unit = this.requireUnit(name);
      const startedAt = this.deps.clock.nowIso();
      let status: 'done' | 'failed';
      let outcome: AttemptOutcome;
      try {
        const context = await this.context(unit, params);
        const result = await runCheck(step, context);
        status = result.passed ? 'done' : 'failed';
        outcome = result.outcome;
      } catch (error) {
        this.dropConnectionOn(name, error);
        status = 'failed';
        outcome = {
          ...emptyOutcome(),
          plan: safePlan(() => checkPlan(step, unit, params)),
          ...said('step.checkCouldNotRun', { error: { raw: errorText(error) } }),
        };
      }
      this.store.addAttempt(runId, {
        stepId: step.id,
        unit: name,
        status,
        actor,
        startedAt,
        endedAt: this.deps.clock.nowIso(),
        outcome,
      });
    }
  }

  private async previewGates(runId: string, step: ActionStep, units: readonly string[]): Promise<void> {
    const evaluations: GateEvaluation[] = [];
    for (const name of units) {
      evaluations.push(...(await this.readGates(step, this.requireUnit(name))));
    }
    this.gatePreviews.set(`${runId}/${step.id}`, evaluations);
  }

  private async runActionStep(
    runId: string,
    step: ActionStep,
    units: readonly string[],
    position: FlowPosition,
    params: Record<string, string>,
    answer: Extract<ParsedStepAnswer, { kind: 'confirm' }>,
    actor: string,
  ): Promise<void> {
    this.gatePreviews.delete(`${runId}/${step.id}`);
    if (step.destructive && answer.typedConfirmation !== units.join(', ')) {
      throw new AppError(
        'CONFIRMATION_REQUIRED',
        `step "${step.id}" cannot be undone: type the unit's name (${units.join(', ')}) to confirm it`,
        { details: { stepId: step.id } },
      );
    }
    const overrides = checkOverrides(step, answer.overrides);
    for (const name of units.filter((u) => !position.doneUnits.has(u))) {
      const unit = this.requireUnit(name);
      const plan = actionPlan(step, unit, params, this.deps.operations);
      const base: AttemptOutcome = {
        ...emptyOutcome(),
        plan,
        confirmed: true,
        typedConfirmation: answer.typedConfirmation ?? null,
        overrides,
      };
      if (!plan.available) {
        this.store.addAttempt(runId, {
          stepId: step.id,
          unit: name,
          status: 'failed',
          actor,
          startedAt: this.deps.clock.nowIso(),
          endedAt: this.deps.clock.nowIso(),
          outcome: { ...base, ...unavailable(plan.unavailableReason, 'step.notAvailable') },
        });
        return;
      }
      // The gates, read live now, just before the action; recorded with it whatever they say.
      const gates = await this.readGates(step, unit);
      const overridden = new Set(overrides.map((o) => o.gate));
      const blocking = gates.filter((g) => g.status === 'red' && !overridden.has(g.gate));
      if (blocking.length > 0) {
        const { message, say: blockedSay } = said('step.blocked', {
          gates: {
            list: blocking.map((g) => say('step.gateRed', { gate: g.gate, reading: g.say ?? { raw: g.reading } })),
            by: '; ',
          },
        });
        this.store.addAttempt(runId, {
          stepId: step.id,
          unit: name,
          status: 'blocked',
          actor,
          startedAt: this.deps.clock.nowIso(),
          endedAt: this.deps.clock.nowIso(),
          outcome: { ...base, gates, message, say: blockedSay },
        });
        this.audit(actor, [name], 'procedure.step.action', 'refused', {
          runId,
          stepId: step.id,
          plan: plan.summary,
          ...(plan.summarySay ? { planSay: JSON.stringify(plan.summarySay) } : {}),
          gates: gates.map((g) => `${g.gate}: ${g.status}`),
          reason: message,
        });
        return;
      }
      const usedOverrides = overrides.filter((o) => gates.some((g) => g.gate === o.gate && g.status === 'red'));
      const seq = this.store.addAttempt(runId, {
        stepId: step.id,
        unit: name,
        status: 'started',
        actor,
        startedAt: this.deps.clock.nowIso(),
        endedAt: null,
        // The executor stamp lets another window tell a live action from one a crash left behind.
        outcome: {
          ...base,
          gates,
          overrides: usedOverrides,
          ...said('step.running'),
          ...{ executor: executorStamp() },
        },
      });
      let status: 'done' | 'failed' | 'interrupted';
      let result: { message: string; say?: Said; output: string; exitCode: number | null };
      try {
        const context = await this.context(unit, params);
        const done = await runAction(step, context, this.deps.operations, actor);
        status = done.ok ? 'done' : 'failed';
        result = done;
      } catch (error) {
        const lost = isAppError(error) && LINK_ERRORS.has(error.code);
        this.dropConnectionOn(name, error);
        status = lost ? 'interrupted' : 'failed';
        result = {
          ...said(lost ? 'step.interrupted' : 'step.failed', { error: { raw: errorText(error) } }),
          output: '',
          exitCode: null,
        };
      }
      this.store.finishAttempt(runId, seq, status, this.deps.clock.nowIso(), {
        ...base,
        gates,
        overrides: usedOverrides,
        message: result.message,
        ...(result.say ? { say: result.say } : {}),
        output: clip(result.output),
        exitCode: result.exitCode,
      });
      this.audit(actor, [name], 'procedure.step.action', status === 'done' ? 'ok' : 'failed', {
        runId,
        stepId: step.id,
        plan: plan.summary,
        ...(plan.summarySay ? { planSay: JSON.stringify(plan.summarySay) } : {}),
        commands: plan.commands.map(displayLine),
        gates: gates.map((g) => `${g.gate}: ${g.status}`),
        overrides: usedOverrides.map((o) => ({ gate: o.gate, by: o.by, reason: o.reason })),
        status,
        message: result.message,
      });
      if (status !== 'done') {
        return;
      }
    }
  }

  private async readGates(step: ActionStep, unit: Unit): Promise<GateEvaluation[]> {
    const gates = step.gates.map((g) => g.gate);
    if (gates.length === 0) {
      return [];
    }
    let channel: Connection | null = null;
    let connectError: string | undefined;
    try {
      channel = await this.connection(unit);
    } catch (error) {
      connectError = errorText(error);
    }
    const evaluations = await evaluateGates(gates, { unit, channel, clock: this.deps.clock, connectError });
    if (evaluations.some((e) => /SSH connection (was lost|is closed)/.test(e.reading))) {
      this.connections.delete(unit.name);
    }
    return evaluations;
  }

  private finishIfDone(runId: string, actor: string): void {
    const stored = this.load(runId);
    if (stored.run.state !== 'running') {
      return;
    }
    const position = this.position(stored);
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

  // ── views ────────────────────────────────────────────────────────────────────────────────────────────

  private view(stored: StoredRun): RunView {
    const { run } = stored;
    const procedure = parseStoredProcedure(run.procedure_json, run.id);
    const position = this.position(stored);
    const attempts = stored.steps.map((row) => ({
      seq: row.seq,
      stepId: row.step_id,
      unit: row.unit,
      status: row.status,
      actor: row.actor,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      outcome: JSON.parse(row.result_json) as AttemptOutcome,
      evidence: stored.evidence.filter((e) => e.seq === row.seq).map((e) => this.store.evidenceView(e)),
    }));
    const latest = new Map(attempts.map((a) => [a.stepId, a.status]));
    const running = run.state === 'running' && position.cursor !== END_OF_PROCEDURE;
    const steps = procedure.steps.map((step) => ({
      stepId: step.id,
      kind: step.kind,
      title: step.title,
      status:
        running && step.id === position.cursor ? ('current' as const) : mapStatus(latest.get(step.id) ?? 'pending'),
    }));
    const params = JSON.parse(run.params_json) as Record<string, string>;
    return {
      runId: run.id,
      procedure: {
        id: procedure.id,
        version: procedure.version,
        title: procedure.title,
        category: procedure.category,
        origin: run.procedure_origin_json === null ? null : (JSON.parse(run.procedure_origin_json) as ProcedureOrigin),
      },
      units: stored.units,
      params,
      ...runLifecycle(run),
      signature:
        run.signed_at !== null && run.record_hash !== null
          ? {
              signedBy: run.signed_by ?? '',
              signedAt: run.signed_at,
              recordHash: run.record_hash,
              auditSeq: run.audit_seq,
            }
          : null,
      steps,
      current: running ? this.currentStep(run.id, procedure, position, stored.units, params) : null,
      attempts,
    };
  }

  private currentStep(
    runId: string,
    procedure: Procedure,
    position: FlowPosition,
    units: readonly string[],
    params: Record<string, string>,
  ): CurrentStep {
    const step = procedure.steps.find((s) => s.id === position.cursor) as ProcedureStep;
    const last = position.visit[position.visit.length - 1];
    const plans: { unit: string; plan: Plan }[] = [];
    if (step.kind === 'action' || step.kind === 'check') {
      for (const name of units.filter((u) => !position.doneUnits.has(u))) {
        const unit = this.deps.history.getUnit(name);
        if (unit) {
          const plan = safePlan(() =>
            step.kind === 'action'
              ? actionPlan(step, unit, params, this.deps.operations)
              : checkPlan(step, unit, params),
          );
          plans.push({ unit: name, plan });
        }
      }
    }
    return {
      stepId: step.id,
      kind: step.kind,
      title: step.title,
      body:
        step.kind === 'decision'
          ? step.question
          : step.kind === 'manual'
            ? (step.confirm ?? step.detail ?? {})
            : (step.detail ?? {}),
      plans,
      gates: step.kind === 'action' ? step.gates.map((g) => g.gate) : [],
      overrideAllowed:
        step.kind === 'action' && step.gates.some((g) => g.overridable && !NEVER_OVERRIDABLE_GATES.includes(g.gate)),
      destructive: step.kind === 'action' && step.destructive,
      interrupted: position.visit.some((a) => a.status === 'interrupted') && last?.status !== 'done',
      blocked: last?.status === 'blocked',
      options: step.kind === 'decision' ? step.options.map((o) => ({ id: o.id, label: o.label })) : [],
      items:
        step.kind === 'checklist'
          ? step.items.map((i) => ({
              id: i.id,
              text: i.text,
              required: i.required,
              noteRequired: i.note === 'required',
              attachmentRequired: i.attachment === 'required',
            }))
          : [],
      escalationLevel: step.kind === 'escalate' ? step.level : null,
      noteRequired: step.kind === 'manual' && step.note === 'required',
      attachmentAllowed: (step.kind === 'manual' && step.attachment !== 'none') || step.kind === 'checklist',
      attachmentRequired: step.kind === 'manual' && step.attachment === 'required',
      gatePreview: this.gatePreviews.get(`${runId}/${step.id}`) ?? [],
    };
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

  private position(stored: StoredRun): FlowPosition {
    const procedure = parseStoredProcedure(stored.run.procedure_json, stored.run.id);
    const attempts: FlowAttempt[] = stored.steps.map((row) => {
      const outcome = JSON.parse(row.result_json) as AttemptOutcome;
      return {
        seq: row.seq,
        stepId: row.step_id,
        unit: row.unit,
        status: row.status,
        passed: outcome.passed,
        choice: outcome.choice,
      };
    });
    return replay(procedure, stored.units, attempts);
  }

  private requireUnit(name: string): Unit {
    const unit = this.deps.history.getUnit(name);
    if (!unit) {
      throw new AppError('NOT_FOUND', `unit ${name} not found (see: ohtw units list)`, { details: { unit: name } });
    }
    return unit;
  }

  private async context(unit: Unit, params: Record<string, string>): Promise<ExecuteContext> {
    return {
      unit,
      channel: await this.connection(unit),
      params,
      clock: this.deps.clock,
      thresholds: this.deps.thresholds(),
    };
  }

  /** One connection per unit, made on first use and made again after it was lost. */
  private async connection(unit: Unit): Promise<Connection> {
    let pending = this.connections.get(unit.name);
    if (!pending) {
      pending = this.deps.connector.connect(unit);
      this.connections.set(unit.name, pending);
      pending.catch(() => this.connections.delete(unit.name));
    }
    return pending;
  }

  private dropConnectionOn(unit: string, error: unknown): void {
    if (isAppError(error) && LINK_ERRORS.has(error.code)) {
      const pending = this.connections.get(unit);
      this.connections.delete(unit);
      void pending?.then((c) => c.close()).catch(() => undefined);
    }
  }

  private checkAttachments(stepId: string, rule: 'none' | 'optional' | 'required', count: number): void {
    if (rule === 'required' && count === 0) {
      throw new AppError('VALIDATION', `step "${stepId}" needs an attachment (a photo or a file)`);
    }
    if (rule === 'none' && count > 0) {
      throw new AppError('VALIDATION', `step "${stepId}" takes no attachment`);
    }
  }

  private evidenceOf(
    note: string,
    attachments: readonly { name: string; mediaType: string; contentBase64: string }[],
    actor: string,
  ): NewEvidence[] {
    const addedAt = this.deps.clock.nowIso();
    const items: NewEvidence[] = [];
    if (note !== '') {
      items.push({
        kind: 'note',
        name: 'note',
        mediaType: 'text/plain; charset=utf-8',
        content: Buffer.from(note, 'utf8'),
        addedBy: actor,
        addedAt,
      });
    }
    for (const attachment of attachments) {
      const content = Buffer.from(attachment.contentBase64, 'base64');
      if (content.length > MAX_ATTACHMENT_BYTES) {
        throw new AppError('VALIDATION', `attachment ${attachment.name} is larger than 10 MiB`);
      }
      items.push({
        kind: 'attachment',
        name: attachment.name,
        mediaType: attachment.mediaType,
        content,
        addedBy: actor,
        addedAt,
      });
    }
    return items;
  }

  private audit(
    actor: string,
    units: readonly string[],
    action: string,
    outcome: 'ok' | 'failed' | 'refused',
    details: Record<string, JsonValue>,
  ): void {
    this.deps.history.appendAudit({
      actor,
      unit: units[0] ?? null,
      action,
      outcome,
      details: units.length > 1 ? { ...details, units: [...units] } : details,
    });
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

function parseStoredProcedure(json: string, runId: string): Procedure {
  const parsed = parseProcedure(JSON.parse(json));
  if (!parsed.ok) {
    throw new AppError(
      'DB',
      `run ${runId}: the procedure it follows is unreadable (${parsed.problems[0]?.message ?? ''})`,
    );
  }
  return parsed.procedure;
}

function mapStatus(status: string): RunView['steps'][number]['status'] {
  switch (status) {
    case 'started':
      return 'interrupted';
    case 'done':
    case 'failed':
    case 'blocked':
    case 'interrupted':
    case 'skipped':
      return status;
    default:
      return 'pending';
  }
}

function expectKind(answer: ParsedStepAnswer, kind: ParsedStepAnswer['kind'], step: ProcedureStep): void {
  if (answer.kind !== kind) {
    throw wrongAnswer(answer.kind, step, kind);
  }
}

function wrongAnswer(given: string, step: ProcedureStep, wanted: string): AppError {
  return new AppError(
    'VALIDATION',
    `step "${step.id}" is ${step.kind === 'info' ? 'an' : 'a'} ${step.kind} step: answer ${wanted}, not ${given}`,
    { details: { stepId: step.id, kind: step.kind } },
  );
}

/**
 * Overrides are honoured only for gates the procedure lets be overridden, and each names who and why. The vehicle
 * standing still, the E-Stop input and the firmware stopped before the bus is taken are never overridden, whatever
 * the procedure (or a run stored by an older build) says.
 */
function checkOverrides(step: ActionStep, overrides: readonly GateOverride[]): GateOverride[] {
  for (const override of overrides) {
    if (NEVER_OVERRIDABLE_GATES.includes(override.gate)) {
      throw new AppError('VALIDATION', `the gate ${override.gate} can never be overridden`, {
        details: { stepId: step.id, gate: override.gate },
      });
    }
    const gate = step.gates.find((g) => g.gate === override.gate);
    if (!gate) {
      throw new AppError('VALIDATION', `step "${step.id}" has no gate ${override.gate} to override`);
    }
    if (!gate.overridable) {
      throw new AppError('VALIDATION', `the gate ${override.gate} of step "${step.id}" cannot be overridden`, {
        details: { stepId: step.id, gate: override.gate },
      });
    }
  }
  return overrides.map((o) => ({ gate: o.gate, by: o.by.trim(), reason: o.reason.trim() }));
}

function safePlan(make: () => Plan): Plan {
  try {
    return make();
  } catch (error) {
    return {
      ...planSummary(say('plan.cannot')),
      commands: [],
      mutating: true,
      available: false,
      unavailableReason: errorText(error),
    };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
