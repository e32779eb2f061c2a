import { z } from 'zod';

import { UnitNameSchema } from './unit';

/** A terminal session on a unit, as its history lists it. */
export const TerminalSessionSchema = z.object({
  id: z.string(),
  unit: z.string(),
  actor: z.string(),
  face: z.string(),
  /** With a terminal (typed at); false: a script piped to `ohtw shell`. */
  interactive: z.boolean(),
  cols: z.number().int(),
  rows: z.number().int(),
  /** The procedure run that was active on the unit when the session opened: the session is evidence of it. */
  runId: z.string().nullable(),
  startedAt: z.string(),
  /** Null while it runs (or if the workstation stopped under it before it could be saved). */
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  endReason: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  /** SHA-256 of the asciicast recording, as entered in the audit log. */
  sha256: z.string().nullable(),
  bytes: z.number().int().nullable(),
  auditSeq: z.number().int().nullable(),
});
export type TerminalSession = z.infer<typeof TerminalSessionSchema>;

export const TerminalSizeSchema = z.object({
  cols: z.number().int().min(10).max(500),
  rows: z.number().int().min(4).max(200),
});

/** What the sessions are listed by: a unit's, or those that are evidence of a procedure run. */
export const TerminalSessionsQuerySchema = z.union([
  z.object({ unit: UnitNameSchema, limit: z.number().int().min(1).max(1000).default(50) }),
  z.object({ runId: z.string().min(1), limit: z.number().int().min(1).max(1000).default(50) }),
]);
