import type { ActionStep } from '../../../../../shared/domain/procedure';
import type { Unit } from '../../../../../shared/domain/unit';
import { AppError } from '../../../../../shared/errors/AppError';
import type { Said } from '../../../../../shared/domain/said';
import { said, say } from '../../../../../shared/domain/words';
import type {
  AttemptOutcome,
  GateEvaluation,
  GateOverride,
  ParsedStepAnswer,
  Plan,
} from '../../../../../shared/ipc/contracts/procedureRuns';
import { displayLine } from '../commands';
import { actionPlan, clip, emptyOutcome, runAction, unavailable } from '../execute';
import { executorStamp } from '../runStore';
import { errorText, isLinkLost } from '../unitLinks';
import { checkOverrides } from './gateOverrides';
import { expectAnswer, gatePreviewKey, unitsLeft, type StepServices, type StepTurn } from './stepTurn';

type Confirmation = Extract<ParsedStepAnswer, { kind: 'confirm' }>;
type ActionStatus = 'done' | 'failed' | 'interrupted';
type ActionResult = { message: string; say?: Said; output: string; exitCode: number | null };

/**
 * An action step is either asked for its gates (read live, shown, nothing run) or confirmed: then, unit by unit, its
 * gates are read live just before it runs and recorded with it, and it stops at the first unit it did not complete.
 */
export async function answerAction(services: StepServices, turn: StepTurn<ActionStep>): Promise<void> {
  const { step, runId, units } = turn;
  if (turn.answer.kind === 'gates') {
    await previewGates(services, turn);
    return;
  }
  const answer = expectAnswer(turn.answer, 'confirm', step, 'confirm (or gates to read them first)');
  services.gatePreviews.delete(gatePreviewKey(runId, step.id));
  if (step.destructive && answer.typedConfirmation !== units.join(', ')) {
    throw new AppError(
      'CONFIRMATION_REQUIRED',
      `step "${step.id}" cannot be undone: type the unit's name (${units.join(', ')}) to confirm it`,
      { details: { stepId: step.id } },
    );
  }
  const overrides = checkOverrides(step, answer.overrides);
  for (const name of unitsLeft(turn)) {
    const status = await actOnUnit(services, turn, services.requireUnit(name), answer, overrides);
    if (status !== 'done') {
      return;
    }
  }
}

async function previewGates(services: StepServices, turn: StepTurn<ActionStep>): Promise<void> {
  const evaluations: GateEvaluation[] = [];
  for (const name of turn.units) {
    evaluations.push(...(await services.links.readGates(turn.step, services.requireUnit(name))));
  }
  services.gatePreviews.set(gatePreviewKey(turn.runId, turn.step.id), evaluations);
}

/** Plans, gates and runs the action on one unit; returns how it ended ('blocked' when a gate stopped it). */
async function actOnUnit(
  services: StepServices,
  turn: StepTurn<ActionStep>,
  unit: Unit,
  answer: Confirmation,
  overrides: GateOverride[],
): Promise<ActionStatus | 'blocked'> {
  const { step } = turn;
  const plan = actionPlan(step, unit, turn.params, services.operations);
  const base: AttemptOutcome = {
    ...emptyOutcome(),
    plan,
    confirmed: true,
    typedConfirmation: answer.typedConfirmation ?? null,
    overrides,
  };
  if (!plan.available) {
    recordEnded(services, turn, unit.name, 'failed', {
      ...base,
      ...unavailable(plan.unavailableReason, 'step.notAvailable'),
    });
    return 'failed';
  }
  // The gates, read live now, just before the action; recorded with it whatever they say.
  const gates = await services.links.readGates(step, unit);
  const overridden = new Set(overrides.map((o) => o.gate));
  const blocking = gates.filter((g) => g.status === 'red' && !overridden.has(g.gate));
  if (blocking.length > 0) {
    const { message, say: blockedSay } = said('step.blocked', {
      gates: {
        list: blocking.map((g) => say('step.gateRed', { gate: g.gate, reading: g.say ?? { raw: g.reading } })),
        by: '; ',
      },
    });
    recordEnded(services, turn, unit.name, 'blocked', { ...base, gates, message, say: blockedSay });
    services.audit(turn.actor, [unit.name], 'procedure.step.action', 'refused', {
      runId: turn.runId,
      stepId: step.id,
      plan: plan.summary,
      ...planWords(plan),
      gates: gates.map((g) => `${g.gate}: ${g.status}`),
      reason: message,
    });
    return 'blocked';
  }
  const usedOverrides = overrides.filter((o) => gates.some((g) => g.gate === o.gate && g.status === 'red'));
  return runOnUnit(services, turn, unit, plan, { ...base, gates, overrides: usedOverrides });
}

