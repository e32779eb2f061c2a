import { z } from 'zod';

import {
  ReportRequestSchema,
  SiteReportInputSchema,
  SiteReportSchema,
  UnitRecordSchema,
  UnitReportInputSchema,
} from '../../domain/fleetReports';
import {
  LogbookDetailSchema,
  LogbookFilterSchema,
  LogbookLanguageSchema,
  LogbookPageSchema,
} from '../../domain/logbook';

/** The logbook's and the fleet reports' calls; shared/ipc/contract.ts merges them into the one contract. */
export const logbookCalls = {
  /** One page of the fleet's logbook, newest first; pass `next` back as `cursor` for the next page. */
  'logbook.list': {
    input: z.object({
      filter: LogbookFilterSchema.default({}),
      cursor: z.string().max(40).optional(),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: LogbookPageSchema,
  },
  /** One entry with what its source row says (findings and evidence, an action's details, a note). */
  'logbook.get': { input: z.object({ id: z.string().min(1).max(20) }), output: LogbookDetailSchema },
  /** Every entry the filter selects as CSV (in words, in the language asked) or JSON. */
  'logbook.export': {
    input: z.object({
      filter: LogbookFilterSchema.default({}),
      format: z.enum(['csv', 'json']),
      language: LogbookLanguageSchema.default('en'),
      /** The newest this many only; all of them (up to 100,000) without. */
      limit: z.number().int().min(1).max(100_000).optional(),
    }),
    output: z.object({
      format: z.enum(['csv', 'json']),
      mediaType: z.string(),
      fileName: z.string(),
      content: z.string(),
      count: z.number().int().nonnegative(),
    }),
  },
  /** The values the filters offer: units and technicians found in the logbook. */
  'logbook.facets': {
    input: z.object({}),
    output: z.object({ units: z.array(z.string()), actors: z.array(z.string()) }),
  },
  /** A unit's service record: identity, health, backups, procedures, restores, writes, incidents, the chain head. */
  'reports.unit': { input: UnitReportInputSchema, output: UnitRecordSchema },
  /** The site report for a period: health over time, incidents, crash intervals, backup coverage, procedures. */
  'reports.site': { input: SiteReportInputSchema, output: SiteReportSchema },
  /** Either report as a printable page (with its charts), CSV or JSON. */
  'reports.render': {
    input: z.object({
      request: ReportRequestSchema,
      format: z.enum(['html', 'csv', 'json']),
      language: LogbookLanguageSchema.default('en'),
    }),
    output: z.object({ mediaType: z.string(), fileName: z.string(), content: z.string() }),
  },
  /** Either report as a PDF, printed by the face's browser engine; PRECONDITION_FAILED where there is none. */
  'reports.pdf': {
    input: z.object({ request: ReportRequestSchema, language: LogbookLanguageSchema.default('en') }),
    output: z.object({ mediaType: z.literal('application/pdf'), fileName: z.string(), contentBase64: z.string() }),
  },
} as const;

export const logbookEvents = {} as const;
