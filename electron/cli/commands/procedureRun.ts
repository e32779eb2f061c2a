import { terminalField } from '../../../shared/util/terminalText';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';

import { z } from 'zod';

import {
  StepAnswerSchema,
  type CurrentStep,
  type GateEvaluation,
  type GateOverride,
  type LocalizedText,
  type RunView,
  type StepAnswer,
  type StepAttempt,
} from '../../../shared/ipc/contracts/procedureRuns';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { boolOption, decimalInteger, parseCommandLine, stringOption } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const PROCEDURE_RUN_USAGE = [
  'ohtw procedures run ID --unit NAME [--unit NAME…] [--param KEY=VALUE…] [--answers FILE] [--json]',
  'ohtw procedures run --resume RUN_ID [--answers FILE]',
].join('\n');

/** Asks the technician one question on the terminal; undefined when the input has ended. */
export type Prompter = { ask(question: string): Promise<string | undefined>; close(): void };

export function terminalPrompter(): Prompter {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let ended = false;
  rl.on('close', () => {
    ended = true;
  });
  return {
    async ask(question) {
      if (ended) {
        return undefined;
      }
      try {
        return await rl.question(question);
      } catch {
        return undefined;
      }
    },
    close: () => rl.close(),
  };
}

/**
 * An answers file (training and tests): the run's parameters, one answer per step id in the contract's StepAnswer
 * shape (an attachment may name a file by `path`, relative to the answers file), and optionally the name to sign
 * with once the run ends. Info and check steps may be left out; every step that needs a person must be there.
 */
const FileAttachmentSchema = z.object({
  name: z.string().min(1).optional(),
  mediaType: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  contentBase64: z.string().optional(),
});
const AnswersFileSchema = z
  .object({
    params: z.record(z.string(), z.string()).default({}),
    steps: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    signature: z.string().trim().min(2).optional(),
  })
  .strict();

type AnswersFile = { params: Record<string, string>; steps: Record<string, StepAnswer>; signature?: string };

const MEDIA_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.json': 'application/json',
};

async function readAnswersFile(path: string): Promise<AnswersFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--answers ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = AnswersFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(`--answers ${path}: ${issuesText(parsed.error)}`);
  }
  const steps: Record<string, StepAnswer> = {};
  for (const [stepId, raw] of Object.entries(parsed.data.steps)) {
    const withFiles = await attachFiles(raw, dirname(path), stepId);
    const answer = StepAnswerSchema.safeParse(withFiles);
    if (!answer.success) {
      throw new UsageError(`--answers ${path}: step "${stepId}": ${issuesText(answer.error)}`);
    }
    steps[stepId] = withFiles as StepAnswer;
  }
  return {
    params: parsed.data.params,
    steps,
    ...(parsed.data.signature === undefined ? {} : { signature: parsed.data.signature }),
  };
}

