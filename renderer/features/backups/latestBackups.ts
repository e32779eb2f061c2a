import type { BackupSummaryView } from '../../../shared/domain/backup';

/** The newest backup of each unit, from a list that is newest first (as backup.list answers). */
export function latestByUnit(backups: readonly BackupSummaryView[]): Map<string, BackupSummaryView> {
  const latest = new Map<string, BackupSummaryView>();
  for (const backup of backups) {
    const seen = latest.get(backup.unit);
    if (!seen || seen.completedAt < backup.completedAt) {
      latest.set(backup.unit, backup);
    }
  }
  return latest;
}
