import { z } from 'zod';

import { commandEffect, type CommandEffect } from './commandEffect';
import { DEFAULT_VEHICLE_PROFILE } from './unit';

/**
 * A procedure file (resources/procedures/*.json, or an edited version in <dataDir>/procedures/): one section of
 * the vehicle team's runbook as guided steps. resources/procedures/README.md documents the format for the people who
 * write them. Everything a file says is checked here, at load, so that a run never meets a step it cannot execute:
 * unknown step kinds, missing translations, shell text in a command, steps that jump nowhere, mutating steps without
 * live preconditions are all refused with the place in the file and the reason.
 */

export const PROCEDURE_CATEGORIES = [
  'emergency',
  'routine',
  'troubleshooting',
  'alerts',
  'security',
  'recovery',
  'escalation',
  'checklist',
] as const;
export const ProcedureCategorySchema = z.enum(PROCEDURE_CATEGORIES);
export type ProcedureCategory = z.infer<typeof ProcedureCategorySchema>;

export const STEP_KINDS = ['info', 'check', 'action', 'manual', 'decision', 'checklist', 'escalate'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * Live preconditions of a mutating step, evaluated just before it runs (and recorded):
 * estop.released: the hardware E-Stop input reads released; vehicle.stopped: the vehicle is not moving;
 * firmware.stopped / backend.stopped: that service is not running; unit.reachable: the unit answers over SSH.
 */
export const GATE_NAMES = [
  'estop.released',
  'vehicle.stopped',
  'firmware.stopped',
  'backend.stopped',
  'unit.reachable',
] as const;
export const GateNameSchema = z.enum(GATE_NAMES);
export type GateName = z.infer<typeof GateNameSchema>;

/**
 * Gates no file can make overridable: the vehicle standing still, the E-Stop input, and the firmware stopped before
 * the workstation becomes the RS485 bus's master (two masters on one bus garble the E-Stop module's frames).
 */
export const NEVER_OVERRIDABLE_GATES: readonly GateName[] = ['vehicle.stopped', 'estop.released', 'firmware.stopped'];

/** Values of the unit's vehicle profile a command may use (service names and ports differ between builds). */
export const PROFILE_KEYS = [
  'backendService',
  'firmwareService',
  'backendPort',
  'firmwarePort',
  'installDir',
  'estopGpioPath',
] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** The `next` that ends the run. */
export const END_OF_PROCEDURE = 'end';

const ID_PATTERN = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
const CHECK_ID_PATTERN = /^[a-z][a-z0-9]*(?:[.-][a-zA-Z0-9]+)*$/;
/** What makes text "shell text" rather than a value: expansions and command substitution. */
const SHELL_TEXT = /\$\{|\$\(|`/;
export const UNQUOTED_PARAMETER =
  'a command with an unquoted parameter: shell text (${…}, $(…) or backticks) is not allowed; use {"param": "name"}';

function requiredText(what: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `missing ${what}` : `${what} must be text`) })
    .trim()
    .min(1, `missing ${what}`);
}

/** Every text a technician reads, in English and Vietnamese; a missing translation is an error. */
export const LocalizedTextSchema = z
  .object(
    {
      en: requiredText('English text (en)'),
      vi: requiredText('Vietnamese translation (vi)'),
    },
    { error: (issue) => (issue.input === undefined ? 'missing text' : 'must be {"en": …, "vi": …}') },
  )
  .strict();
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
export type Language = keyof LocalizedText;

const StepIdSchema = z
  .string()
  .regex(ID_PATTERN, 'a step id is lower-case letters, digits, dots and dashes, starting with a letter');
/** Where to go next: a step id of the same procedure, or "end". */
const NextSchema = z.string().refine((v) => v === END_OF_PROCEDURE || ID_PATTERN.test(v), {
  message: 'next is a step id or "end"',
});
export const CheckIdSchema = z
  .string()
  .regex(CHECK_ID_PATTERN, 'a diagnostic check id such as services.backend or resources.disk');

const RegexTextSchema = z
  .string()
  .min(1)
  .refine(
    (text) => {
      try {
        new RegExp(text);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a valid regular expression' },
  );

// ---------------------------------------------------------------- parameters and commands

export const PARAMETER_TYPES = ['text', 'integer', 'ipv4', 'host', 'path'] as const;

export const ParameterSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'a parameter name is camelCase letters and digits'),
    label: LocalizedTextSchema,
    type: z.enum(PARAMETER_TYPES),
    required: z.boolean().default(true),
    default: z.union([z.string(), z.number()]).optional(),
    /** Extra constraint on the value the technician gives (a whole-value match). */
    pattern: RegexTextSchema.optional(),
  })
  .strict();
export type ProcedureParameter = z.infer<typeof ParameterSchema>;

/** The value of a parameter of the procedure, passed as one argument (never through a shell). */
export const ParamRefSchema = z.object({ param: z.string().min(1) }).strict();
export type ParamRef = z.infer<typeof ParamRefSchema>;
/** A value of the unit's vehicle profile, e.g. its firmware service name. */
export const ProfileRefSchema = z.object({ profile: z.enum(PROFILE_KEYS) }).strict();
export type ProfileRef = z.infer<typeof ProfileRefSchema>;

const LiteralArgSchema = z.string().refine((text) => !SHELL_TEXT.test(text), { message: UNQUOTED_PARAMETER });

export type ArgPart = string | ParamRef | ProfileRef;
/** One argument: a literal, a reference, or several parts joined into ONE argument (e.g. ["sport = :", {profile}]). */
export type CommandArg = ArgPart | ArgPart[];

const ArgPartSchema: z.ZodType<ArgPart, unknown> = dispatch<ArgPart>((input) => {
  if (typeof input === 'string') {
    return LiteralArgSchema;
  }
  if (isObject(input) && 'param' in input) {
    return ParamRefSchema;
  }
  if (isObject(input) && 'profile' in input) {
    return ProfileRefSchema;
  }
  return 'an argument is text, {"param": name} or {"profile": key}';
});

const ArgSchema: z.ZodType<CommandArg, unknown> = dispatch<CommandArg>((input) =>
  Array.isArray(input) ? z.array(ArgPartSchema).min(1, 'an argument made of parts needs at least one') : ArgPartSchema,
);

/**
 * A program run on the unit through the SSH transport with its arguments quoted one by one; nothing is ever pasted
 * into shell text. `sudo` runs it through `sudo -n`.
 */
export const CommandSchema = z
  .object({
    program: z
      .string()
      .regex(
        /^(?:[A-Za-z0-9_.+-]+|\/[A-Za-z0-9_./+-]+)$/,
        'a program is a name or an absolute path, without spaces or shell syntax',
      ),
    args: z.array(ArgSchema).default([]),
    sudo: z.boolean().default(false),
    timeoutS: z.number().int().min(1).max(3600).optional(),
  })
  .strict();
export type ProcedureCommand = z.infer<typeof CommandSchema>;

const ExitCodeSchema = z.number().int().min(0).max(255);

/**
 * What a command check expects: its exit code (0 when nothing at all is said) and/or text in its output. The patterns
 * are JavaScript regular expressions searched in stdout with the `m` flag (^ and $ match at line ends). A list of
 * exit codes accepts any of them: a read whose program says "found nothing" with its status (grep and `journalctl
 * --grep` exit 1, `systemctl status` of a stopped unit 3) still reads the vehicle as it is.
 */
export const CommandExpectSchema = z
  .object({
    exitCode: z.union([ExitCodeSchema, z.array(ExitCodeSchema).min(1)]).optional(),
    stdoutMatches: RegexTextSchema.optional(),
    stdoutLacks: RegexTextSchema.optional(),
  })
  .strict();
export type CommandExpect = z.infer<typeof CommandExpectSchema>;

/** Exit codes as said to a technician: "0", or "0 or 1" for a list. */
export function exitCodes(codes: readonly number[]): string {
  return codes.length <= 1 ? String(codes[0] ?? '') : `${codes.slice(0, -1).join(', ')} or ${String(codes.at(-1))}`;
}

// ---------------------------------------------------------------- gates and operations

export const GateSchema = z
  .object({
    gate: GateNameSchema,
    /** Whether a technician may run the step anyway while this gate is red (the override names who and why). */
    overridable: z.boolean().default(false),
  })
  .strict();
export type Gate = z.infer<typeof GateSchema>;

/** A gate written as its bare name ("vehicle.stopped") means a gate that cannot be overridden. */
const GateEntrySchema: z.ZodType<Gate, unknown> = dispatch<Gate>((input) =>
  typeof input === 'string' ? GateNameSchema.transform((gate) => ({ gate, overridable: false })) : GateSchema,
);

const OperationValueSchema = z.union([z.string(), z.number(), z.boolean(), ParamRefSchema]);
/** A systemd unit: "backend" and "firmware" mean the unit's own services as its profile names them. */
const ServiceParamsSchema = z
  .object({ service: z.string().regex(/^[A-Za-z0-9@._-]+$/, 'a systemd unit name, or "backend" / "firmware"') })
  .strict();
const BackupScopeSchema = z.enum(['config', 'data', 'full', 'incident']);

/**
 * The core operations a step may call instead of a command, with what each must declare: whether it changes the
 * vehicle, the live preconditions it cannot run without, and whether the technician types the unit's name first.
 */
export const OPERATIONS = {
  'service.start': { mutating: true, gates: ['vehicle.stopped'], destructive: false, params: ServiceParamsSchema },
  'service.stop': { mutating: true, gates: ['vehicle.stopped'], destructive: false, params: ServiceParamsSchema },
  'service.restart': { mutating: true, gates: ['vehicle.stopped'], destructive: false, params: ServiceParamsSchema },
  'service.enable': { mutating: true, gates: ['unit.reachable'], destructive: false, params: ServiceParamsSchema },
  /** A backup of the unit taken to the workstation (config: /opt/oht50/config, /etc/oht50, .env; data: + database). */
  'backup.unit': {
    mutating: false,
    gates: [],
    destructive: false,
    params: z.object({ scope: BackupScopeSchema }).strict(),
  },
  /** Restores a backup onto the unit; `backup` names one (a parameter), else the technician picks it. */
  'restore.unit': {
    mutating: true,
    gates: ['vehicle.stopped', 'backend.stopped', 'firmware.stopped'],
    destructive: true,
    params: z
      .object({ scope: z.enum(['config', 'data', 'full']), backup: z.union([z.string(), ParamRefSchema]).optional() })
      .strict(),
  },
  /** The firmware's ESTOP → IDLE reset; the hardware pin must read released. */
  'estop.reset': { mutating: true, gates: ['estop.released'], destructive: false, params: z.object({}).strict() },
  /** Scans the RS485 bus as its master; the vehicle's firmware polls the same bus, so it must be stopped. */
  'rs485.scan': {
    mutating: true,
    gates: ['firmware.stopped'],
    destructive: false,
    params: z
      .object({ from: z.number().int().min(1).max(247).optional(), to: z.number().int().min(1).max(247).optional() })
      .strict(),
  },
} as const satisfies Record<
  string,
  { mutating: boolean; gates: readonly GateName[]; destructive: boolean; params: z.ZodType }
>;
export type OperationName = keyof typeof OPERATIONS;
export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

// ---------------------------------------------------------------- steps

const stepBase = {
  id: StepIdSchema,
  title: LocalizedTextSchema,
  /** Longer explanation shown under the title. */
  detail: LocalizedTextSchema.optional(),
  /** Where to go after this step; by default the following step (the end after the last one). */
  next: NextSchema.optional(),
};

export const InfoStepSchema = z.object({ ...stepBase, kind: z.literal('info') }).strict();

/** Runs one check of the diagnosis; passes when its level is `expect` or better (WARN passes OK and WARN). */
export const DiagnosticCheckStepSchema = z
  .object({
    ...stepBase,
    kind: z.literal('check'),
    checkId: CheckIdSchema,
    expect: z.enum(['OK', 'WARN', 'ERROR']),
    /** Where to go when the expectation is not met; by default the run stops at the step for the technician. */
    onFail: NextSchema.optional(),
  })
  .strict();

/** Runs a read-only command and judges its exit code and output. */
export const CommandCheckStepSchema = z
  .object({
    ...stepBase,
    kind: z.literal('check'),
    command: CommandSchema,
    expect: CommandExpectSchema.default({}),
    onFail: NextSchema.optional(),
  })
  .strict();

const actionBase = {
  ...stepBase,
  kind: z.literal('action'),
  /** Changes the vehicle: needs at least one gate. */
  mutating: z.boolean({ error: 'say whether the action changes the vehicle (mutating: true or false)' }),
  /** The technician types the unit's name before it runs. */
  destructive: z.boolean().default(false),
  gates: z.array(GateEntrySchema).default([]),
};

export const CommandActionStepSchema = z.object({ ...actionBase, command: CommandSchema }).strict();

export const OperationActionStepSchema = z
  .object({
    ...actionBase,
    operation: z.enum(OPERATION_NAMES as [OperationName, ...OperationName[]]),
    params: z.record(z.string(), OperationValueSchema).default({}),
  })
  .strict();

const EvidenceSchema = z.enum(['none', 'optional', 'required']);

/** Something the technician does or looks at and confirms, with an optional note and photo or file. */
export const ManualStepSchema = z
  .object({
    ...stepBase,
    kind: z.literal('manual'),
    /** The statement the technician confirms; the title when absent. */
    confirm: LocalizedTextSchema.optional(),
    note: EvidenceSchema.default('optional'),
    attachment: EvidenceSchema.default('optional'),
  })
  .strict();

export const DecisionOptionSchema = z
  .object({ id: StepIdSchema, label: LocalizedTextSchema, next: NextSchema })
  .strict();

export const DecisionStepSchema = z
  .object({
    ...stepBase,
    kind: z.literal('decision'),
    question: LocalizedTextSchema,
    options: z.array(DecisionOptionSchema).min(2, 'a decision needs at least two options'),
  })
  .strict();

export const ChecklistItemSchema = z
  .object({
    id: StepIdSchema,
    text: LocalizedTextSchema,
    required: z.boolean().default(true),
    note: EvidenceSchema.default('optional'),
    attachment: EvidenceSchema.default('optional'),
  })
  .strict();

/** Items the technician answers one by one (done / not done / not applicable), signed at the end of the run. */
export const ChecklistStepSchema = z
  .object({
    ...stepBase,
    kind: z.literal('checklist'),
    items: z.array(ChecklistItemSchema).min(1, 'a checklist needs at least one item'),
  })
  .strict();

/**
 * Hands the problem up the escalation matrix: shows that level's contacts (from settings) and records the level
 * reached; a run that passed an escalate step ends "escalated" with the highest level.
 */
export const EscalateStepSchema = z
  .object({
    ...stepBase,
    kind: z.literal('escalate'),
    level: z.number().int().min(1).max(4),
    reason: LocalizedTextSchema.optional(),
  })
  .strict();

export type InfoStep = z.infer<typeof InfoStepSchema>;
export type DiagnosticCheckStep = z.infer<typeof DiagnosticCheckStepSchema>;
export type CommandCheckStep = z.infer<typeof CommandCheckStepSchema>;
export type CheckStep = DiagnosticCheckStep | CommandCheckStep;
export type CommandActionStep = z.infer<typeof CommandActionStepSchema>;
export type OperationActionStep = z.infer<typeof OperationActionStepSchema>;
export type ActionStep = CommandActionStep | OperationActionStep;
export type ManualStep = z.infer<typeof ManualStepSchema>;
export type DecisionStep = z.infer<typeof DecisionStepSchema>;
export type ChecklistStep = z.infer<typeof ChecklistStepSchema>;
export type EscalateStep = z.infer<typeof EscalateStepSchema>;
export type ProcedureStep =
  InfoStep | CheckStep | ActionStep | ManualStep | DecisionStep | ChecklistStep | EscalateStep;

/** A step, by its kind; a check or an action by which of its two forms it has. */
export const StepSchema: z.ZodType<ProcedureStep, unknown> = dispatch<ProcedureStep>((input) => {
  if (!isObject(input)) {
    return 'a step is an object';
  }
  const kind = input['kind'];
  switch (kind) {
    case 'info':
      return InfoStepSchema;
    case 'check':
      if ('checkId' in input) {
        return DiagnosticCheckStepSchema;
      }
      if ('command' in input) {
        return CommandCheckStepSchema;
      }
      return 'a check step names a diagnostic check (checkId) or a command';
    case 'action':
      if ('operation' in input) {
        return OperationActionStepSchema;
      }
      if ('command' in input) {
        return CommandActionStepSchema;
      }
      return 'an action step has a command or an operation';
    case 'manual':
      return ManualStepSchema;
    case 'decision':
      return DecisionStepSchema;
    case 'checklist':
      return ChecklistStepSchema;
    case 'escalate':
      return EscalateStepSchema;
    case undefined:
      return { reason: `a step needs a kind (${STEP_KINDS.join(', ')})`, at: 'kind' };
    default:
      return { reason: `unknown step kind ${JSON.stringify(kind)} (known: ${STEP_KINDS.join(', ')})`, at: 'kind' };
  }
});

// ---------------------------------------------------------------- the procedure

export const ProcedureIdSchema = z
  .string()
  .regex(ID_PATTERN, 'a procedure id is lower-case letters, digits, dots and dashes, e.g. emergency.estop');

const ProcedureShapeSchema = z
  .object({
    id: ProcedureIdSchema,
    /** 1 for a shipped procedure as first written; every saved edit is the next integer. */
    version: z.number().int().min(1),
    category: ProcedureCategorySchema,
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    /** The runbook section this procedure turns into steps, as the diagnosis names it (e.g. "Emergency › 2. E-Stop Triggered – Safety Response"). */
    runbook: z.string().trim().min(1, 'name the runbook section this procedure comes from'),
    /** Diagnostic check ids this procedure handles; an id also covers its children (resources.disk → resources.disk.logs). */
    handlesChecks: z.array(CheckIdSchema).default([]),
    parameters: z.array(ParameterSchema).default([]),
    steps: z.array(StepSchema).min(1, 'a procedure needs at least one step'),
    /** Who saved this version, when and why; set by the workstation when an edit is saved. */
    revision: z
      .object({ by: z.string().min(1), at: z.string().min(1), note: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();

export const ProcedureSchema = ProcedureShapeSchema.superRefine((procedure, ctx) => {
  for (const problem of crossCheck(procedure)) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path, input: undefined });
  }
});
export type Procedure = z.output<typeof ProcedureSchema>;
export type ProcedureInput = z.input<typeof ProcedureSchema>;

// ---------------------------------------------------------------- whole-file rules

type Problem = { path: (string | number)[]; message: string };

/** Rules that span fields: unique ids, jumps that land, parameters that exist, gates where the vehicle changes. */
function crossCheck(procedure: z.output<typeof ProcedureShapeSchema>): Problem[] {
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  procedure.steps.forEach((step, i) => {
    const seen = firstIndex.get(step.id);
    if (seen === undefined) {
      firstIndex.set(step.id, i);
    } else {
      problems.push({ path: ['steps', i, 'id'], message: `duplicate step id "${step.id}" (also steps[${seen}])` });
    }
  });
  const landing = (target: string | undefined, path: (string | number)[]) => {
    if (target !== undefined && target !== END_OF_PROCEDURE && !firstIndex.has(target)) {
      problems.push({ path, message: `dangling next: no step "${target}" in this procedure` });
    }
  };

  const paramNames = new Set<string>();
  procedure.parameters.forEach((parameter, i) => {
    if (paramNames.has(parameter.name)) {
      problems.push({ path: ['parameters', i, 'name'], message: `duplicate parameter "${parameter.name}"` });
    }
    paramNames.add(parameter.name);
  });
  const paramUsed = (ref: unknown, path: (string | number)[]) => {
    if (isObject(ref) && typeof ref['param'] === 'string' && !paramNames.has(ref['param'])) {
      problems.push({ path, message: `parameter "${ref['param']}" is not declared in parameters` });
    }
  };
  const commandParams = (command: ProcedureCommand, path: (string | number)[]) => {
    command.args.forEach((arg, a) => {
      if (Array.isArray(arg)) {
        arg.forEach((part, p) => paramUsed(part, [...path, 'args', a, p]));
      } else {
        paramUsed(arg, [...path, 'args', a]);
      }
    });
  };

  let checklistSteps = 0;
  procedure.steps.forEach((step, i) => {
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
    landing(step.next, at('next'));
    switch (step.kind) {
      case 'check':
        landing(step.onFail, at('onFail'));
        if ('command' in step) {
          commandParams(step.command, at('command'));
          const effect = procedureCommandEffect(step.command);
          if (effect.mutating) {
            problems.push({
              path: at('command'),
              message: `a check only reads, and this command changes the vehicle: ${effect.reason} (make it an action with gates)`,
            });
          }
        }
        break;
      case 'decision':
        uniqueIds(step.options, at('options'), 'option', problems);
        step.options.forEach((option, o) => landing(option.next, at('options', o, 'next')));
        break;
      case 'checklist':
        checklistSteps += 1;
        uniqueIds(step.items, at('items'), 'item', problems);
        break;
      case 'action':
        problems.push(...actionProblems(step, at));
        if ('command' in step) {
          commandParams(step.command, at('command'));
        } else {
          Object.entries(step.params).forEach(([key, value]) => paramUsed(value, at('params', key)));
        }
        break;
      default:
        break;
    }
  });
  if (procedure.category === 'checklist' && checklistSteps === 0) {
    problems.push({ path: ['steps'], message: 'a checklist procedure needs at least one checklist step' });
  }
  return problems;
}

function actionProblems(step: ActionStep, at: (...rest: (string | number)[]) => (string | number)[]): Problem[] {
  const problems: Problem[] = [];
  const gates = new Set(step.gates.map((g) => g.gate));
  step.gates.forEach((gate, g) => {
    if (gate.overridable && NEVER_OVERRIDABLE_GATES.includes(gate.gate)) {
      problems.push({
        path: at('gates', g, 'overridable'),
        message: `${NEVER_OVERRIDABLE_GATES.join(', ')} can never be overridden`,
      });
    }
  });
  if (step.mutating && step.gates.length === 0) {
    problems.push({
      path: at('gates'),
      message: 'a mutating step without gates: declare the live preconditions it needs (e.g. "vehicle.stopped")',
    });
  }
  if ('operation' in step) {
    const rule = OPERATIONS[step.operation];
    if (rule.mutating && !step.mutating) {
      problems.push({ path: at('mutating'), message: `${step.operation} changes the vehicle: mutating must be true` });
    }
    if (rule.destructive && !step.destructive) {
      problems.push({
        path: at('destructive'),
        message: `${step.operation} cannot be undone: destructive must be true (the technician types the unit's name)`,
      });
    }
    for (const gate of rule.gates) {
      if (!gates.has(gate)) {
        problems.push({ path: at('gates'), message: `${step.operation} needs the gate "${gate}"` });
      }
    }
    const params = rule.params.safeParse(step.params);
    if (!params.success) {
      for (const issue of params.error.issues) {
        problems.push({ path: at('params', ...issue.path.map(pathKey)), message: issue.message });
      }
    }
  } else {
    const effect = procedureCommandEffect(step.command);
    if (effect.mutating && !step.mutating) {
      problems.push({
        path: at('mutating'),
        message: `the workstation judges this command as changing the vehicle (${effect.reason}): mutating must be true, with its gates`,
      });
    }
    if (changesServiceState(step.command) && !gates.has('vehicle.stopped')) {
      problems.push({ path: at('gates'), message: 'starting or stopping a service needs the gate "vehicle.stopped"' });
    } else if (effect.mutating && effect.opaque && !gates.has('vehicle.stopped')) {
      problems.push({ path: at('gates'), message: `${effect.reason}: it needs the gate "vehicle.stopped"` });
    }
  }
  return problems;
}

