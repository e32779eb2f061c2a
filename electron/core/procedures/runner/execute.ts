import { commandEffect, type CommandEffect } from '../../../../shared/domain/commandEffect';
import {
  exitCodes,
  type ActionStep,
  type CheckStep,
  type CommandCheckStep,
  type DiagnosticCheckStep,
} from '../../../../shared/domain/procedure';
import { severity, type CheckResult, type HealthLevel } from '../../../../shared/domain/health';
import type { Said } from '../../../../shared/domain/said';
import type { Thresholds } from '../../../../shared/domain/thresholds';
import type { Unit } from '../../../../shared/domain/unit';
import type { AttemptOutcome, Plan } from '../../../../shared/ipc/contracts/procedureRuns';
import { asMessage, said, say } from '../../../../shared/domain/words';
import { AppError } from '../../../../shared/errors/AppError';
import { CHECK_MODULES } from '../../diagnostics/modules';
import { sweepUnit } from '../../diagnostics/sweep';
import type { Clock } from '../../ports/Clock';
import type { CommandChannel } from '../../transport/transport';
import { evidence } from '../gates/gates';
import type { OperationParams, OperationRegistry } from '../operations/registry';
import { buildCommand, displayLine, type BuiltCommand, type RunParams } from './commands';

/** Output kept per attempt: enough for any runbook command, bounded so one chatty command cannot bloat the history. */
export const MAX_OUTPUT_CHARS = 64 * 1024;

export function emptyOutcome(): AttemptOutcome {
  return {
    passed: null,
    level: null,
    expected: [],
    message: '',
    output: '',
    exitCode: null,
    plan: null,
    gates: [],
    overrides: [],
    choice: null,
    items: [],
    confirmed: false,
    typedConfirmation: null,
  };
}

export function clip(text: string): string {
  return text.length <= MAX_OUTPUT_CHARS
    ? text
    : `${text.slice(0, MAX_OUTPUT_CHARS)}\n… (${text.length - MAX_OUTPUT_CHARS} more characters not kept)`;
}

export type ExecuteContext = {
  unit: Unit;
  channel: CommandChannel;
  params: RunParams;
  clock: Clock;
  thresholds: Thresholds;
};

/** The plan of a check: what it will run on the unit (a check only reads). */
export function checkPlan(step: CheckStep, unit: Unit, params: RunParams): Plan {
  if ('checkId' in step) {
    const module = moduleFor(step.checkId);
    return {
      ...planSummary(say('plan.diagnosisCheck', { check: step.checkId, unit: unit.name, level: step.expect })),
      commands: module ? [{ line: `(the ${module.name} probes of the diagnosis)`, sudo: false }] : [],
      mutating: false,
      available: module !== undefined,
      unavailableReason: module ? null : `no diagnosis check is called ${step.checkId}`,
    };
  }
  const built = buildCommand(step.command, params, unit.profile);
  const effect = effectOf(built);
  return {
    ...planSummary(say('plan.run', { command: { raw: displayLine(built) }, unit: unit.name })),
    commands: [{ line: built.line, sudo: built.sudo }],
    mutating: false,
    available: !effect.mutating,
    unavailableReason: effect.mutating
      ? `a check only reads, and with these values the command changes the vehicle: ${effect.reason}`
      : null,
  };
}

/** What the command really sent does to the vehicle, judged by the workstation with the run's values in place. */
export function effectOf(built: BuiltCommand): CommandEffect {
  const [program = '', ...args] = built.argv;
  return commandEffect(program, args);
}

/**
 * Why an action whose command changes the vehicle may not run as the file declares it: it says it only reads, it
 * has no gates, or it runs whatever it is given (a shell, env) without waiting for the vehicle to stand still.
 */
function missingGuard(step: ActionStep, effect: CommandEffect): string | null {
  if (!effect.mutating) {
    return null;
  }
  if (!step.mutating) {
    return `the command changes the vehicle (${effect.reason}) but the step says it only reads: refused`;
  }
  if (step.gates.length === 0) {
    return `the command changes the vehicle (${effect.reason}) and the step has no gates: refused`;
  }
  if (effect.opaque && !step.gates.some((g) => g.gate === 'vehicle.stopped')) {
    return `${effect.reason}: it runs only behind the gate vehicle.stopped, which this step lacks`;
  }
  return null;
}

