import type { BackupKind } from './BackupStore';

export type RetentionCandidate = { id: string; unit: string; kind: BackupKind; createdAtMs: number };

export type RetentionRule = { keepDaily: number; keepMonthly: number; keepSnapshotDays: number; nowMs: number };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The ids to keep; see BackupStore.prune for the rule. Days and months are UTC calendar periods; "the last N days"
 * means the N most recent days that have a backup, so a unit not serviced for a month keeps its history.
 */
export function selectRetained(candidates: readonly RetentionCandidate[], rule: RetentionRule): Set<string> {
  if (rule.keepDaily < 0 || rule.keepMonthly < 0 || rule.keepSnapshotDays < 0) {
    throw new RangeError('Retention counts must not be negative');
  }
  const keep = new Set<string>();
  const byUnit = new Map<string, RetentionCandidate[]>();
  for (const c of candidates) {
    const list = byUnit.get(c.unit) ?? [];
    list.push(c);
    byUnit.set(c.unit, list);
  }
  for (const list of byUnit.values()) {
    const newestFirst = [...list].sort((a, b) => b.createdAtMs - a.createdAtMs || (a.id < b.id ? 1 : -1));
    const backups = newestFirst.filter((c) => c.kind === 'backup');
    const snapshots = newestFirst.filter((c) => c.kind === 'snapshot');
    if (backups[0] !== undefined) {
      keep.add(backups[0].id);
    }
    keepNewestPerPeriod(backups, rule.keepDaily, (ms) => new Date(ms).toISOString().slice(0, 10), keep);
    keepNewestPerPeriod(backups, rule.keepMonthly, (ms) => new Date(ms).toISOString().slice(0, 7), keep);
    if (snapshots[0] !== undefined) {
      keep.add(snapshots[0].id);
    }
    for (const s of snapshots) {
      if (rule.nowMs - s.createdAtMs < rule.keepSnapshotDays * DAY_MS) {
        keep.add(s.id);
      }
    }
  }
  return keep;
}

function keepNewestPerPeriod(
  newestFirst: readonly RetentionCandidate[],
  slots: number,
  period: (ms: number) => string,
  keep: Set<string>,
): void {
  const seen = new Set<string>();
  for (const c of newestFirst) {
    if (seen.size >= slots) {
      return;
    }
    const key = period(c.createdAtMs);
    if (!seen.has(key)) {
      seen.add(key);
      keep.add(c.id);
    }
  }
}