/**
 * What a procedure's command does to the vehicle as the workstation judges it (commandEffect). A parameter counts as
 * an unknown value that is not an option, a profile reference as the runbook's value; the runner judges the command
 * again with the run's real values before it sends it.
 */
export function procedureCommandEffect(command: ProcedureCommand): CommandEffect {
  const part = (p: ArgPart): string =>
    typeof p === 'string' ? p : 'param' in p ? 'value' : String(DEFAULT_VEHICLE_PROFILE[p.profile]);
  const args = command.args.map((arg) => (Array.isArray(arg) ? arg.map(part).join('') : part(arg)));
  return commandEffect(command.program, args);
}

/** systemctl start/stop/restart/… (and `service x restart`): commands that the gates must guard like operations do. */
function changesServiceState(command: ProcedureCommand): boolean {
  const verbs = new Set(['start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'kill', 'isolate']);
  const literals = command.args.filter((a): a is string => typeof a === 'string');
  if (command.program === 'systemctl' || command.program.endsWith('/systemctl')) {
    return literals.some((a) => verbs.has(a));
  }
  if (command.program === 'service') {
    return literals.slice(1).some((a) => verbs.has(a));
  }
  return false;
}

function uniqueIds(list: readonly { id: string }[], path: (string | number)[], what: string, problems: Problem[]) {
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    if (seen.has(entry.id)) {
      problems.push({ path: [...path, i, 'id'], message: `duplicate ${what} id "${entry.id}"` });
    }
    seen.add(entry.id);
  });
}

