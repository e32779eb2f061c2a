import type { RestoreChange } from '../../../../shared/domain/restore';
import { inScope, servicesFor, type RestoreScope } from './scope';
import { differences, type TreeEntry } from './tree';

/** What the apply does to one path, in the order the apply script runs them. */
export type ApplyPlan = {
  /** Removed first, deepest first: entries added since the backup, and old entries whose type changes. */
  removals: TreeEntry[];
  /** Directories created (shallowest first) before any content arrives. */
  mkdirs: TreeEntry[];
  /**
   * Regular files whose content, mode or owner differ: sent, extracted under a temporary name in the same directory
   * with their owner and mode, then renamed.
   */
  files: TreeEntry[];
  /** Symlinks created or re-pointed (made aside, then renamed over). */
  links: TreeEntry[];
  /** Symlinks whose only difference is their owner, fixed in place (chown -h). */
  metadata: TreeEntry[];
  /** Every directory of the target whose mode or owner is set at the end, deepest first (after its content). */
  dirsToFinish: TreeEntry[];
};

export type TreePlan = {
  changes: RestoreChange[];
  apply: ApplyPlan;
  services: string[];
  /** systemd unit files change: `systemctl daemon-reload` before the restarts. */
  reload: boolean;
  counts: { create: number; modify: number; delete: number; unchanged: number };
  bytesToSend: number;
};

const depth = (path: string): number => path.split('/').length;
const byPath = (a: TreeEntry, b: TreeEntry): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Compares the tree a restore wants (the backup's entries, already checked by assertSafeManifest) with the tree the
 * unit has now (inside the scope) and says exactly what changes. Pure: the same inputs give the same plan.
 */
export function planTree(scope: RestoreScope, target: readonly TreeEntry[], current: readonly TreeEntry[]): TreePlan {
  const have = new Map(current.filter((e) => inScope(scope, e.path)).map((e) => [e.path, e]));
  const want = new Map(target.map((e) => [e.path, e]));
  const changes: RestoreChange[] = [];
  const apply: ApplyPlan = { removals: [], mkdirs: [], files: [], links: [], metadata: [], dirsToFinish: [] };
  let unchanged = 0;
  let bytesToSend = 0;

  for (const entry of [...want.values()].sort(byPath)) {
    if (entry.type === 'other') {
      continue;
    }
    const now = have.get(entry.path);
    if (now === undefined) {
      changes.push({ path: entry.path, action: 'create', type: entry.type, differs: [] });
    } else {
      const differs = differences(entry, now);
      if (differs.length === 0) {
        unchanged += 1;
        continue;
      }
      changes.push({ path: entry.path, action: 'modify', type: entry.type, differs });
      if (differs.includes('type') && (now.type === 'dir' || entry.type === 'dir' || now.type === 'other')) {
        apply.removals.push(now);
      }
    }
    const replaced = now === undefined || now.type !== entry.type;
    if (entry.type === 'dir') {
      if (replaced) {
        apply.mkdirs.push(entry);
      }
      apply.dirsToFinish.push(entry);
    } else if (entry.type === 'file') {
      // A file whose mode or owner alone differs is sent again too: its owner and mode are then set by tar on the file
      // it made, never by a chmod or chown through a path that a symlink could have replaced.
      apply.files.push(entry);
      bytesToSend += entry.size;
    } else if (replaced || now.linkTarget !== entry.linkTarget) {
      apply.links.push(entry);
    } else {
      apply.metadata.push(entry);
    }
  }
  for (const entry of [...have.values()].sort(byPath)) {
    // A fifo, socket or device the backup does not know is left alone: a restore never deletes what it cannot restore.
    if (!want.has(entry.path) && entry.type !== 'other') {
      changes.push({ path: entry.path, action: 'delete', type: entry.type, differs: [] });
      apply.removals.push(entry);
    }
  }
  apply.removals.sort((a, b) => depth(b.path) - depth(a.path) || byPath(b, a));
  apply.mkdirs.sort((a, b) => depth(a.path) - depth(b.path) || byPath(a, b));
  apply.dirsToFinish.sort((a, b) => depth(b.path) - depth(a.path) || byPath(a, b));
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const { units, reload } = servicesFor(
    scope,
    changes.map((c) => c.path),
  );
  const count = (action: RestoreChange['action']): number => changes.filter((c) => c.action === action).length;
  return {
    changes,
    apply,
    services: units,
    reload,
    counts: { create: count('create'), modify: count('modify'), delete: count('delete'), unchanged },
    bytesToSend,
  };
}
