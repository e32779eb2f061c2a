import type { InfoStep } from '../../../../../shared/domain/procedure';
import { said } from '../../../../../shared/domain/words';
import { emptyOutcome } from '../execute';
import { expectAnswer, recordForRun, type StepServices, type StepTurn } from './stepTurn';

/** An info step is answered by acknowledging it was read. */
export function answerInfo(services: StepServices, turn: StepTurn<InfoStep>): void {
  expectAnswer(turn.answer, 'ack', turn.step);
  recordForRun(services, turn, { ...emptyOutcome(), confirmed: true, ...said('step.read') }, 'done');
}
