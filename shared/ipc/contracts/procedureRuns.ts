import { z } from 'zod';

import { HealthLevelSchema } from '../../domain/health';
import { LogbookLanguageSchema } from '../../domain/logbook';
import { SaidSchema } from '../../domain/said';
import { GATE_NAMES, GateNameSchema, STEP_KINDS, type GateName } from '../../domain/procedure';
import { UnitNameSchema } from '../../domain/unit';

/**
 * Procedure runs: the calls that start, step through, end, sign and report a run of a procedure on one or more
 * units, and `audit.verify`. contracts/procedures.ts spreads these into the procedures feature's slice.
 *
 * A run advances one step at a time, and only by an explicit `procedures.run.step` naming the step it answers (a
 * stale screen cannot answer the wrong step). An action shows its plan (exactly what it will run) before it runs;
 * its gates are evaluated live on the unit just before it runs, and recorded; a red gate blocks it unless the
 * procedure allows an override and the answer names who overrides and why; a destructive step needs the unit's
 * name typed. A step cut off mid-action (lost link, closed app) is shown as interrupted and runs again only when
 * confirmed again. A signed run can no longer change, and its record joins the audit hash chain.
 */

/** Text in every language the procedure has, by language code ("en", "vi"). */
export const LocalizedTextSchema = z.record(z.string(), z.string());
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const RunIdSchema = z.string().min(1).max(64);
export const StepIdSchema = z.string().min(1).max(128);

export const RUN_STATES = ['running', 'completed', 'aborted', 'escalated'] as const;
export const RunStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunStateSchema>;

export { STEP_KINDS };
export const StepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKindSchema>;

/** The live preconditions: the procedure schema's gates, by the same names. */
export const GATE_IDS = GATE_NAMES;
export const GateIdSchema = GateNameSchema;
export type GateId = GateName;

/** One live reading of a gate on one unit: green lets the step run, red blocks it. */
export const GateEvaluationSchema = z.object({
  gate: GateIdSchema,
  unit: z.string(),
  status: z.enum(['green', 'red']),
  /** What was read, in words ("gpio59 reads 1: released"). */
  reading: z.string(),
  /** The reading as words, said in the reader's language (absent in runs recorded before they were kept). */
  say: SaidSchema.optional(),
  /** The command as sent and what the vehicle printed. */
  evidence: z.string(),
  at: z.string(),
});
export type GateEvaluation = z.infer<typeof GateEvaluationSchema>;

/** A red gate passed anyway, where the procedure allows it: who decided and why. */
export const GateOverrideSchema = z.object({
  gate: GateIdSchema,
  by: z.string().trim().min(1, 'an override names who decides it'),
  reason: z.string().trim().min(3, 'an override says why'),
});
export type GateOverride = z.infer<typeof GateOverrideSchema>;

/** Exactly what an action or check will do on the unit, shown before it is done. */
export const PlanSchema = z.object({
  /** One line a person reads ("restart oht50-firmware through systemctl"). */
  summary: z.string(),
  /** The line as words, said in the reader's language (absent in runs recorded before they were kept). */
  summarySay: SaidSchema.optional(),
  /** Each command as it will be sent (arguments quoted), or each request of an operation. */
  commands: z.array(z.object({ line: z.string(), sudo: z.boolean() })),
  mutating: z.boolean(),
  /** False when the operation cannot be done by this build (e.g. backups not installed); reason says why. */
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
});
export type Plan = z.infer<typeof PlanSchema>;

