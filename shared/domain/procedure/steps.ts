import { z } from 'zod';

import { CommandExpectSchema, CommandSchema } from './commands';
import { GateEntrySchema, OPERATION_NAMES, OperationValueSchema, type OperationName } from './operations';
import { dispatch, isObject } from './schemaDispatch';
import { CheckIdSchema, LocalizedTextSchema, NextSchema, STEP_KINDS, StepIdSchema } from './vocabulary';

/** The seven kinds of step a procedure is made of, and the schema that tells them apart by their kind. */

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
