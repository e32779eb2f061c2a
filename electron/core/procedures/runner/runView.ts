import { END_OF_PROCEDURE, NEVER_OVERRIDABLE_GATES, type ProcedureStep } from '../../../../shared/domain/procedure';
import type { Unit } from '../../../../shared/domain/unit';
import { say } from '../../../../shared/domain/words';
import type {
  AttemptOutcome,
  CurrentStep,
  GateEvaluation,
  Plan,
  ProcedureOrigin,
  RunView,
} from '../../../../shared/ipc/contracts/procedureRuns';
import type { OperationRegistry } from '../operations/registry';
import { actionPlan, checkPlan, planSummary } from './execute';
import type { FlowPosition } from './flow';
import { parseStoredProcedure, positionOf } from './runPosition';
import { runLifecycle, type RunStore, type StoredRun } from './runStore';
import { gatePreviewKey } from './steps/stepTurn';
import { errorText } from './unitLinks';

export type RunViewSources = {
  store: Pick<RunStore, 'evidenceView'>;
  getUnit: (name: string) => Unit | undefined;
  operations: OperationRegistry;
  gatePreviews: ReadonlyMap<string, GateEvaluation[]>;
};

/** A stored run as the faces show it: its steps with their status, every attempt, and the step waiting for an answer. */
export function viewRun(stored: StoredRun, sources: RunViewSources): RunView {
  const { run } = stored;
  const procedure = parseStoredProcedure(run.procedure_json, run.id);
  const position = positionOf(stored);
  const attempts = stored.steps.map((row) => ({
    seq: row.seq,
    stepId: row.step_id,
    unit: row.unit,
    status: row.status,
    actor: row.actor,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: JSON.parse(row.result_json) as AttemptOutcome,
    evidence: stored.evidence.filter((e) => e.seq === row.seq).map((e) => sources.store.evidenceView(e)),
  }));
  const latest = new Map(attempts.map((a) => [a.stepId, a.status]));
  const running = run.state === 'running' && position.cursor !== END_OF_PROCEDURE;
  const steps = procedure.steps.map((step) => ({
    stepId: step.id,
    kind: step.kind,
    title: step.title,
    status: running && step.id === position.cursor ? ('current' as const) : mapStatus(latest.get(step.id) ?? 'pending'),
  }));
  const params = JSON.parse(run.params_json) as Record<string, string>;
  const current = running ? (procedure.steps.find((s) => s.id === position.cursor) as ProcedureStep) : null;
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
    current: current ? currentStep(run.id, current, position, stored.units, params, sources) : null,
    attempts,
  };
}

function currentStep(
  runId: string,
  step: ProcedureStep,
  position: FlowPosition,
  units: readonly string[],
  params: Record<string, string>,
  sources: RunViewSources,
): CurrentStep {
  const last = position.visit[position.visit.length - 1];
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
    plans: plansFor(
      step,
      units.filter((u) => !position.doneUnits.has(u)),
      params,
      sources,
    ),
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
    gatePreview: sources.gatePreviews.get(gatePreviewKey(runId, step.id)) ?? [],
  };
}

/** What an action or a check will run on each unit it has still to run on. */
function plansFor(
  step: ProcedureStep,
  units: readonly string[],
  params: Record<string, string>,
  sources: RunViewSources,
): { unit: string; plan: Plan }[] {
  if (step.kind !== 'action' && step.kind !== 'check') {
    return [];
  }
  const plans: { unit: string; plan: Plan }[] = [];
  for (const name of units) {
    const unit = sources.getUnit(name);
    if (unit) {
      const plan = safePlan(() =>
        step.kind === 'action' ? actionPlan(step, unit, params, sources.operations) : checkPlan(step, unit, params),
      );
      plans.push({ unit: name, plan });
    }
  }
  return plans;
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

/** A plan, or one that says why the step cannot be planned (a missing parameter, an unknown operation). */
export function safePlan(make: () => Plan): Plan {
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
