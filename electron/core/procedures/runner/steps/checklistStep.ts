import type { ChecklistStep } from '../../../../../shared/domain/procedure';
import { AppError } from '../../../../../shared/errors/AppError';
import type { ParsedStepAnswer } from '../../../../../shared/ipc/contracts/procedureRuns';
import { said } from '../../../../../shared/domain/words';
import { emptyOutcome } from '../execute';
import { evidenceOf } from './evidence';
import { expectAnswer, recordForRun, type StepServices, type StepTurn } from './stepTurn';

type ChecklistAnswer = Extract<ParsedStepAnswer, { kind: 'checklist' }>;
type ItemAnswer = ChecklistAnswer['items'][number];

/** A checklist step takes an answer for every item (with the notes and attachments its items ask for). */
export function answerChecklist(services: StepServices, turn: StepTurn<ChecklistStep>): void {
  const { step } = turn;
  const answer = expectAnswer(turn.answer, 'checklist', step);
  const given = new Map(answer.items.map((item) => [item.id, item]));
  const problems = checklistProblems(step, given, answer.attachments.length);
  if (problems.length > 0) {
    throw new AppError('VALIDATION', `checklist "${step.id}": ${problems.join('; ')}`);
  }
  const items = step.items.map((item) => {
    const found = given.get(item.id) as ItemAnswer;
    return { id: item.id, answer: found.answer, note: found.note?.trim() || null };
  });
  const open = items.filter((i) => i.answer === 'not-done').length;
  recordForRun(
    services,
    turn,
    {
      ...emptyOutcome(),
      items,
      confirmed: true,
      ...(open === 0 ? said('step.allAnswered') : said('step.itemsOpen', { count: open })),
    },
    'done',
    evidenceOf(answer.note?.trim() ?? '', answer.attachments, turn.actor, services.clock),
  );
}

function checklistProblems(step: ChecklistStep, given: ReadonlyMap<string, ItemAnswer>, attachments: number): string[] {
  const problems = [
    ...step.items.flatMap((item) => {
      const found = given.get(item.id);
      if (!found) {
        return [`item "${item.id}" has no answer`];
      }
      return item.note === 'required' && !found.note?.trim() ? [`item "${item.id}" needs a note`] : [];
    }),
    ...[...given.keys()].filter((id) => !step.items.some((i) => i.id === id)).map((id) => `no item "${id}"`),
  ];
  if (step.items.some((i) => i.attachment === 'required') && attachments === 0) {
    problems.push('an item needs an attachment');
  }
  return problems;
}