async function attachFiles(raw: Record<string, unknown>, base: string, stepId: string): Promise<unknown> {
  if (!Array.isArray(raw.attachments)) {
    return raw;
  }
  const attachments = [];
  for (const item of raw.attachments as unknown[]) {
    const file = FileAttachmentSchema.safeParse(item);
    if (!file.success) {
      throw new UsageError(`step "${stepId}": an attachment is {"path": FILE} or {"name", "contentBase64"}`);
    }
    if (file.data.path !== undefined) {
      const full = isAbsolute(file.data.path) ? file.data.path : resolve(base, file.data.path);
      let content: Buffer;
      try {
        content = await readFile(full);
      } catch (error) {
        throw new UsageError(`step "${stepId}": cannot read the attachment ${full} (${(error as Error).message})`);
      }
      attachments.push({
        name: file.data.name ?? basename(full),
        mediaType: file.data.mediaType ?? MEDIA_TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream',
        contentBase64: content.toString('base64'),
      });
    } else {
      attachments.push(item);
    }
  }
  return { ...raw, attachments };
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '$'}: ${i.message}`).join('; ');
}

function parseParams(values: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq < 1) {
      throw new UsageError(`--param takes KEY=VALUE, not "${value}"`);
    }
    params[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return params;
}

/** `ohtw procedures run`: a run in the terminal, answered by the technician or by an answers file. */
export async function procedureRunCommand(argv: string[], io: CliIo, prompter?: Prompter): Promise<number> {
  const parsed = parseCommandLine(argv, {
    unit: { type: 'string', multiple: true },
    param: { type: 'string', multiple: true },
    answers: { type: 'string' },
    resume: { type: 'string' },
  });
  const [procedureId, ...extra] = parsed.positionals;
  const resume = stringOption(parsed, 'resume');
  const units = (parsed.values.unit as string[] | undefined) ?? [];
  if (extra.length > 0) {
    throw new UsageError(`procedures run takes one procedure ID (got "${parsed.positionals.join(' ')}")`);
  }
  if (resume === undefined && (procedureId === undefined || units.length === 0)) {
    throw new UsageError('procedures run needs a procedure ID and --unit NAME (or --resume RUN_ID)');
  }
  if (resume !== undefined && (procedureId !== undefined || units.length > 0)) {
    throw new UsageError('--resume RUN_ID continues a run: it takes no procedure ID or --unit');
  }
  const answersPath = stringOption(parsed, 'answers');
  const answers = answersPath === undefined ? undefined : await readAnswersFile(resolve(io.cwd, answersPath));
  const params = { ...(answers?.params ?? {}), ...parseParams((parsed.values.param as string[] | undefined) ?? []) };
  const json = boolOption(parsed, 'json');
  if (answers === undefined && prompter === undefined && !process.stdin.isTTY) {
    throw new UsageError('procedures run asks the technician at the terminal: run it in one, or give --answers FILE');
  }

  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  const ask = answers === undefined ? (prompter ?? terminalPrompter()) : undefined;
  try {
    let view =
      resume !== undefined
        ? await session.api.call('procedures.run.get', { runId: resume })
        : await session.api.call('procedures.start', {
            procedureId: procedureId as string,
            units,
            params,
            // The whole sheet is checked against the procedure before the run exists: nothing runs on a refusal.
            ...(answers ? { answers: answers.steps } : {}),
          });
    const driver = new RunDriver(session.api, io, json, answers, ask);
    view = await driver.drive(view);
    if (json) {
      io.out(JSON.stringify(view, null, 2));
    }
    if (view.state === 'running') {
      io.err(
        `run ${view.runId} waits at step "${view.current?.stepId ?? '?'}"; continue it with: ohtw procedures run --resume ${view.runId}`,
      );
      return EXIT_FAILURE;
    }
    return view.state === 'completed' ? 0 : EXIT_FAILURE;
  } finally {
    ask?.close();
    await session.core.close();
  }
}

const text = (value: LocalizedText): string => value.en ?? Object.values(value)[0] ?? '';

/** Walks a run step by step, printing what each step does and answering it from the file or the technician. */
class RunDriver {
  private readonly visits = new Map<string, number>();

  constructor(
    private readonly api: WorkstationApi,
    private readonly io: CliIo,
    private readonly quiet: boolean,
    private readonly answers: AnswersFile | undefined,
    private readonly prompter: Prompter | undefined,
  ) {}

  private say(line: string): void {
    if (!this.quiet) {
      this.io.out(line);
    }
  }

  async drive(start: RunView): Promise<RunView> {
    let view = start;
    this.say(
      `${text(view.procedure.title)} (${view.procedure.id} v${view.procedure.version}) on ${view.units.join(', ')}`,
    );
    this.say(`run ${view.runId}`);
    while (view.state === 'running' && view.current) {
      const current = view.current;
      const visits = (this.visits.get(current.stepId) ?? 0) + 1;
      this.visits.set(current.stepId, visits);
      if (this.answers && visits > 3) {
        this.io.err(`step "${current.stepId}" came round ${visits} times: the answers lead in a loop; stopping`);
        return view;
      }
      this.printStep(view, current);
      const answer = this.answers ? this.fromFile(current) : await this.fromTechnician(view, current);
      if (answer === 'stop') {
        return view;
      }
      if (answer === 'abort' || answer === 'escalate') {
        view = await this.endEarly(view, answer);
        break;
      }
      const lastSeq = view.attempts.at(-1)?.seq ?? 0;
      view = await this.api.call('procedures.run.step', { runId: view.runId, stepId: current.stepId, answer });
      for (const attempt of view.attempts.filter((a) => a.seq > lastSeq)) {
        this.printAttempt(attempt);
      }
      if (answer.kind === 'gates') {
        for (const gate of view.current?.gatePreview ?? []) {
          this.say(`  ${gateLine(gate)}`);
        }
      }
      const stillHere = view.state === 'running' && view.current?.stepId === current.stepId;
      if (stillHere && this.answers && answer.kind !== 'gates') {
        const last = view.attempts.at(-1);
        this.io.err(`step "${current.stepId}" did not pass: ${last?.outcome.message ?? 'see above'}`);
        return view;
      }
    }
    this.say(
      `\nrun ${view.state}${view.state === 'aborted' ? `: ${view.abortReason ?? ''}` : ''}${view.state === 'escalated' ? ` to level ${view.escalationLevel ?? '?'}` : ''}`,
    );
    return this.maybeSign(view);
  }

  private async maybeSign(view: RunView): Promise<RunView> {
    if (view.state === 'running' || view.signature) {
      return view;
    }
    const name = this.answers
      ? this.answers.signature
      : (await this.ask('Sign the record with your name (empty: leave it unsigned): '))?.trim();
    if (!name) {
      return view;
    }
    const signed = await this.api.call('procedures.run.sign', { runId: view.runId, name });
    this.say(`signed by ${signed.signature?.signedBy ?? name}; record SHA-256 ${signed.signature?.recordHash ?? ''}`);
    return signed;
  }

  private async endEarly(view: RunView, how: 'abort' | 'escalate'): Promise<RunView> {
    if (how === 'abort') {
      const reason = (await this.ask('Why is the run aborted? ')) ?? 'input ended';
      return this.api.call('procedures.run.abort', {
        runId: view.runId,
        reason: reason.trim() || 'aborted at the terminal',
      });
    }
    const level = decimalInteger((await this.ask('Escalate to which level (1-4)? '))?.trim()) ?? 1;
    return this.api.call('procedures.run.escalate', {
      runId: view.runId,
      level: level >= 1 && level <= 4 ? level : 1,
    });
  }

  private printStep(view: RunView, step: CurrentStep): void {
    const index = view.steps.findIndex((s) => s.stepId === step.stepId) + 1;
    this.say(`\n[${index}/${view.steps.length}] ${text(step.title)}  (${step.kind} ${step.stepId})`);
    const body = text(step.body);
    if (body) {
      this.say(`  ${body}`);
    }
    for (const { unit, plan } of step.plans) {
      this.say(`  plan on ${unit}: ${terminalField(plan.summary)}`);
      for (const command of plan.commands) {
        this.say(`    $ ${command.sudo ? 'sudo ' : ''}${terminalField(command.line)}`);
      }
      if (!plan.available) {
        this.say(`    not available: ${terminalField(plan.unavailableReason ?? '')}`);
      }
    }
    if (step.gates.length > 0) {
      this.say(
        `  gates (read live just before it runs): ${step.gates.join(', ')}${step.overrideAllowed ? ' (some may be overridden)' : ''}`,
      );
    }
    if (step.interrupted) {
      this.say(
        '  INTERRUPTED: the last attempt was cut off; whether it finished on the unit is unknown. It runs again only if confirmed again.',
      );
    }
    if (step.blocked) {
      this.say('  BLOCKED last time by a red gate (see above).');
    }
  }

  private printAttempt(attempt: StepAttempt): void {
    const o = attempt.outcome;
    for (const gate of o.gates) {
      this.say(`  ${gateLine(gate)}`);
    }
    for (const override of o.overrides) {
      this.say(`  override of ${override.gate} by ${terminalField(override.by)}: ${terminalField(override.reason)}`);
    }
    this.say(`  → ${attempt.status}${attempt.unit ? ` on ${attempt.unit}` : ''}: ${terminalField(o.message)}`);
    if (o.output) {
      this.say(
        o.output
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
      );
    }
  }

  private fromFile(step: CurrentStep): StepAnswer {
    const given = this.answers?.steps[step.stepId];
    if (given) {
      return given;
    }
    if (step.kind === 'info') {
      return { kind: 'ack' };
    }
    if (step.kind === 'check') {
      return { kind: 'run' };
    }
    // validateAnswers refused the file before the run if this could happen; the core refuses it again here.
    throw new UsageError(`the answers file has no answer for step "${step.stepId}" (${step.kind})`);
  }

  private async ask(question: string): Promise<string | undefined> {
    return this.prompter?.ask(question);
  }

  /** One answer from the terminal; 'stop' leaves the run to be resumed, 'abort' and 'escalate' end it. */
  private async fromTechnician(view: RunView, step: CurrentStep): Promise<StepAnswer | 'stop' | 'abort' | 'escalate'> {
    const hint = '(or: skip, abort, escalate, quit)';
    type Control = { control: 'stop' | 'abort' | 'escalate' } | { skip: string } | { word: string };
    const control = async (question: string): Promise<Control> => {
      const reply = await this.ask(question);
      if (reply === undefined || reply.trim() === 'quit') {
        return { control: 'stop' };
      }
      const word = reply.trim();
      if (word === 'abort' || word === 'escalate') {
        return { control: word };
      }
      if (word === 'skip') {
        return { skip: (await this.ask('Why is it skipped? ')) ?? '' };
      }
      return { word };
    };
    const reply = await control(
      step.kind === 'info'
        ? `Enter when read ${hint}: `
        : step.kind === 'check'
          ? `Enter to run the check ${hint}: `
          : step.kind === 'action'
            ? `Type "gates" to read the gates now, ${step.destructive ? `the unit's name (${view.units.join(', ')})` : '"yes"'} to run it ${hint}: `
            : step.kind === 'manual'
              ? `Type "done" once it is done ${hint}: `
              : step.kind === 'decision'
                ? `${step.options.map((o, i) => `${i + 1}) ${text(o.label)}`).join('  ')}\nChoose ${hint}: `
                : step.kind === 'checklist'
                  ? `Enter to answer the ${step.items.length} items ${hint}: `
                  : `Type "yes" to escalate to level ${step.escalationLevel ?? '?'} ${hint}: `,
    );
    if ('control' in reply) {
      return reply.control;
    }
    if ('skip' in reply) {
      return { kind: 'skip', reason: reply.skip.trim() || 'skipped at the terminal' };
    }
    const first = reply.word;
    switch (step.kind) {
      case 'info':
        return { kind: 'ack' };
      case 'check':
        return { kind: 'run' };
      case 'action':
        if (first === 'gates') {
          return { kind: 'gates' };
        }
        if (step.destructive ? first !== view.units.join(', ') : first !== 'yes') {
          this.say('  not confirmed: nothing was run');
          return this.fromTechnician(view, step);
        }
        return {
          kind: 'confirm',
          ...(step.destructive ? { typedConfirmation: first } : {}),
          overrides: step.blocked && step.overrideAllowed ? await this.askOverrides(view, step) : [],
        };
      case 'manual': {
        if (first !== 'done') {
          return this.fromTechnician(view, step);
        }
        const note = (await this.ask(`Note${step.noteRequired ? ' (required)' : ' (optional)'}: `))?.trim() ?? '';
        const path = step.attachmentAllowed
          ? (await this.ask('Attach a photo or file (path, optional): '))?.trim()
          : '';
        const attachments = path
          ? ((await attachFiles({ attachments: [{ path }] }, this.io.cwd, step.stepId)) as { attachments: [] })
              .attachments
          : [];
        return { kind: 'manual', confirmed: true, ...(note ? { note } : {}), attachments };
      }
      case 'decision': {
        const index = (decimalInteger(first) ?? 0) - 1;
        const option = step.options[index] ?? step.options.find((o) => o.id === first);
        if (!option) {
          return this.fromTechnician(view, step);
        }
        return { kind: 'decision', option: option.id };
      }
      case 'checklist': {
        const items = [];
        for (const item of step.items) {
          let answer: 'done' | 'not-done' | 'n/a' | undefined;
          while (answer === undefined) {
            const reply = (await this.ask(`  ${text(item.text)}  [d]one / [n]ot done / n/[a]: `))?.trim();
            if (reply === undefined) {
              return 'stop';
            }
            answer = reply === 'd' ? 'done' : reply === 'n' ? 'not-done' : reply === 'a' ? 'n/a' : undefined;
          }
          const note = (await this.ask(`    note${item.noteRequired ? ' (required)' : ' (optional)'}: `))?.trim();
          items.push({ id: item.id, answer, ...(note ? { note } : {}) });
        }
        return { kind: 'checklist', items };
      }
      case 'escalate':
        return first === 'yes' ? { kind: 'escalate' } : this.fromTechnician(view, step);
    }
  }

  private async askOverrides(view: RunView, step: CurrentStep): Promise<GateOverride[]> {
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
      const by = (await this.ask(`  ${gate} was red. To override it, type your name (empty: no override): `))?.trim();
      if (!by) {
        continue;
      }
      const reason = (await this.ask('  why is it safe anyway? '))?.trim() ?? '';
      overrides.push({ gate, by, reason });
    }
    return overrides;
  }
}

export function gateLine(gate: GateEvaluation): string {
  return `${gate.status === 'green' ? '[green]' : '[ RED ]'} ${gate.gate} on ${gate.unit}: ${terminalField(gate.reading)}`;
}
