import type { ProcedureStep } from '../../../../../shared/domain/procedure';
import type { Unit } from '../../../../../shared/domain/unit';
import { AppError } from '../../../../../shared/errors/AppError';
import type {
  AttemptOutcome,
  GateEvaluation,
  ParsedStepAnswer,
} from '../../../../../shared/ipc/contracts/procedureRuns';
import type { Clock } from '../../../ports/Clock';
import type { OperationRegistry } from '../../operations/registry';
import type { FlowPosition } from '../flow';
import type { RunAudit } from '../runAudit';
import type { NewEvidence, RunStore } from '../runStore';
import type { UnitLinks } from '../unitLinks';

/** What every step executor works with: the run's storage, the links to units, the clock and the audit. */
export type StepServices = {
  store: RunStore;
  links: UnitLinks;
  clock: Clock;
  operations: OperationRegistry;
  audit: RunAudit;
  requireUnit: (name: string) => Unit;
  /** Gates read for a step before it is confirmed, shown beside it until it runs; keyed by run and step. */
  gatePreviews: Map<string, GateEvaluation[]>;
};

/** The key under which the gates read for a step before it is confirmed are kept. */
export function gatePreviewKey(runId: string, stepId: string): string {
  return `${runId}/${stepId}`;
}

/** One answer to the current step of a run: the step's executor reads this and records what it did. */
export type StepTurn<Step extends ProcedureStep = ProcedureStep> = {
  runId: string;
  step: Step;
  answer: ParsedStepAnswer;
  units: readonly string[];
  position: FlowPosition;
  params: Record<string, string>;
  actor: string;
};

/** Records an attempt that concerns the run as a whole (no unit), begun and ended now. */
export function recordForRun(
  services: StepServices,
  turn: StepTurn,
  outcome: AttemptOutcome,
  status: 'done' | 'failed' | 'skipped',
  evidence: NewEvidence[] = [],
): void {
  const now = services.clock.nowIso();
  services.store.addAttempt(turn.runId, {
    stepId: turn.step.id,
    unit: null,
    status,
    actor: turn.actor,
    startedAt: now,
    endedAt: services.clock.nowIso(),
    outcome,
    evidence,
  });
}

/** The units of the run this step has still to run on. */
export function unitsLeft(turn: StepTurn): string[] {
  return turn.units.filter((u) => !turn.position.doneUnits.has(u));
}

/** Narrows the answer to the one kind the step takes, or says which it takes. */
export function expectAnswer<Kind extends ParsedStepAnswer['kind']>(
  answer: ParsedStepAnswer,
  kind: Kind,
  step: ProcedureStep,
  wanted: string = kind,
): Extract<ParsedStepAnswer, { kind: Kind }> {
  if (answer.kind !== kind) {
    throw wrongAnswer(answer.kind, step, wanted);
  }
  return answer as Extract<ParsedStepAnswer, { kind: Kind }>;
}

export function wrongAnswer(given: string, step: ProcedureStep, wanted: string): AppError {
  return new AppError(
    'VALIDATION',
    `step "${step.id}" is ${step.kind === 'info' ? 'an' : 'a'} ${step.kind} step: answer ${wanted}, not ${given}`,
    { details: { stepId: step.id, kind: step.kind } },
  );
}
