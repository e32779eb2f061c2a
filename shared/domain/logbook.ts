import { z } from 'zod';

import { HealthLevelSchema } from './health';

/*
 * The fleet's logbook as the contract carries it: entries (one thing that happened, with the facts its words are
 * made of), the filter every face uses (Logbook page, unit page, `ohtw history`, exports) and the page of a cursor.
 */

export const LogbookFactSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type LogbookFact = z.infer<typeof LogbookFactSchema>;
export type LogbookFacts = Record<string, LogbookFact>;

export const LogbookEntrySchema = z.object({
  /** The logbook row's id (a number as text): stable, and the tie-break of the time order. */
  id: z.string(),
  at: z.string(),
  unit: z.string().nullable(),
  /** The registered kind (shared/domain/logbookKinds.ts), or 'other' for a code no kind claims. */
  kind: z.string(),
  /** The source's own code: an audit action, 'diagnosis', 'procedure.step', 'procedure.note'… */
  code: z.string(),
  outcome: z.string().nullable(),
  level: HealthLevelSchema.nullable(),
  actor: z.string().nullable(),
  /** What the entry opens: a diagnosis run, a procedure run, a backup or a restore transaction. */
  ref: z.string().nullable(),
  /** The facts its words are made of (see logbookWords.ts), taken from the source row. */
  facts: z.record(z.string(), LogbookFactSchema),
  /** The colleague's laptop it was recorded on (pulled from the team server); absent or null: this laptop. */
  device: z.object({ id: z.string(), label: z.string() }).nullable().optional(),
});
export type LogbookEntry = z.infer<typeof LogbookEntrySchema>;

/** A day (2025-03-01) or a moment (2025-03-01T08:00:00Z); a day as `until` means up to the end of that day. */
export const LogbookDateSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/,
    'a date as 2025-03-01 or a time as 2025-03-01T08:00:00Z',
  );

const FilterText = z.string().min(1).max(200);

export const LogbookFilterSchema = z.object({
  units: z.array(FilterText).max(500).optional(),
  kinds: z.array(FilterText).max(50).optional(),
  /** Technicians, as the audit log names them. */
  actors: z.array(FilterText).max(50).optional(),
  outcomes: z.array(FilterText).max(20).optional(),
  levels: z.array(HealthLevelSchema).max(4).optional(),
  since: LogbookDateSchema.optional(),
  until: LogbookDateSchema.optional(),
  /** Words to find in messages, evidence and notes (every word must match; a trailing * matches a prefix). */
  query: z.string().max(200).optional(),
  /** mine: what this laptop recorded; team (the default): every technician's, as pulled from the team server. */
  origin: z.enum(['mine', 'team']).optional(),
});
export type LogbookFilter = z.infer<typeof LogbookFilterSchema>;

export const LogbookPageSchema = z.object({
  entries: z.array(LogbookEntrySchema),
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  next: z.string().nullable(),
});
export type LogbookPage = z.infer<typeof LogbookPageSchema>;

export const LogbookDetailSchema = z.object({
  entry: LogbookEntrySchema,
  /** What the source row says beyond the words: findings with their evidence, an action's details, a note. */
  lines: z.array(z.object({ label: z.string(), text: z.string() })),
});
export type LogbookDetail = z.infer<typeof LogbookDetailSchema>;

export const LOGBOOK_LANGUAGES = ['en', 'vi'] as const;
export const LogbookLanguageSchema = z.enum(LOGBOOK_LANGUAGES);
export type LogbookLanguage = z.infer<typeof LogbookLanguageSchema>;
