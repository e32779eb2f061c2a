import type { CheckChange } from '../../../shared/domain/changes';
import type { HealthLevel } from '../../../shared/domain/health';

/** The changes of one check, as one item: its level before and after, and what the core said about it. */
export type ChangeGroup = {
  checkId: string;
  from: HealthLevel | null;
  to: HealthLevel | null;
  lines: string[];
};

/**
 * One group per check, in the order the core listed them. A level change's line starts with what the chips beside
 * it already show ("services.firmware OK → ERROR: "), so that part is left out of the line.
 */
export function groupChanges(changes: readonly CheckChange[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const change of changes) {
    let group = groups.get(change.checkId);
    if (!group) {
      group = { checkId: change.checkId, from: change.from, to: change.to, lines: [] };
      groups.set(change.checkId, group);
    }
    group.lines.push(withoutLevelPrefix(change));
  }
  return [...groups.values()];
}

function withoutLevelPrefix(change: CheckChange): string {
  const prefix = `${change.checkId} ${change.from ?? ''} → ${change.to ?? ''}: `;
  return change.text.startsWith(prefix) ? change.text.slice(prefix.length) : change.text;
}
