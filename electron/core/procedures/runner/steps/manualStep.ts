import type { ManualStep } from '../../../../../shared/domain/procedure';
import { AppError } from '../../../../../shared/errors/AppError';
import { said } from '../../../../../shared/domain/words';
import { emptyOutcome } from '../execute';
import { checkAttachments, evidenceOf } from './evidence';
import { expectAnswer, recordForRun, type StepServices, type StepTurn } from './stepTurn';

/** A manual step is confirmed by the technician, with the note and attachments the step asks for. */
export function answerManual(services: StepServices, turn: StepTurn<ManualStep>): void {
  const { step } = turn;
  const answer = expectAnswer(turn.answer, 'manual', step);
  const note = answer.note?.trim() ?? '';
  if (step.note === 'required' && note === '') {
    throw new AppError('VALIDATION', `step "${step.id}" needs a note`);
  }
  if (step.note === 'none' && note !== '') {
    throw new AppError('VALIDATION', `step "${step.id}" takes no note`);
  }
  checkAttachments(step.id, step.attachment, answer.attachments.length);
  recordForRun(
    services,
    turn,
    {
      ...emptyOutcome(),
      confirmed: true,
      ...(note === '' ? said('step.confirmed') : said('step.confirmedNote', { note: { raw: note } })),
    },
    'done',
    evidenceOf(note, answer.attachments, turn.actor, services.clock),
  );
}
