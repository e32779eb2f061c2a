import { z } from 'zod';

import { SaidSchema, type Said } from './said';

/** Levels in the order of severity; STALE (could not be judged) outranks ERROR as the diagnose exit codes do. */
export const HEALTH_LEVELS = ['OK', 'WARN', 'ERROR', 'STALE'] as const;
export const HealthLevelSchema = z.enum(HEALTH_LEVELS);
export type HealthLevel = z.infer<typeof HealthLevelSchema>;

export type CheckResult = {
  id: string;
  level: HealthLevel;
  /** The verdict in English (as stored and searched); `say` is the same verdict as words for every language. */
  message: string;
  say?: Said | undefined;
  evidence: string;
  /** Runbook section that handles a WARN or ERROR, e.g. "Troubleshooting › Service Won't Start". */
  runbook?: string | undefined;
  /**
   * The readings the check judged, by name, for comparing runs (e.g. {usePercent: 88}, {restarts: 3, active: 1}).
   * Names are camelCase and end with their unit where they have one (Percent, Ms, S, MiB); counts have none.
   */
  metrics?: Record<string, number> | undefined;
  children?: CheckResult[] | undefined;
};

/**
 * Readings by name. A reading that failed to compute (NaN, Infinity, or the null JSON turns them into) is dropped
 * rather than rejected, so that one bad number can never make a stored report unreadable.
 */
export const MetricsSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value).filter(([, v]) => v !== null && !(typeof v === 'number' && !Number.isFinite(v))),
        )
      : value,
  z.record(z.string().min(1).max(64), z.number()),
);

export const CheckResultSchema: z.ZodType<CheckResult> = z.lazy(() =>
  z.object({
    id: z.string().min(1),
    level: HealthLevelSchema,
    message: z.string(),
    say: SaidSchema.optional(),
    evidence: z.string(),
    runbook: z.string().optional(),
    metrics: MetricsSchema.optional(),
    children: z.array(CheckResultSchema).optional(),
  }),
);

/**
 * One finding of a diagnosis (see findings.ts): the check that explains others, what it explains, and the procedure
 * to start from.
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

/** 'vehicle': a sweep over SSH; 'bus': the bus doctor's offline diagnosis of the unit's RS485 bus. */
export const DiagnosisScopeSchema = z.enum(['vehicle', 'bus']);
export type DiagnosisScope = z.infer<typeof DiagnosisScopeSchema>;

export const DiagnosisReportSchema = z.object({
  runId: z.string(),
  unit: z.string(),
  level: HealthLevelSchema,
  startedAt: z.string(),
  durationMs: z.number().int().nonnegative(),
  checks: z.array(CheckResultSchema),
  /** A sweep unless said otherwise. */
  scope: DiagnosisScopeSchema.optional(),
  /** What the diagnosis found, cause before consequence, worst first; absent on a report that was not judged so. */
  findings: z.array(FindingSchema).optional(),
});
export type DiagnosisReport = z.infer<typeof DiagnosisReportSchema>;

export function severity(level: HealthLevel): number {
  return HEALTH_LEVELS.indexOf(level);
}

/** The worst of several levels; an empty list is OK. */
export function worstLevel(levels: Iterable<HealthLevel>): HealthLevel {
  let worst: HealthLevel = 'OK';
  for (const level of levels) {
    if (severity(level) > severity(worst)) {
      worst = level;
    }
  }
  return worst;
}

/**
 * The level of several checks taken together: the worst problem that was judged (ERROR, then WARN), so that a check
 * that could not be read shows beside a known ERROR without hiding it. Without a judged problem, STALE when anything
 * could not be judged (an unreachable unit is all STALE), and OK only when everything was judged OK. Empty is OK.
 */
export function judgedLevel(levels: Iterable<HealthLevel>): HealthLevel {
  const all = new Set(levels);
  for (const level of ['ERROR', 'WARN', 'STALE'] as const) {
    if (all.has(level)) {
      return level;
    }
  }
  return 'OK';
}

/** Returns the check with its level set from its own and its children's, recursively (see judgedLevel). */
export function rollUp(check: CheckResult): CheckResult {
  if (!check.children || check.children.length === 0) {
    return check;
  }
  const children = check.children.map(rollUp);
  const level = judgedLevel([check.level, ...children.map((c) => c.level)]);
  return { ...check, level, children };
}

/** Exit codes of `ohtw diagnose`: 0 OK, 1 WARN, 2 ERROR, 3 STALE. */
export function exitCodeForLevel(level: HealthLevel): number {
  return severity(level);
}
