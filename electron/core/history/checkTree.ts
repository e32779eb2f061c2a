import type { CheckResult } from '../../../shared/domain/health';

/** One check of a report as a row: its place in depth-first order and the id of the check it belongs to. */
export type FlatCheck = {
  ordinal: number;
  parentId: string | null;
  check: CheckResult;
};

/** Flattens a report's check tree depth-first, parents before their children, so the order can be rebuilt. */
export function flattenChecks(checks: readonly CheckResult[]): FlatCheck[] {
  const out: FlatCheck[] = [];
  const visit = (list: readonly CheckResult[], parentId: string | null): void => {
    for (const check of list) {
      out.push({ ordinal: out.length, parentId, check });
      visit(check.children ?? [], check.id);
    }
  };
  visit(checks, null);
  return out;
}
