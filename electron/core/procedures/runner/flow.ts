import { defaultNext, END_OF_PROCEDURE, type Procedure, type ProcedureStep } from '../../../../shared/domain/procedure';
import type { AttemptStatus } from '../../../../shared/ipc/contracts/procedureRuns';

/** What the flow needs of a recorded attempt. */
export type FlowAttempt = {
  seq: number;
  stepId: string;
  unit: string | null;
  status: AttemptStatus;
  passed: boolean | null;
  choice: string | null;
};

export type FlowPosition = {
  /** The step the run waits on, or END_OF_PROCEDURE. */
  cursor: string;
  /** The attempts made at the cursor step since the run last arrived there. */
  visit: FlowAttempt[];
  /** Units whose attempt at the cursor step is done in this visit (check and action steps). */
  doneUnits: Set<string>;
  /** Escalation levels reached by escalate steps that were answered. */
  escalations: number[];
};

/** Steps that run on every unit of the run, one attempt per unit. */
export function runsPerUnit(step: ProcedureStep): boolean {
  return step.kind === 'check' || step.kind === 'action';
}

/**
 * Replays the recorded attempts over the procedure to find where the run stands. Replaying (rather than looking at
 * each step's last attempt) keeps loops right: a decision that leads back to an earlier step makes it current again.
 */
export function replay(procedure: Procedure, units: readonly string[], attempts: readonly FlowAttempt[]): FlowPosition {
  const index = new Map(procedure.steps.map((step, i) => [step.id, i]));
  let cursor = procedure.steps[0]?.id ?? END_OF_PROCEDURE;
  let visit: FlowAttempt[] = [];
  const escalations: number[] = [];
  for (const attempt of [...attempts].sort((a, b) => a.seq - b.seq)) {
    if (cursor === END_OF_PROCEDURE) {
      break;
    }
    if (attempt.stepId !== cursor) {
      continue;
    }
    visit.push(attempt);
    const at = index.get(cursor) ?? 0;
    const step = procedure.steps[at] as ProcedureStep;
    const next = resolve(procedure, at, step, units, visit);
    if (next !== undefined) {
      if (step.kind === 'escalate' && !visit.some((a) => a.status === 'skipped')) {
        escalations.push(step.level);
      }
      cursor = next;
      visit = [];
    }
  }
  return { cursor, visit, doneUnits: doneUnitsOf(visit), escalations };
}

function doneUnitsOf(visit: readonly FlowAttempt[]): Set<string> {
  const latest = new Map<string, FlowAttempt>();
  for (const attempt of visit) {
    if (attempt.unit !== null) {
      latest.set(attempt.unit, attempt);
    }
  }
  return new Set([...latest].filter(([, a]) => a.status === 'done').map(([unit]) => unit));
}

/** Where the run goes after this visit, or undefined while the step is not finished. */
function resolve(
  procedure: Procedure,
  at: number,
  step: ProcedureStep,
  units: readonly string[],
  visit: readonly FlowAttempt[],
): string | undefined {
  const last = visit[visit.length - 1];
  if (last?.status === 'skipped') {
    return defaultNext(procedure, at);
  }
  if (runsPerUnit(step)) {
    const latest = new Map<string, FlowAttempt>();
    for (const attempt of visit) {
      if (attempt.unit !== null) {
        latest.set(attempt.unit, attempt);
      }
    }
    const judged = units.map((unit) => latest.get(unit));
    if (judged.every((a) => a?.status === 'done')) {
      return defaultNext(procedure, at);
    }
    // A check whose result is not the expected one goes to its onFail branch once every unit has been judged.
    if (
      step.kind === 'check' &&
      step.onFail !== undefined &&
      judged.every((a) => a?.status === 'done' || (a?.status === 'failed' && a.passed === false))
    ) {
      return step.onFail;
    }
    return undefined;
  }
  if (last?.status !== 'done') {
    return undefined;
  }
  if (step.kind === 'decision') {
    return step.options.find((o) => o.id === last.choice)?.next ?? defaultNext(procedure, at);
  }
  return defaultNext(procedure, at);
}
