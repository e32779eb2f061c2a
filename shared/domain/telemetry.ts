import { z } from 'zod';

import { SaidSchema } from './said';

/**
 * One reading of a unit's live values. Metrics are named with dotted ids and carry plain numbers, so a chart
 * can draw any of them: `cpu.percent`, `memory.percent`, `disk.percent`, `backend.motor_speed`,
 * `backend.motor_temperature`, `firmware.up` (1 running, 0 not), `backend.responseMs`.
 */
export const TelemetrySampleSchema = z.object({
  at: z.number().int().nonnegative(),
  metrics: z.record(z.string(), z.number()),
  /** Why some metrics are missing from this sample (a tool absent, an API down). */
  problems: z.array(z.string()).optional(),
  /** The same problems as words, in the same order, for a face to say in its reader's language. */
  problemWords: z.array(SaidSchema).optional(),
});
export type TelemetrySample = z.infer<typeof TelemetrySampleSchema>;

export const TelemetrySeriesSchema = z.object({
  unit: z.string(),
  fromMs: z.number(),
  toMs: z.number(),
  /** Samples downsampled to at most the asked number of points (min/max kept per bucket). */
  samples: z.array(TelemetrySampleSchema),
});
export type TelemetrySeries = z.infer<typeof TelemetrySeriesSchema>;
