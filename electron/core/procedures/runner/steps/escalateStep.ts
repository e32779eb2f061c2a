import type { EscalateStep } from '../../../../../shared/domain/procedure';
import { said, say } from '../../../../../shared/domain/words';
import { emptyOutcome } from '../execute';
import { evidenceOf } from './evidence';
import { expectAnswer, recordForRun, type StepServices, type StepTurn } from './stepTurn';

/** An escalate step records the level reached (the run ends escalated) with an optional note. */
export function answerEscalate(services: StepServices, turn: StepTurn<EscalateStep>): void {
  const { step, actor } = turn;
  const answer = expectAnswer(turn.answer, 'escalate', step);
  const note = answer.note?.trim() ?? '';
  recordForRun(
    services,
    turn,
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
    note ? evidenceOf(note, [], actor, services.clock) : [],
  );
  services.audit(actor, turn.units, 'procedure.run.escalate', 'ok', {
    runId: turn.runId,
    stepId: step.id,
    level: step.level,
  });
}