export function actionPlan(step: ActionStep, unit: Unit, params: RunParams, registry: OperationRegistry): Plan {
  if ('command' in step) {
    const built = buildCommand(step.command, params, unit.profile);
    const effect = effectOf(built);
    const refused = missingGuard(step, effect);
    return {
      ...planSummary(say('plan.run', { command: { raw: displayLine(built) }, unit: unit.name })),
      commands: [{ line: built.line, sudo: built.sudo }],
      mutating: step.mutating || effect.mutating,
      available: refused === null,
      unavailableReason: refused,
    };
  }
  return registry.plan(step.operation, unit, operationParams(step, params));
}

/** An operation step's params with {"param": name} replaced by the run's value. */
export function operationParams(step: ActionStep & { operation: string }, params: RunParams): OperationParams {
  if (!('params' in step)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(step.params).map(([key, value]) => {
      if (typeof value === 'object' && value !== null) {
        const resolved = params[value.param];
        if (resolved === undefined) {
          throw new AppError('VALIDATION', `the run has no value for the parameter "${value.param}"`);
        }
        return [key, resolved];
      }
      return [key, value];
    }),
  );
}

export type CheckExecution = { passed: boolean; outcome: AttemptOutcome };

export async function runCheck(step: CheckStep, context: ExecuteContext): Promise<CheckExecution> {
  return 'checkId' in step ? runDiagnosticCheck(step, context) : runCommandCheck(step, context);
}

function moduleFor(checkId: string) {
  return CHECK_MODULES.find((m) => m.checkIds.some((id) => checkId === id || checkId.startsWith(`${id}.`)));
}

function findCheck(checks: readonly CheckResult[], id: string): CheckResult | undefined {
  for (const check of checks) {
    if (check.id === id) {
      return check;
    }
    const child = findCheck(check.children ?? [], id);
    if (child) {
      return child;
    }
  }
  return undefined;
}

/** Levels that meet an expectation: the level itself or a better one (STALE never passes). */
export function levelsMeeting(expect: HealthLevel): HealthLevel[] {
  return (['OK', 'WARN', 'ERROR'] as const).filter((level) => severity(level) <= severity(expect));
}

async function runDiagnosticCheck(step: DiagnosticCheckStep, context: ExecuteContext): Promise<CheckExecution> {
  const plan = checkPlan(step, context.unit, context.params);
  const module = moduleFor(step.checkId);
  const expected = levelsMeeting(step.expect);
  if (!module) {
    return {
      passed: false,
      outcome: { ...emptyOutcome(), plan, expected, message: plan.unavailableReason ?? '' },
    };
  }
  const { checks } = await sweepUnit(context.unit, context.channel, {
    thresholds: context.thresholds,
    clock: context.clock,
    modules: [module],
  });
  const check = findCheck(checks, step.checkId);
  if (!check) {
    return {
      passed: false,
      outcome: {
        ...emptyOutcome(),
        plan,
        expected,
        ...said('step.notReported', { check: step.checkId }),
        output: clip(checks.map((c) => `${c.id}: ${c.level} ${c.message}`).join('\n')),
      },
    };
  }
  const passed = expected.includes(check.level);
  return {
    passed,
    outcome: {
      ...emptyOutcome(),
      plan,
      passed,
      level: check.level,
      expected,
      ...said('step.checkIs', { check: check.id, level: check.level, message: check.say ?? { raw: check.message } }),
      output: clip(check.evidence),
    },
  };
}

