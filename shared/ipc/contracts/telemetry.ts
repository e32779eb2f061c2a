import { z } from 'zod';

import { TelemetrySampleSchema, TelemetrySeriesSchema } from '../../domain/telemetry';
import { UnitNameSchema } from '../../domain/unit';

/** A unit's live telemetry (sampled over SSH while a face follows it) and its recorded series. */
export const telemetryCalls = {
  'telemetry.start': {
    input: z.object({ name: UnitNameSchema, intervalMs: z.number().int().min(500).max(600_000).default(2000) }),
    output: z.object({ streamId: z.string() }),
  },
  'telemetry.stop': {
    input: z.object({ streamId: z.string() }),
    output: z.object({ stopped: z.boolean() }),
  },
  'telemetry.history': {
    input: z.object({
      name: UnitNameSchema,
      fromMs: z.number().int().nonnegative().optional(),
      toMs: z.number().int().nonnegative().optional(),
      maxPoints: z.number().int().min(10).max(5000).default(500),
    }),
    output: TelemetrySeriesSchema,
  },
} as const;

export const telemetryEvents = {
  'telemetry.samples': z.object({
    streamId: z.string(),
    unit: z.string(),
    samples: z.array(TelemetrySampleSchema).max(1000),
    /** Samples dropped since the last batch because the receiver lagged. */
    dropped: z.number().int().nonnegative(),
  }),
} as const;
