import { z } from 'zod';

import { DiagnosisChangesSchema } from '../../domain/changes';
import { DiagnosisReportSchema, HealthLevelSchema } from '../../domain/health';
import { UnitNameSchema } from '../../domain/unit';

/** Diagnoses of units (the check modules over SSH), a past diagnosis, and what changed since the one before. */
export const diagnosticsCalls = {
  'diagnostics.run': {
    /** `parallel`: how many units are diagnosed at once, connection set-up included (8 unless given). */
    input: z.object({ names: z.array(UnitNameSchema).min(1), parallel: z.number().int().min(1).max(64).optional() }),
    output: z.array(DiagnosisReportSchema),
  },
  'diagnostics.get': {
    input: z.object({ runId: z.string().min(1) }),
    output: DiagnosisReportSchema,
  },
  'diagnostics.changes': {
    input: z.object({ name: UnitNameSchema, runId: z.string().optional() }),
    output: DiagnosisChangesSchema,
  },
} as const;

export const diagnosticsEvents = {
  'diagnostics.progress': z.object({
    unit: z.string(),
    phase: z.enum(['connecting', 'running', 'done']),
    level: HealthLevelSchema.optional(),
  }),
} as const;
