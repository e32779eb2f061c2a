import type { DecisionStep } from '../../../../../shared/domain/procedure';
import { AppError } from '../../../../../shared/errors/AppError';
import { said } from '../../../../../shared/domain/words';
import { emptyOutcome } from '../execute';
import { expectAnswer, recordForRun, type StepServices, type StepTurn } from './stepTurn';

/** A decision step records the option chosen; the flow follows it. */
export function answerDecision(services: StepServices, turn: StepTurn<DecisionStep>): void {
  const { step } = turn;
  const answer = expectAnswer(turn.answer, 'decision', step);
  const option = step.options.find((o) => o.id === answer.option);
  if (!option) {
    throw new AppError(
      'VALIDATION',
      `"${answer.option}" is not an option of step "${step.id}" (${step.options.map((o) => o.id).join(', ')})`,
    );
  }
  recordForRun(
    services,
    turn,
    { ...emptyOutcome(), choice: option.id, ...said('step.chose', { option: { text: option.label } }) },
    'done',
  );
}
