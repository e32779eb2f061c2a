import { HEALTH_LEVELS, rollUp, type CheckResult, type HealthLevel } from '../../../shared/domain/health';

/** The report's checks with every parent at least as bad as its worst child, as the domain rule says. */
export function rolledUp(checks: readonly CheckResult[]): CheckResult[] {
  return checks.map(rollUp);
}

/** Leaves per level: the checks themselves, not the groups that only summarise them. */
export function countLeaves(checks: readonly CheckResult[]): Record<HealthLevel, number> {
  const counts = Object.fromEntries(HEALTH_LEVELS.map((level) => [level, 0])) as Record<HealthLevel, number>;
  const visit = (check: CheckResult): void => {
    if (check.children && check.children.length > 0) {
      check.children.forEach(visit);
    } else {
      counts[check.level] += 1;
    }
  };
  checks.forEach(visit);
  return counts;
}

/** Drops OK branches, keeping every path that leads to a WARN, ERROR or STALE check. */
export function problemsOnly(checks: readonly CheckResult[]): CheckResult[] {
  return checks
    .filter((check) => check.level !== 'OK')
    .map((check) => (check.children ? { ...check, children: problemsOnly(check.children) } : check));
}
