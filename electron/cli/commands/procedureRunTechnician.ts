import type {
  CurrentStep,
  GateOverride,
  LocalizedText,
  RunView,
  StepAnswer,
} from '../../../shared/ipc/contracts/procedureRuns';
import { decimalInteger } from '../args';
import { attachFiles } from './procedureRunAnswers';

/** The terminal as the technician's answers need it: a question asked, a line said, the folder paths are read from. */
export type TechnicianTerminal = {
  ask(question: string): Promise<string | undefined>;
  say(line: string): void;
  cwd: string;
};

/** 'stop' leaves the run to be resumed; 'abort' and 'escalate' end it. */
export type TechnicianReply = StepAnswer | 'stop' | 'abort' | 'escalate';

type Control = { control: 'stop' | 'abort' | 'escalate' } | { skip: string } | { word: string };

const HINT = '(or: skip, abort, escalate, quit)';

export const localized = (value: LocalizedText): string => value.en ?? Object.values(value)[0] ?? '';

/** One answer from the terminal, asked again until the reply is one the step takes. */
export async function answerFromTechnician(
  terminal: TechnicianTerminal,
  view: RunView,
  step: CurrentStep,
): Promise<TechnicianReply> {
  const reply = await readControl(terminal, questionFor(view, step));
  if ('control' in reply) {
    return reply.control;
  }
  if ('skip' in reply) {
    return { kind: 'skip', reason: reply.skip.trim() || 'skipped at the terminal' };
  }
  const answer = await answerWord(terminal, view, step, reply.word);
  return answer ?? answerFromTechnician(terminal, view, step);
}

async function readControl(terminal: TechnicianTerminal, question: string): Promise<Control> {
  const reply = await terminal.ask(question);
  if (reply === undefined || reply.trim() === 'quit') {
    return { control: 'stop' };
  }
  const word = reply.trim();
  if (word === 'abort' || word === 'escalate') {
    return { control: word };
  }
  if (word === 'skip') {
    return { skip: (await terminal.ask('Why is it skipped? ')) ?? '' };
  }
  return { word };
}

function questionFor(view: RunView, step: CurrentStep): string {
  switch (step.kind) {
    case 'info':
      return `Enter when read ${HINT}: `;
    case 'check':
      return `Enter to run the check ${HINT}: `;
    case 'action':
      return `Type "gates" to read the gates now, ${step.destructive ? `the unit's name (${view.units.join(', ')})` : '"yes"'} to run it ${HINT}: `;
    case 'manual':
      return `Type "done" once it is done ${HINT}: `;
    case 'decision':
      return `${step.options.map((o, i) => `${i + 1}) ${localized(o.label)}`).join('  ')}\nChoose ${HINT}: `;
    case 'checklist':
      return `Enter to answer the ${step.items.length} items ${HINT}: `;
    case 'escalate':
      return `Type "yes" to escalate to level ${step.escalationLevel ?? '?'} ${HINT}: `;
  }
}

/** The answer a reply makes for the step; undefined when the reply does not answer it (the question is asked again). */
async function answerWord(
  terminal: TechnicianTerminal,
  view: RunView,
  step: CurrentStep,
  word: string,
): Promise<StepAnswer | 'stop' | undefined> {
  switch (step.kind) {
    case 'info':
      return { kind: 'ack' };
    case 'check':
      return { kind: 'run' };
    case 'action':
      return confirmAction(terminal, view, step, word);
    case 'manual':
      return word === 'done' ? confirmManual(terminal, step) : undefined;
    case 'decision': {
      const index = (decimalInteger(word) ?? 0) - 1;
      const option = step.options[index] ?? step.options.find((o) => o.id === word);
      return option ? { kind: 'decision', option: option.id } : undefined;
    }
    case 'checklist':
      return answerChecklist(terminal, step);
    case 'escalate':
      return word === 'yes' ? { kind: 'escalate' } : undefined;
  }
}

async function confirmAction(
  terminal: TechnicianTerminal,
  view: RunView,
  step: CurrentStep,
  word: string,
): Promise<StepAnswer | undefined> {
  if (word === 'gates') {
    return { kind: 'gates' };
  }
  if (step.destructive ? word !== view.units.join(', ') : word !== 'yes') {
    terminal.say('  not confirmed: nothing was run');
    return undefined;
  }
  return {
    kind: 'confirm',
    ...(step.destructive ? { typedConfirmation: word } : {}),
    overrides: step.blocked && step.overrideAllowed ? await askOverrides(terminal, view, step) : [],
  };
}

async function confirmManual(terminal: TechnicianTerminal, step: CurrentStep): Promise<StepAnswer> {
  const note = (await terminal.ask(`Note${step.noteRequired ? ' (required)' : ' (optional)'}: `))?.trim() ?? '';
  const path = step.attachmentAllowed ? (await terminal.ask('Attach a photo or file (path, optional): '))?.trim() : '';
  const attachments = path
    ? ((await attachFiles({ attachments: [{ path }] }, terminal.cwd, step.stepId)) as { attachments: [] }).attachments
    : [];
  return { kind: 'manual', confirmed: true, ...(note ? { note } : {}), attachments };
}

async function answerChecklist(terminal: TechnicianTerminal, step: CurrentStep): Promise<StepAnswer | 'stop'> {
  const items = [];
  for (const item of step.items) {
    let answer: 'done' | 'not-done' | 'n/a' | undefined;
    while (answer === undefined) {
      const reply = (await terminal.ask(`  ${localized(item.text)}  [d]one / [n]ot done / n/[a]: `))?.trim();
      if (reply === undefined) {
        return 'stop';
      }
      answer = reply === 'd' ? 'done' : reply === 'n' ? 'not-done' : reply === 'a' ? 'n/a' : undefined;
    }
    const note = (await terminal.ask(`    note${item.noteRequired ? ' (required)' : ' (optional)'}: `))?.trim();
    items.push({ id: item.id, answer, ...(note ? { note } : {}) });
  }
  return { kind: 'checklist', items };
}

/** After a red gate blocked the step: for each red gate, who overrides it and why (empty: no override). */
async function askOverrides(terminal: TechnicianTerminal, view: RunView, step: CurrentStep): Promise<GateOverride[]> {
  const red = [
    ...new Set(
      view.attempts
        .filter((a) => a.stepId === step.stepId)
        .at(-1)
        ?.outcome.gates.filter((g) => g.status === 'red')
        .map((g) => g.gate) ?? [],
    ),
  ];
  const overrides: GateOverride[] = [];
  for (const gate of red) {
    const by = (await terminal.ask(`  ${gate} was red. To override it, type your name (empty: no override): `))?.trim();
    if (!by) {
      continue;
    }
    const reason = (await terminal.ask('  why is it safe anyway? '))?.trim() ?? '';
    overrides.push({ gate, by, reason });
  }
  return overrides;
}
