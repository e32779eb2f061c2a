import { z } from 'zod';

import {
  EscalationMatrixSchema,
  LocalizedTextSchema,
  ProcedureCategorySchema,
  ProcedureIdSchema,
  ProcedureSchema,
} from '../../domain/procedure';

/**
 * The procedure library: the procedures shipped in resources/procedures/ and the technician's edited versions in
 * <dataDir>/procedures/, and the escalation matrix's contacts. contracts/procedures.ts spreads these into the
 * procedures feature's slice.
 */

export const ProcedureSourceSchema = z.enum(['shipped', 'user']);

/** One place where a technician's file differs from the shipped one (values as JSON text, null when absent). */
export const JsonChangeSchema = z.object({
  path: z.string(),
  shipped: z.string().nullable(),
  edited: z.string().nullable(),
});

/** One procedure as the library lists it: its latest version. */
export const ProcedureSummarySchema = z.object({
  id: z.string(),
  category: ProcedureCategorySchema,
  title: LocalizedTextSchema,
  summary: LocalizedTextSchema,
  version: z.number().int().min(1),
  source: ProcedureSourceSchema,
  runbook: z.string(),
  handlesChecks: z.array(z.string()),
  /** Every version the library holds, oldest first. */
  versions: z.array(z.number().int().min(1)),
  /** The shipped version the technician's file (the latest) takes the place of; null when it is shipped or new. */
  supersedesShipped: z.number().int().min(1).nullable(),
});
export type ProcedureSummary = z.infer<typeof ProcedureSummarySchema>;

export const ProcedureFileProblemSchema = z.object({
  /** The file's name, and where it is (shipped or the data folder). */
  file: z.string(),
  source: ProcedureSourceSchema,
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ProcedureFileProblem = z.infer<typeof ProcedureFileProblemSchema>;

export const procedureLibraryCalls = {
  /** The latest version of every procedure, by category and title; `query` searches ids, titles and summaries. */
  'procedures.list': {
    input: z.object({
      query: z.string().max(200).optional(),
      category: ProcedureCategorySchema.optional(),
    }),
    output: z.array(ProcedureSummarySchema),
  },
  /** One procedure: its latest version, or the version a run followed. */
  'procedures.get': {
    input: z.object({ id: ProcedureIdSchema, version: z.number().int().min(1).optional() }),
    output: z.object({
      procedure: ProcedureSchema,
      source: ProcedureSourceSchema,
      file: z.string(),
      versions: z.array(z.number().int().min(1)),
      latest: z.number().int().min(1),
      /** For the technician's file of a shipped id: the shipped version it takes the place of, and what it changes. */
      supersedes: z.object({ version: z.number().int().min(1), file: z.string() }).nullable(),
      changes: z.array(JsonChangeSchema),
    }),
  },
  /**
   * Saves an edit as a new version (the latest + 1) in the data folder; the shipped file is never touched. The
   * edit says which version it started from (`procedure.version`); when someone saved a newer one meanwhile it is
   * refused (CONFLICT). A new id starts at version 1. Validated (PROCEDURE_INVALID) and recorded in the audit log.
   */
  'procedures.save': {
    input: z.object({ procedure: z.unknown(), note: z.string().trim().max(500).optional() }),
    output: z.object({ id: z.string(), version: z.number().int().min(1), file: z.string() }),
  },
  /** Files that were refused at load, with the place in each and the reason. */
  'procedures.invalid': {
    input: z.object({}),
    output: z.array(ProcedureFileProblemSchema),
  },
  /**
   * The procedures that handle a check of the diagnosis (guided recovery), best first: those naming the check
   * itself, then its parent, then those whose runbook section is the one the check names.
   */
  'procedures.forCheck': {
    input: z.object({
      /** Any id a diagnosis reports, children included (resources.disk./opt/oht50). */
      checkId: z.string().trim().min(1).max(300),
      runbook: z.string().max(300).optional(),
    }),
    output: z.array(ProcedureSummarySchema),
  },
  /** The escalation matrix: levels, response times, actions and the contacts set on this workstation. */
  'escalation.contacts.get': {
    input: z.object({}),
    output: EscalationMatrixSchema,
  },
  /** Replaces the contacts (and, where the team changed them, response times and actions); audited. */
  'escalation.contacts.set': {
    input: z.object({ levels: EscalationMatrixSchema.shape.levels }),
    output: EscalationMatrixSchema,
  },
} as const;

export const procedureLibraryEvents = {} as const;
