import { z } from 'zod';

import { HealthLevelSchema } from './health';

/** What changed between a unit's sweep and the one before it, in words a technician reads at a glance. */
export const CheckChangeSchema = z.object({
  checkId: z.string(),
  from: HealthLevelSchema.nullable(),
  to: HealthLevelSchema.nullable(),
  /** e.g. "disk 71 % → 88 %", "backend restarted 3 times since yesterday", "services.firmware OK → ERROR". */
  text: z.string(),
});
export type CheckChange = z.infer<typeof CheckChangeSchema>;

export const DiagnosisChangesSchema = z.object({
  unit: z.string(),
  runId: z.string().nullable(),
  previousRunId: z.string().nullable(),
  changes: z.array(CheckChangeSchema),
});
export type DiagnosisChanges = z.infer<typeof DiagnosisChangesSchema>;
