import type BetterSqlite3 from 'better-sqlite3';

import type { BackupSummaryView } from '../../../../shared/domain/backup';
import type { RecordDoc } from '../syncDocs';
import { digestOf } from './localDocs';

/** The backups this laptop's store lists (the backup feature's own list call). */
export type BackupManifestSource = { list(): Promise<BackupSummaryView[]> };

type Fact = { ref: string; code: string; outcome: string | null; actor: string | null; at_ms: number };

/**
 * The manifests of this laptop's backups as the team keeps them: which backup exists (unit, kind, when, what it
 * holds), made by whom, verified when and how (from this laptop's own backup and verify entries), never the files
 * themselves. A manifest is pushed again when any of that changed (a verify since).
 */
export async function backupManifestDocs(
  db: BetterSqlite3.Database,
  source: BackupManifestSource,
): Promise<RecordDoc[]> {
  const backups = await source.list();
  const facts = db
    .prepare<[], Fact>(
      `SELECT ref, code, outcome, actor, at_ms FROM logbook
       WHERE code IN ('backup.run', 'backup.verify') AND device_id IS NULL AND ref IS NOT NULL ORDER BY at_ms, id`,
    )
    .all();
  const madeBy = new Map<string, string | null>();
  const verified = new Map<string, { at: string; ok: boolean; by: string | null }>();
  for (const fact of facts) {
    if (fact.code === 'backup.run') {
      madeBy.set(fact.ref, fact.actor);
    } else {
      verified.set(fact.ref, { at: new Date(fact.at_ms).toISOString(), ok: fact.outcome === 'ok', by: fact.actor });
    }
  }
  return backups.map((backup) => {
    const body = {
      backupId: backup.id,
      unit: backup.unit,
      kind: backup.kind,
      createdAt: backup.createdAt,
      completedAt: backup.completedAt,
      profile: backup.profile,
      toolVersion: backup.toolVersion,
      files: backup.files,
      bytes: backup.bytes,
      madeBy: madeBy.get(backup.id) ?? null,
      lastVerify: verified.get(backup.id) ?? null,
    };
    return {
      entity: 'backup' as const,
      id: backup.id,
      unit: backup.unit,
      at: backup.createdAt,
      actor: body.madeBy,
      digest: digestOf(body),
      body,
    };
  });
}