export const EvidenceSchema = z.object({
  kind: z.enum(['note', 'attachment']),
  name: z.string(),
  mediaType: z.string(),
  sha256: z.string().length(64),
  size: z.number().int().nonnegative(),
  addedBy: z.string(),
  addedAt: z.string(),
  /** A note's text; attachments are fetched by sha256 through the report. */
  text: z.string().nullable(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ChecklistAnswerSchema = z.enum(['done', 'not-done', 'n/a']);
export type ChecklistAnswer = z.infer<typeof ChecklistAnswerSchema>;

export const ATTEMPT_STATUSES = ['started', 'done', 'failed', 'blocked', 'interrupted', 'skipped'] as const;
export const AttemptStatusSchema = z.enum(ATTEMPT_STATUSES);
export type AttemptStatus = z.infer<typeof AttemptStatusSchema>;

/** What one attempt at a step found or did. Fields not relevant to the step's kind are null or empty. */
export const AttemptOutcomeSchema = z.object({
  /** For checks: whether the result is what the procedure expects. */
  passed: z.boolean().nullable(),
  /** For diagnostic checks: the level found, and the levels expected. */
  level: HealthLevelSchema.nullable(),
  expected: z.array(z.string()),
  message: z.string(),
  /** The message as words, said in the reader's language (absent in runs recorded before they were kept). */
  say: SaidSchema.optional(),
  /** Command output or the check's evidence, as printed by the vehicle. */
  output: z.string(),
  exitCode: z.number().int().nullable(),
  plan: PlanSchema.nullable(),
  gates: z.array(GateEvaluationSchema),
  overrides: z.array(GateOverrideSchema),
  /** A decision's chosen option; a checklist's items and their answers; a manual step's confirmation. */
  choice: z.string().nullable(),
  items: z.array(z.object({ id: z.string(), answer: ChecklistAnswerSchema, note: z.string().nullable() })),
  confirmed: z.boolean(),
  typedConfirmation: z.string().nullable(),
});
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>;

export const StepAttemptSchema = z.object({
  seq: z.number().int().positive(),
  stepId: z.string(),
  unit: z.string().nullable(),
  status: AttemptStatusSchema,
  actor: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: AttemptOutcomeSchema,
  evidence: z.array(EvidenceSchema),
});
export type StepAttempt = z.infer<typeof StepAttemptSchema>;

export const StepViewStatusSchema = z.enum([
  'pending',
  'current',
  'done',
  'failed',
  'blocked',
  'interrupted',
  'skipped',
]);

export type StepViewStatus = z.infer<typeof StepViewStatusSchema>;

/** The step the run waits on, with everything a face needs to ask the technician for the answer. */
export const CurrentStepSchema = z.object({
  stepId: z.string(),
  kind: StepKindSchema,
  title: LocalizedTextSchema,
  body: LocalizedTextSchema,
  /** The plan per unit (actions and command checks). */
  plans: z.array(z.object({ unit: z.string(), plan: PlanSchema })),
  gates: z.array(GateIdSchema),
  overrideAllowed: z.boolean(),
  destructive: z.boolean(),
  /** The last attempt was cut off mid-action: it runs again only when confirmed again. */
  interrupted: z.boolean(),
  /** The last attempt was blocked by a red gate (its evaluations are in the attempt). */
  blocked: z.boolean(),
  options: z.array(z.object({ id: z.string(), label: LocalizedTextSchema })),
  items: z.array(
    z.object({
      id: z.string(),
      text: LocalizedTextSchema,
      required: z.boolean(),
      noteRequired: z.boolean(),
      attachmentRequired: z.boolean(),
    }),
  ),
  /** For an escalate step: the level it escalates to. */
  escalationLevel: z.number().int().nullable(),
  noteRequired: z.boolean(),
  attachmentAllowed: z.boolean(),
  attachmentRequired: z.boolean(),
  /** The gates as last read by a {kind: 'gates'} answer (not yet the ones the step will run with: those are read again). */
  gatePreview: z.array(GateEvaluationSchema),
});
export type CurrentStep = z.infer<typeof CurrentStepSchema>;

export const SignatureSchema = z.object({
  signedBy: z.string(),
  signedAt: z.string(),
  /** SHA-256 of the signed record (canonical JSON), also stored in the audit log entry at auditSeq. */
  recordHash: z.string(),
  auditSeq: z.number().int().nullable(),
});

/** The file a run followed: shipped, or the technician's own (and which shipped version it took the place of). */
export const ProcedureOriginSchema = z.object({
  source: z.enum(['shipped', 'user']),
  file: z.string(),
  supersedesShipped: z.number().int().min(1).nullable(),
});
export type ProcedureOrigin = z.infer<typeof ProcedureOriginSchema>;

export const RunViewSchema = z.object({
  runId: z.string(),
  procedure: z.object({
    id: z.string(),
    version: z.number().int(),
    title: LocalizedTextSchema,
    category: z.string(),
    /** Which file the run followed; null for a run started before the workstation recorded it. */
    origin: ProcedureOriginSchema.nullable(),
  }),
  units: z.array(z.string()),
  params: z.record(z.string(), z.string()),
  startedBy: z.string(),
  startedAt: z.string(),
  state: RunStateSchema,
  abortReason: z.string().nullable(),
  escalationLevel: z.number().int().nullable(),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
  signature: SignatureSchema.nullable(),
  steps: z.array(
    z.object({
      stepId: z.string(),
      kind: StepKindSchema,
      title: LocalizedTextSchema,
      status: StepViewStatusSchema,
    }),
  ),
  current: CurrentStepSchema.nullable(),
  attempts: z.array(StepAttemptSchema),
});
export type RunView = z.infer<typeof RunViewSchema>;

export const RunSummarySchema = z.object({
  runId: z.string(),
  procedureId: z.string(),
  procedureVersion: z.number().int(),
  title: LocalizedTextSchema,
  units: z.array(z.string()),
  state: RunStateSchema,
  startedBy: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  signed: z.boolean(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const AttachmentInputSchema = z.object({
  name: z.string().min(1).max(255),
  mediaType: z.string().min(1).max(128).default('application/octet-stream'),
  /** The file's bytes, base64; at most 10 MiB once decoded. */
  contentBase64: z.string().max(14_000_000),
});

/** The technician's answer to the current step; its kind must fit the step's kind. */
export const StepAnswerSchema = z.discriminatedUnion('kind', [
  /** info: read and understood. */
  z.object({ kind: z.literal('ack') }),
  /** check: run it now (read-only). */
  z.object({ kind: z.literal('run') }),
  /** action: evaluate the gates live without running anything (recorded). */
  z.object({ kind: z.literal('gates') }),
  /** action: do it. Gates are evaluated live first; overrides only where the procedure allows them. */
  z.object({
    kind: z.literal('confirm'),
    /** Destructive steps: the unit's name as typed by the technician (several units: their names joined by ", "). */
    typedConfirmation: z.string().optional(),
    overrides: z.array(GateOverrideSchema).default([]),
  }),
  /** manual: done, with an optional note and attachments. */
  z.object({
    kind: z.literal('manual'),
    confirmed: z.literal(true),
    note: z.string().max(10_000).optional(),
    attachments: z.array(AttachmentInputSchema).max(10).default([]),
  }),
  z.object({ kind: z.literal('decision'), option: z.string().min(1) }),
  z.object({
    kind: z.literal('checklist'),
    items: z.array(
      z.object({ id: z.string().min(1), answer: ChecklistAnswerSchema, note: z.string().max(2000).optional() }),
    ),
    note: z.string().max(10_000).optional(),
    attachments: z.array(AttachmentInputSchema).max(10).default([]),
  }),
  /** escalate step: escalate to the step's level, ending the run escalated. */
  z.object({ kind: z.literal('escalate'), note: z.string().max(10_000).optional() }),
  /** Leave a step out, with the reason (not allowed for escalate steps). */
  z.object({ kind: z.literal('skip'), reason: z.string().trim().min(3) }),
]);
export type StepAnswer = z.input<typeof StepAnswerSchema>;
export type ParsedStepAnswer = z.output<typeof StepAnswerSchema>;

export const AuditVerificationSchema = z.object({
  ok: z.boolean(),
  /** Audit rows found intact before the first broken one (all of them when ok). */
  checked: z.number().int().nonnegative(),
  /** Signed runs whose stored rows were checked against the hash in their sign-off entry. */
  signedRunsChecked: z.number().int().nonnegative(),
  /** Terminal recordings and saved log views hashed again and compared with their audit entries. */
  recordingsChecked: z.number().int().nonnegative().optional(),
  firstBroken: z
    .object({
      seq: z.number().int(),
      reason: z.string(),
      /** Set when the break is a signed run whose rows no longer match what was signed. */
      runId: z.string().nullable(),
    })
    .nullable(),
  /** The keyed chain: which key keys it, how many unkeyed rows an earlier build left before it, its head. */
  chain: z.object({
    keyed: z.boolean(),
    keySource: z.string().nullable(),
    legacyRows: z.number().int().nonnegative(),
    anchoredAt: z.string().nullable(),
    /** The head the head file (outside the database) records; null when it was not checked. */
    head: z.object({ rows: z.number().int().nonnegative(), hash: z.string() }).nullable(),
    /** Keyed rows written after the head file was last updated (a crash between the two). */
    headBehind: z.number().int().nonnegative(),
  }),
});
export type AuditVerificationView = z.infer<typeof AuditVerificationSchema>;

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;

export const procedureRunCalls = {
  'procedures.start': {
    input: z.object({
      procedureId: z.string().min(1),
      /** A specific version; the newest when left out. */
      version: z.number().int().min(1).optional(),
      units: z.array(UnitNameSchema).min(1).max(50),
      /** Values of the procedure's parameters (a service name…); they reach commands quoted, as values. */
      params: z.record(z.string(), z.string().max(256)).default({}),
      /**
       * Answers given up front, by step id (the CLI's --answers file, for training and tests). The whole sheet is
       * checked against the procedure before the run is created: a step the run may reach that needs a person (an
       * action's confirmation, a manual step, a decision, a checklist, an escalation) and has no answer is refused.
       */
      answers: z.record(z.string(), StepAnswerSchema).optional(),
    }),
    output: RunViewSchema,
  },
  'procedures.run.get': {
    input: z.object({ runId: RunIdSchema }),
    output: RunViewSchema,
  },
  'procedures.run.step': {
    input: z.object({ runId: RunIdSchema, stepId: StepIdSchema, answer: StepAnswerSchema }),
    output: RunViewSchema,
  },
  'procedures.run.abort': {
    input: z.object({ runId: RunIdSchema, reason: z.string().trim().min(3) }),
    output: RunViewSchema,
  },
  'procedures.run.escalate': {
    input: z.object({
      runId: RunIdSchema,
      level: z.number().int().min(1).max(4),
      note: z.string().max(10_000).optional(),
    }),
    output: RunViewSchema,
  },
  'procedures.run.sign': {
    input: z.object({ runId: RunIdSchema, name: z.string().trim().min(2).max(200) }),
    output: RunViewSchema,
  },
  'procedures.runs': {
    input: z.object({ unit: UnitNameSchema, limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.array(RunSummarySchema),
  },
  'procedures.report': {
    input: z.object({
      runId: RunIdSchema,
      format: z.enum(REPORT_FORMATS),
      /** The technician's language: the printable report's labels, outcomes and decisions are in it. */
      language: LogbookLanguageSchema.default('en'),
    }),
    output: z.object({
      format: z.enum(REPORT_FORMATS),
      mediaType: z.string(),
      fileName: z.string(),
      content: z.string(),
    }),
  },
  /**
   * The printable report as a PDF, printed by the face's browser engine (Electron's printToPDF in the desktop app,
   * headless Chromium behind the CLI and the browser host). PRECONDITION_FAILED where no engine is available.
   */
  'procedures.reportPdf': {
    input: z.object({ runId: RunIdSchema, language: LogbookLanguageSchema.default('en') }),
    output: z.object({ mediaType: z.literal('application/pdf'), fileName: z.string(), contentBase64: z.string() }),
  },
  'audit.verify': {
    input: z.object({}),
    output: AuditVerificationSchema,
  },
} as const;

export const procedureRunEvents = {
  /** A run changed (started, a step answered, ended, signed): fetch it with procedures.run.get. */
  'procedures.runChanged': z.object({
    runId: z.string(),
    units: z.array(z.string()),
    state: RunStateSchema,
    currentStepId: z.string().nullable(),
  }),
} as const;
