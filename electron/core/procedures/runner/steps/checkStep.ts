import type { CheckStep } from '../../../../../shared/domain/procedure';
import type { AttemptOutcome } from '../../../../../shared/ipc/contracts/procedureRuns';
import { said } from '../../../../../shared/domain/words';
import { checkPlan, emptyOutcome, runCheck } from '../execute';
import { safePlan } from '../runView';
import { errorText } from '../unitLinks';
import { expectAnswer, unitsLeft, type StepServices, type StepTurn } from './stepTurn';

/** A check step runs its read-only check on every unit it has not yet passed on; each unit's result is recorded. */
export async function runCheckStep(services: StepServices, turn: StepTurn<CheckStep>): Promise<void> {
  const { step, params } = turn;
  expectAnswer(turn.answer, 'run', step);
  for (const name of unitsLeft(turn)) {
    const unit = services.requireUnit(name);
    const startedAt = services.clock.nowIso();
    let status: 'done' | 'failed';
    let outcome: AttemptOutcome;
    try {
      const context = await services.links.context(unit, params);
      const result = await runCheck(step, context);
      status = result.passed ? 'done' : 'failed';
      outcome = result.outcome;
    } catch (error) {
      services.links.dropOn(name, error);
      status = 'failed';
      outcome = {
        ...emptyOutcome(),
        plan: safePlan(() => checkPlan(step, unit, params)),
        ...said('step.checkCouldNotRun', { error: { raw: errorText(error) } }),
      };
    }
    services.store.addAttempt(turn.runId, {
      stepId: step.id,
      unit: name,
      status,
      actor: turn.actor,
      startedAt,
      endedAt: services.clock.nowIso(),
      outcome,
    });
  }
}