// ---------------------------------------------------------------- parsing with reasons

export type ProcedureProblem = { path: string; message: string };

export type ProcedureParse = { ok: true; procedure: Procedure } | { ok: false; problems: ProcedureProblem[] };

/** Validates a parsed JSON value; every problem says where in the file (a JSON path) and why. */
export function parseProcedure(input: unknown): ProcedureParse {
  const result = ProcedureSchema.safeParse(input);
  if (result.success) {
    return { ok: true, procedure: result.data };
  }
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
  };
}

/** "$.steps[3].command.args[1]" for the path of an issue. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`),
    '$',
  );
}

// ---------------------------------------------------------------- helpers for the library and the runner

/** Whether a procedure's handlesChecks entry covers a check id: the id itself or one of its children. */
export function coversCheck(pattern: string, checkId: string): boolean {
  return checkId === pattern || checkId.startsWith(`${pattern}.`);
}

/** The step a run goes to after `index` when nothing branches: its `next`, else the following step, else the end. */
export function defaultNext(procedure: Procedure, index: number): string {
  const step = procedure.steps[index];
  if (step?.next !== undefined) {
    return step.next;
  }
  return procedure.steps[index + 1]?.id ?? END_OF_PROCEDURE;
}

/** A command as a technician reads it, references shown as <param> and {profile}. Display only, never executed. */
export function describeCommand(command: ProcedureCommand): string {
  const part = (p: ArgPart): string => (typeof p === 'string' ? p : 'param' in p ? `<${p.param}>` : `{${p.profile}}`);
  const args = command.args.map((arg) => {
    const text = Array.isArray(arg) ? arg.map(part).join('') : part(arg);
    return /^[A-Za-z0-9_./:=@%+,<>{}-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
  });
  return [...(command.sudo ? ['sudo'] : []), command.program, ...args].join(' ');
}

// ---------------------------------------------------------------- internals

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pathKey(part: PropertyKey): string | number {
  return typeof part === 'number' ? part : String(part);
}

/**
 * A schema that picks the schema to apply from the input itself (or refuses it with a reason), so that an unknown
 * step kind is reported as such rather than as the failures of every kind it is not.
 */
function dispatch<T>(
  pick: (input: unknown) => z.ZodType<T> | string | { reason: string; at: string },
): z.ZodType<T, unknown> {
  return z.unknown().transform((input, ctx): T => {
    const schema = pick(input);
    if (typeof schema === 'string') {
      ctx.issues.push({ code: 'custom', message: schema, input });
      return z.NEVER;
    }
    if ('reason' in schema) {
      ctx.issues.push({ code: 'custom', message: schema.reason, input, path: [schema.at] });
      return z.NEVER;
    }
    const result = schema.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.issues.push({ code: 'custom', message: issue.message, input: issue.input, path: issue.path.map(pathKey) });
      }
      return z.NEVER;
    }
    return result.data;
  });
}

