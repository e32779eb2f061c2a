import type { RestoreAction, RestoreChange } from '../../../shared/domain/restore';

export type RootGroup = { root: string; changes: RestoreChange[] };
export type ActionGroup = { action: RestoreAction; count: number; roots: RootGroup[] };

export const ACTION_ORDER: readonly RestoreAction[] = ['create', 'modify', 'delete'];

/** The profile root a path lies under (the longest that holds it); the path's folder when none does. */
export function rootOf(path: string, roots: readonly string[]): string {
  let best: string | null = null;
  for (const root of roots) {
    if ((path === root || path.startsWith(`${root}/`)) && (best === null || root.length > best.length)) {
      best = root;
    }
  }
  if (best !== null) {
    return best;
  }
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut) : '/';
}

/** The dry run's changes as the wizard lists them: by action (create, modify, delete), then by root, paths sorted. */
export function groupPlanChanges(changes: readonly RestoreChange[], roots: readonly string[]): ActionGroup[] {
  return ACTION_ORDER.map((action) => {
    const byRoot = new Map<string, RestoreChange[]>();
    const ofAction = changes.filter((change) => change.action === action);
    for (const change of ofAction) {
      const root = rootOf(change.path, roots);
      const list = byRoot.get(root) ?? [];
      list.push(change);
      byRoot.set(root, list);
    }
    const groups = [...byRoot.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([root, list]) => ({ root, changes: list.sort((a, b) => a.path.localeCompare(b.path)) }));
    return { action, count: ofAction.length, roots: groups };
  }).filter((group) => group.count > 0);
}
