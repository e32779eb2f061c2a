import type {
  CurrentStep,
  GateEvaluation,
  RunView,
  StepAnswer,
  StepAttempt,
} from '../../../shared/ipc/contracts/procedureRuns';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { terminalField } from '../../../shared/util/terminalText';
import { decimalInteger } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import type { AnswersFile } from './procedureRunAnswers';
import type { Prompter } from './procedureRunPrompter';
import { answerFromTechnician, localized, type TechnicianTerminal } from './procedureRunTechnician';

/** Walks a run step by step, printing what each step does and answering it from the file or the technician. */
export class RunDriver {
  private readonly visits = new Map<string, number>();
  private readonly terminal: TechnicianTerminal;

  constructor(
    private readonly api: WorkstationApi,
    private readonly io: CliIo,
    private readonly quiet: boolean,
    private readonly answers: AnswersFile | undefined,
    private readonly prompter: Prompter | undefined,
  ) {
    this.terminal = { ask: (question) => this.ask(question), say: (line) => this.say(line), cwd: io.cwd };
  }

  private say(line: string): void {
    if (!this.quiet) {
      this.io.out(line);
    }
  }

  async drive(start: RunView): Promise<RunView> {
    let view = start;
    this.say(
      `${localized(view.procedure.title)} (${view.procedure.id} v${view.procedure.version}) on ${view.units.join(', ')}`,
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
      const answer = this.answers ? this.fromFile(current) : await answerFromTechnician(this.terminal, view, current);
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
    this.say(`\n[${index}/${view.steps.length}] ${localized(step.title)}  (${step.kind} ${step.stepId})`);
    const body = localized(step.body);
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
}

export function gateLine(gate: GateEvaluation): string {
  return `${gate.status === 'green' ? '[green]' : '[ RED ]'} ${gate.gate} on ${gate.unit}: ${terminalField(gate.reading)}`;
}
