import { z } from 'zod';

import { LogDateSchema } from '../../domain/logDates';
import { LogLineSchema, LogSourceSchema, LogViewSchema } from '../../domain/unitLogs';
import { UnitNameSchema } from '../../domain/unit';

/** Lines per `logs.lines` event, at most. */
export const LOG_BATCH_MAX = 2000;

/**
 * Live logs of a unit: `journalctl -f` over the unit's SSH connection, its lines in batches under the stream's flow
 * control (a consumer that falls behind gets the newest lines and a count of those it missed), and past windows of
 * the journal (the minutes around a failed check).
 */
export const logsCalls = {
  'logs.follow': {
    input: LogSourceSchema.extend({
      /** Lines of the past to start with. */
      backlog: z.number().int().min(0).max(5000).default(200),
    }),
    output: z.object({ streamId: z.string(), services: z.array(z.string()), command: z.string() }),
  },
  'logs.read': {
    input: LogSourceSchema.extend({
      since: LogDateSchema.optional(),
      until: LogDateSchema.optional(),
      /** Lines whose message matches (journalctl --grep: an extended regular expression). */
      grep: z.string().min(1).max(200).optional(),
      limit: z.number().int().min(1).max(20_000).default(1000),
    }),
    output: z.object({
      lines: z.array(LogLineSchema),
      services: z.array(z.string()),
      command: z.string(),
    }),
  },
  /** The vehicle's service units, for the technician to pick which to follow. */
  'logs.services': {
    input: z.object({ unit: UnitNameSchema }),
    output: z.array(z.object({ name: z.string(), active: z.string(), description: z.string() })),
  },
  /** Keeps lines as shown as evidence (of the procedure run named, or of the one active on the unit). */
  'logs.saveView': {
    input: z.object({
      unit: UnitNameSchema,
      runId: z.string().min(1).nullable().default(null),
      lines: z.array(LogLineSchema).min(1).max(20_000),
      filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
    }),
    output: LogViewSchema,
  },
  'logs.views': {
    input: z.union([z.object({ unit: UnitNameSchema }), z.object({ runId: z.string().min(1) })]),
    output: z.array(LogViewSchema),
  },
  'logs.view': {
    input: z.object({ id: z.string().min(1) }),
    output: z.object({ view: LogViewSchema, content: z.string(), intact: z.boolean() }),
  },
} as const;

export const logsEvents = {
  /** Lines in journal order; `dropped`: lines left out before these because the consumer fell behind. */
  'logs.lines': z.object({
    streamId: z.string(),
    lines: z.array(LogLineSchema).max(LOG_BATCH_MAX),
    dropped: z.number().int().nonnegative(),
  }),
} as const;
