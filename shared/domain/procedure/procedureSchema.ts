import { z } from 'zod';

import { ParameterSchema } from './commands';
import { crossCheck } from './crossCheck';
import { StepSchema } from './steps';
import {
  CheckIdSchema,
  END_OF_PROCEDURE,
  ID_PATTERN,
  LocalizedTextSchema,
  ProcedureCategorySchema,
} from './vocabulary';

/** A whole procedure file: its shape, its whole-file rules, and parsing with a JSON path and a reason per problem. */

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
