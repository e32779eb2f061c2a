import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import type BetterSqlite3 from 'better-sqlite3';

import type { BackupLocations } from '../backup/replica/backupLocations';
import type { SyncCounts } from '../../../shared/domain/team';
import type { AuditRowDoc, DiagnosisDoc, EvidenceDoc, RecordDoc, SettingEditDoc, UnitDoc } from './syncDocs';
import { backupManifestDocs, type BackupManifestSource } from './local/backupManifests';
import type { LocalDocs } from './local/localDocs';
import type { TeamServer } from './server/TeamServer';

export type PushDeps = {
  db: BetterSqlite3.Database;
  docs: LocalDocs;
  server: TeamServer;
  deviceId: string;
  backups: BackupManifestSource;
  locations: BackupLocations;
  chain: () => { chainId: string; keyId: string | null };
  batchSize: number;
};

type OutboxRow = { id: number; entity: 'unit' | 'diagnosis' | 'run' | 'restore' | 'setting'; key: string };

export const NO_COUNTS: SyncCounts = {
  units: 0,
  diagnoses: 0,
  runs: 0,
  restores: 0,
  backups: 0,
  settings: 0,
  audit: 0,
  locations: 0,
};

/**
 * Pushes what this laptop recorded, a batch at a time: the outbox (units, diagnoses, runs, restores, team settings),
 * then the backup manifests that changed, then the audit rows the server does not have. A batch leaves the outbox
 * only once the server committed it; a batch cut short is pushed again whole at the next sync, and the server keeps
 * one copy (every row is keyed by its id, and a row already there unchanged is left alone). Between batches the
 * event loop gets its turn, so a long first push never holds up the UI.
 */
export async function pushAll(deps: PushDeps): Promise<{ counts: SyncCounts; refused: string[] }> {
  const counts = { ...NO_COUNTS };
  const refused: string[] = [];
  const read = deps.db.prepare<[number], OutboxRow>('SELECT id, entity, key FROM sync_outbox ORDER BY id LIMIT ?');
  const done = deps.db.prepare<[string]>('DELETE FROM sync_outbox WHERE id IN (SELECT value FROM json_each(?))');
  for (;;) {
    const batch = read.all(deps.batchSize);
    if (batch.length === 0) {
      break;
    }
    const outcome = await pushBatch(deps, batch);
    for (const [key, value] of Object.entries(outcome.counts) as [keyof SyncCounts, number][]) {
      counts[key] += value;
    }
    refused.push(...outcome.refused);
    done.run(JSON.stringify(batch.map((row) => row.id)));
    await yieldToEventLoop();
  }
  counts.backups = await pushBackups(deps, refused);
  counts.locations = await pushLocations(deps);
  counts.audit = await pushAudit(deps);
  return { counts, refused };
}

async function pushBatch(deps: PushDeps, batch: readonly OutboxRow[]) {
  const units: UnitDoc[] = [];
  const diagnoses: DiagnosisDoc[] = [];
  const runs: RecordDoc[] = [];
  const restores: RecordDoc[] = [];
  const evidence = new Map<string, EvidenceDoc>();
  const settings: SettingEditDoc[] = [];
  for (const row of batch) {
    switch (row.entity) {
      case 'unit':
        units.push(deps.docs.unit(row.key));
        break;
      case 'diagnosis':
        pushIf(diagnoses, deps.docs.diagnosis(row.key));
        break;
      case 'run': {
        const run = deps.docs.run(row.key);
        if (run) {
          runs.push(run.doc);
          run.evidence.forEach((item) => evidence.set(item.sha256, item));
        }
        break;
      }
      case 'restore':
        pushIf(restores, deps.docs.restore(row.key));
        break;
      case 'setting':
        pushIf(settings, deps.docs.settingEdit(row.key));
        break;
    }
  }
  const { server, deviceId } = deps;
  // Evidence first: a run on the server never names content the server does not have.
  await server.pushEvidence([...evidence.values()]);
  const pushedUnits = await server.pushUnits(deviceId, units);
  const pushedDiagnoses = await server.pushDiagnoses(deviceId, diagnoses);
  const pushedRuns = await server.pushRecords(deviceId, 'run', runs);
  const pushedRestores = await server.pushRecords(deviceId, 'restore', restores);
  const pushedSettings = await server.pushSettingEdits(deviceId, settings);
  return {
    counts: {
      ...NO_COUNTS,
      units: pushedUnits.written,
      diagnoses: pushedDiagnoses.written,
      runs: pushedRuns.written,
      restores: pushedRestores.written,
      settings: pushedSettings.written,
    },
    refused: [
      ...pushedDiagnoses.refused.map((id) => `diagnosis ${id}`),
      ...pushedRuns.refused.map((id) => `run ${id}`),
      ...pushedRestores.refused.map((id) => `restore ${id}`),
    ],
  };
}

function pushIf<T>(list: T[], item: T | null): void {
  if (item !== null) {
    list.push(item);
  }
}

async function pushBackups(deps: PushDeps, refused: string[]): Promise<number> {
  const docs = await backupManifestDocs(deps.db, deps.backups);
  const pushed = new Map(
    deps.db
      .prepare<[], { backup_id: string; digest: string }>('SELECT backup_id, digest FROM sync_pushed_backups')
      .all()
      .map((row) => [row.backup_id, row.digest]),
  );
  const changed = docs.filter((doc) => pushed.get(doc.id) !== doc.digest);
  const remember = deps.db.prepare(
    `INSERT INTO sync_pushed_backups (backup_id, digest) VALUES (?, ?)
     ON CONFLICT (backup_id) DO UPDATE SET digest = excluded.digest`,
  );
  let written = 0;
  for (let start = 0; start < changed.length; start += deps.batchSize) {
    const batch = changed.slice(start, start + deps.batchSize);
    const outcome = await deps.server.pushRecords(deps.deviceId, 'backup', batch);
    written += outcome.written;
    refused.push(...outcome.refused.map((id) => `backup ${id}`));
    deps.db.transaction(() => batch.forEach((doc) => remember.run(doc.id, doc.digest)))();
    await yieldToEventLoop();
  }
  return written;
}

/** Where backups live, as this laptop recorded them and the server has not committed yet. */
async function pushLocations(deps: PushDeps): Promise<number> {
  let written = 0;
  for (;;) {
    const batch = deps.locations.unpushed(deps.batchSize);
    if (batch.length === 0) {
      return written;
    }
    written += await deps.server.pushLocations(deps.deviceId, batch);
    deps.locations.markPushed(batch);
    await yieldToEventLoop();
  }
}

/** The audit rows after the last the server holds for this device, in order, with the head they end at. */
async function pushAudit(deps: PushDeps): Promise<number> {
  const rows = deps.db.prepare<[number, number], AuditRowDoc>(
    `SELECT seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash
     FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`,
  );
  let written = 0;
  let after = await deps.server.auditRowCount(deps.deviceId);
  const size = deps.batchSize * 5;
  for (;;) {
    const batch = rows.all(after, size);
    const last = batch[batch.length - 1];
    if (!last) {
      return written;
    }
    written += await deps.server.pushAudit(deps.deviceId, batch, deps.chain());
    after = last.seq;
    await yieldToEventLoop();
  }
}