/**
 * Runs the action once its gates allow it. The attempt is written as 'started' first, so a crash or a lost link
 * leaves it visibly interrupted, to be confirmed again rather than re-run silently.
 */
async function runOnUnit(
  services: StepServices,
  turn: StepTurn<ActionStep>,
  unit: Unit,
  plan: Plan,
  gated: AttemptOutcome,
): Promise<ActionStatus> {
  const { step, runId } = turn;
  const seq = services.store.addAttempt(runId, {
    stepId: step.id,
    unit: unit.name,
    status: 'started',
    actor: turn.actor,
    startedAt: services.clock.nowIso(),
    endedAt: null,
    // The executor stamp lets another window tell a live action from one a crash left behind.
    outcome: { ...gated, ...said('step.running'), ...{ executor: executorStamp() } },
  });
  const { status, result } = await execute(services, turn, unit);
  services.store.finishAttempt(runId, seq, status, services.clock.nowIso(), {
    ...gated,
    message: result.message,
    ...(result.say ? { say: result.say } : {}),
    output: clip(result.output),
    exitCode: result.exitCode,
  });
  services.audit(turn.actor, [unit.name], 'procedure.step.action', status === 'done' ? 'ok' : 'failed', {
    runId,
    stepId: step.id,
    plan: plan.summary,
    ...planWords(plan),
    commands: plan.commands.map(displayLine),
    gates: gated.gates.map((g) => `${g.gate}: ${g.status}`),
    overrides: gated.overrides.map((o) => ({ gate: o.gate, by: o.by, reason: o.reason })),
    status,
    message: result.message,
  });
  return status;
}

async function execute(
  services: StepServices,
  turn: StepTurn<ActionStep>,
  unit: Unit,
): Promise<{ status: ActionStatus; result: ActionResult }> {
  try {
    const context = await services.links.context(unit, turn.params);
    const done = await runAction(turn.step, context, services.operations, turn.actor);
    return { status: done.ok ? 'done' : 'failed', result: done };
  } catch (error) {
    const lost = isLinkLost(error);
    services.links.dropOn(unit.name, error);
    return {
      status: lost ? 'interrupted' : 'failed',
      result: {
        ...said(lost ? 'step.interrupted' : 'step.failed', { error: { raw: errorText(error) } }),
        output: '',
        exitCode: null,
      },
    };
  }
}

function recordEnded(
  services: StepServices,
  turn: StepTurn<ActionStep>,
  unit: string,
  status: 'failed' | 'blocked',
  outcome: AttemptOutcome,
): void {
  services.store.addAttempt(turn.runId, {
    stepId: turn.step.id,
    unit,
    status,
    actor: turn.actor,
    startedAt: services.clock.nowIso(),
    endedAt: services.clock.nowIso(),
    outcome,
  });
}

/** The plan's words beside its English in the audit row, for the faces to say it in the reader's language. */
function planWords(plan: Plan): { planSay?: string } {
  return plan.summarySay ? { planSay: JSON.stringify(plan.summarySay) } : {};
}
