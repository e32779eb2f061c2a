import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import type BetterSqlite3 from 'better-sqlite3';

import type { SyncCounts } from '../../../shared/domain/team';
import type { TeamReplica } from './local/TeamReplica';
import type { PullCursors } from './local/syncState';
import {
  pullAudit,
  pullDevices,
  pullDiagnoses,
  pullEvidence,
  pullLocations,
  pullRecords,
  pullSettingEdits,
  pullUnits,
  type PullPage,
} from './server/serverPull';
import type { TeamServer } from './server/TeamServer';
import { NO_COUNTS } from './syncPush';

export type PullDeps = {
  db: BetterSqlite3.Database;
  server: TeamServer;
  replica: TeamReplica;
  deviceId: string;
  cursors: () => PullCursors;
  batchSize: number;
  actor: string;
};

/**
 * Pulls every colleague's rows the laptop has not seen, feed by feed, a page at a time; each page is stored with its
 * cursor in one transaction (see TeamReplica), so a pull cut anywhere resumes where it stopped.
 */
export async function pullAll(deps: PullDeps): Promise<{ counts: SyncCounts; settingsApplied: number }> {
  const counts = { ...NO_COUNTS };
  const client = deps.server.client;
  let settingsApplied = 0;
  await drain(
    deps,
    'devices',
    (cursor) => pullDevices(client, cursor),
    (page) => {
      deps.replica.applyDevices(page.rows, page.last);
    },
  );
  await drain(
    deps,
    'units',
    (cursor) => pullUnits(client, cursor),
    (page) => {
      deps.replica.applyUnits(page.rows, page.last);
      counts.units += page.rows.length;
    },
  );
  await drain(
    deps,
    'diagnoses',
    (cursor) => pullDiagnoses(client, cursor),
    (page) => {
      counts.diagnoses += deps.replica.applyDiagnoses(page.rows, page.last);
    },
  );
  await drain(
    deps,
    'records',
    (cursor) => pullRecords(client, cursor),
    async (page) => {
      const wanted = page.rows.flatMap((row) =>
        row.entity === 'run' ? ((row.body.evidence ?? []) as { sha256: string }[]).map((e) => e.sha256) : [],
      );
      const have = deps.db.prepare<[string], number>('SELECT count(*) FROM evidence_blobs WHERE sha256 = ?').pluck();
      const evidence = await pullEvidence(
        client,
        [...new Set(wanted)].filter((sha) => have.get(sha) === 0),
      );
      deps.replica.applyRecords(page.rows, evidence, page.last);
      for (const row of page.rows) {
        counts[row.entity === 'run' ? 'runs' : row.entity === 'restore' ? 'restores' : 'backups'] += 1;
      }
    },
  );
  await drain(
    deps,
    'settings',
    (cursor) => pullSettingEdits(client, cursor),
    (page) => {
      settingsApplied += deps.replica.applySettingEdits(page.rows, page.last, deps.actor);
      counts.settings += page.rows.length;
    },
  );
  await drain(
    deps,
    'audit',
    (cursor) => pullAudit(client, cursor),
    (page) => {
      deps.replica.applyAudit(page.rows, page.last);
      counts.audit += page.rows.length;
    },
  );
  await drain(
    deps,
    'locations',
    (cursor) => pullLocations(client, cursor),
    (page) => {
      deps.replica.applyLocations(page.rows, page.last);
      counts.locations += page.rows.length;
    },
  );
  return { counts, settingsApplied };
}

async function drain<T>(
  deps: PullDeps,
  feed: keyof PullCursors,
  fetch: (cursor: { after: number; notDevice: string; limit: number }) => Promise<PullPage<T>>,
  store: (page: PullPage<T>) => void | Promise<void>,
): Promise<void> {
  const limit = feed === 'audit' ? deps.batchSize * 5 : deps.batchSize;
  for (;;) {
    const page = await fetch({ after: deps.cursors()[feed], notDevice: deps.deviceId, limit });
    if (page.rows.length === 0) {
      return;
    }
    await store(page);
    await yieldToEventLoop();
    if (page.rows.length < limit) {
      return;
    }
  }
}
