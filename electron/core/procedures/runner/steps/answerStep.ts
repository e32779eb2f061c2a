import type { ProcedureStep } from '../../../../../shared/domain/procedure';
import { AppError } from '../../../../../shared/errors/AppError';
import { said } from '../../../../../shared/domain/words';
import { emptyOutcome } from '../execute';
import { answerAction } from './actionStep';
import { runCheckStep } from './checkStep';
import { answerChecklist } from './checklistStep';
import { answerDecision } from './decisionStep';
import { answerEscalate } from './escalateStep';
import { answerInfo } from './infoStep';
import { answerManual } from './manualStep';
import { recordForRun, type StepServices, type StepTurn } from './stepTurn';

/** Hands an answer to the executor of its step's kind; a skip is recorded the same way for every kind that allows it. */
export async function answerStep(services: StepServices, turn: StepTurn): Promise<void> {
  const { step, answer } = turn;
  if (answer.kind === 'skip') {
    if (step.kind === 'escalate') {
      throw new AppError('VALIDATION', `step "${step.id}" escalates: it cannot be skipped (abort the run instead)`);
    }
    recordForRun(
      services,
      turn,
      { ...emptyOutcome(), ...said('step.skipped', { reason: { raw: answer.reason } }) },
      'skipped',
    );
    services.audit(turn.actor, turn.units, 'procedure.step.skip', 'ok', {
      runId: turn.runId,
      stepId: step.id,
      reason: answer.reason,
    });
    return;
  }
  switch (step.kind) {
    case 'info':
      return answerInfo(services, as(turn, step));
    case 'check':
      return runCheckStep(services, as(turn, step));
    case 'action':
      return answerAction(services, as(turn, step));
    case 'manual':
      return answerManual(services, as(turn, step));
    case 'decision':
      return answerDecision(services, as(turn, step));
    case 'checklist':
      return answerChecklist(services, as(turn, step));
    case 'escalate':
      return answerEscalate(services, as(turn, step));
  }
}

/** The same turn, typed by the step's narrowed kind. */
function as<Step extends ProcedureStep>(turn: StepTurn, step: Step): StepTurn<Step> {
  return { ...turn, step };
}