async function runCommandCheck(step: CommandCheckStep, context: ExecuteContext): Promise<CheckExecution> {
  const built = buildCommand(step.command, context.params, context.unit.profile);
  const plan = checkPlan(step, context.unit, context.params);
  if (!plan.available) {
    return {
      passed: false,
      outcome: { ...emptyOutcome(), plan, ...unavailable(plan.unavailableReason, 'step.refused') },
    };
  }
  const result = await context.channel.exec(built.line, { timeoutMs: built.timeoutMs, sudo: built.sudo });
  const expect = step.expect;
  const problems: Said[] = [];
  const judgesOutput = expect.stdoutMatches !== undefined || expect.stdoutLacks !== undefined;
  const wanted = expect.exitCode ?? (judgesOutput ? undefined : 0);
  const wantedExit = wanted === undefined ? undefined : [wanted].flat();
  if (wantedExit !== undefined && (result.exitCode === null || !wantedExit.includes(result.exitCode))) {
    // The codes as numbers, joined by a slash: the same in every language.
    problems.push(say('step.exitWas', { exit: result.exitCode ?? '?', wanted: wantedExit.join('/') }));
  }
  if (expect.stdoutMatches !== undefined && !new RegExp(expect.stdoutMatches).test(result.stdout)) {
    problems.push(say('step.outputNoMatch', { pattern: { raw: expect.stdoutMatches } }));
  }
  if (expect.stdoutLacks !== undefined && new RegExp(expect.stdoutLacks).test(result.stdout)) {
    problems.push(say('step.outputMatches', { pattern: { raw: expect.stdoutLacks } }));
  }
  const passed = problems.length === 0;
  return {
    passed,
    outcome: {
      ...emptyOutcome(),
      plan,
      passed,
      exitCode: result.exitCode,
      expected: describeExpect(wantedExit, expect.stdoutMatches, expect.stdoutLacks),
      ...(passed
        ? said('step.asExpected', { command: { raw: displayLine(built) } })
        : said('step.notAsExpected', { command: { raw: displayLine(built) }, problems: { list: problems, by: '; ' } })),
      output: clip(evidence(displayLine(built), result)),
    },
  };
}

function describeExpect(exit: number[] | undefined, matches: string | undefined, lacks: string | undefined): string[] {
  return [
    ...(exit === undefined ? [] : [`exit ${exitCodes(exit)}`]),
    ...(matches === undefined ? [] : [`output matches /${matches}/`]),
    ...(lacks === undefined ? [] : [`output lacks /${lacks}/`]),
  ];
}

/** A plan's line in English (kept in the run and the audit log) and as words for each face. */
export function planSummary(words: Said): { summary: string; summarySay: Said } {
  const { message, say: kept } = asMessage(words);
  return { summary: message, summarySay: kept };
}

export type ActionExecution = { ok: boolean; exitCode: number | null; message: string; say?: Said; output: string };

/**
 * Why a step could not be done, as its plan says it (the plan's reason is the core's English, shown as it is), or
 * in words when the plan gives none.
 */
export function unavailable(
  reason: string | null,
  otherwise: 'step.refused' | 'step.notAvailable',
): {
  message: string;
  say?: Said;
} {
  return reason === null ? said(otherwise) : { message: reason };
}

/** Does the action. Only called after the plan was shown, the step confirmed and its gates read green (or overridden). */
export async function runAction(
  step: ActionStep,
  context: ExecuteContext,
  registry: OperationRegistry,
  actor: string,
): Promise<ActionExecution> {
  if ('command' in step) {
    const built = buildCommand(step.command, context.params, context.unit.profile);
    const refused = missingGuard(step, effectOf(built));
    if (refused !== null) {
      throw new AppError('PRECONDITION_FAILED', refused);
    }
    const result = await context.channel.exec(built.line, { timeoutMs: built.timeoutMs, sudo: built.sudo });
    const ok = result.exitCode === 0;
    return {
      ok,
      exitCode: result.exitCode,
      ...(ok
        ? said('step.done', { command: { raw: displayLine(built) } })
        : said('step.failedExit', { command: { raw: displayLine(built) }, exit: result.exitCode ?? '?' })),
      output: clip(evidence(displayLine(built), result)),
    };
  }
  const operation = registry.get(step.operation);
  if (!operation) {
    throw new AppError('PRECONDITION_FAILED', registry.plan(step.operation, context.unit, {}).unavailableReason ?? '');
  }
  const result = await operation.run({
    unit: context.unit,
    channel: context.channel,
    params: operationParams(step, context.params),
    actor,
  });
  return { ...result, output: clip(result.output) };
}
