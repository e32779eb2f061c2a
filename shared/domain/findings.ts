import type { Finding, HealthLevel } from './health';

/*
 * What a diagnosis found, cause before consequence: each finding is one check that explains others (a stopped
 * service explains its API refusing, its port not listening, its journal's errors), with the checks it explains
 * folded under it and the procedure to start from. The relations between checks are data in the core
 * (electron/core/diagnostics/modules/relations.ts); every face shows findings first, worst first.
 */

export { FindingSchema, type Finding } from './health';

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
