import { z } from 'zod';

import { HealthLevelSchema, type HealthLevel } from './health';
import { SaidSchema } from './said';

/*
 * What a diagnosis found, cause before consequence: each finding is one check that explains others (a stopped
 * service explains its API refusing, its port not listening, its journal's errors), with the checks it explains
 * folded under it and the procedure to start from. The relations between checks are data in the core
 * (electron/core/diagnostics/modules/relations.ts); every face shows findings first, worst first.
 */

export const FindingSchema = z.object({
  /** The check that explains the others: its id, its message (and words) and the runbook section that handles it. */
  root: z.string(),
  message: z.string(),
  say: SaidSchema.optional(),
  runbook: z.string().optional(),
  /** The worst of the root and its consequences. */
  level: HealthLevelSchema,
  /** The root's own level. */
  rootLevel: HealthLevelSchema,
  /** The checks that follow from the root, in the report's order. */
  consequences: z.array(z.object({ id: z.string(), level: HealthLevelSchema })),
  /** The procedure to start from: the best of those that handle the root check; null when none does. */
  procedure: z.object({ id: z.string(), title: z.record(z.string(), z.string()) }).nullable(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** How pressing a level is for a finding: a judged problem first (ERROR, WARN), then what could not be judged. */
export function urgency(level: HealthLevel): number {
  return { ERROR: 3, WARN: 2, STALE: 1, OK: 0 }[level];
}

/** Worst first: by urgency, then the one that explains more, then the report's order (stable). */
export function worstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => urgency(b.level) - urgency(a.level) || b.consequences.length - a.consequences.length,
  );
}