// ---------------------------------------------------------------- the escalation matrix

/** Someone to call at a level; the workstation ships none, the team sets them in settings. */
export const EscalationContactSchema = z
  .object({
    name: z.string().trim().min(1, 'a contact has a name').max(100),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ().-]{2,29}$/, 'a phone number: digits, spaces, dashes, an optional leading +')
      .optional(),
    email: z.email('an e-mail address').optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine((c) => c.phone !== undefined || c.email !== undefined, {
    message: 'a contact needs a phone number or an e-mail address',
  });
export type EscalationContact = z.infer<typeof EscalationContactSchema>;

export const EscalationLevelSchema = z
  .object({
    level: z.number().int().min(1).max(4),
    role: LocalizedTextSchema,
    responseMinutes: z.number().int().min(1).max(10_080),
    actions: LocalizedTextSchema,
    contacts: z.array(EscalationContactSchema).max(20),
  })
  .strict();
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

export const EscalationMatrixSchema = z.object({
  levels: z
    .array(EscalationLevelSchema)
    .length(4, 'the matrix has the four levels of the runbook')
    .refine((levels) => levels.every((l, i) => l.level === i + 1), {
      message: 'levels are 1, 2, 3 and 4, in order',
    }),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type EscalationMatrix = z.infer<typeof EscalationMatrixSchema>;
