import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core/createCore';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { check, sampleReport } from '../history/fixtures';

const FIXTURE = new URL('../../fixtures/history/v9-team/', import.meta.url);

/** A copy of the history the current product wrote before the team sync, with its audit key and head file. */
function copyFixture(): { dataDir: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'ohtw-team-migration-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  copyFileSync(new URL('history.sqlite3', FIXTURE), join(dataDir, 'history.sqlite3'));
  copyFileSync(new URL('audit-head.json', FIXTURE), join(dataDir, 'audit-head.json'));
  copyFileSync(new URL('audit.key', FIXTURE), join(root, 'audit.key'));
  return { dataDir, env: { OHTW_AUDIT_KEY_FILE: join(root, 'audit.key') } };
}

describe('migration 0011 moves a history written by the current product forward for the team', () => {
  const open: { core: Core; root: string }[] = [];
  afterEach(async () => {
    for (const { core, root } of open.splice(0)) {
      await core.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  async function openCopy(): Promise<Core> {
    const { dataDir, env } = copyFixture();
    const core = await createCore({ dataDir, face: 'cli', env, logger: createCapturingLogger().logger });
    open.push({ core, root: join(dataDir, '..') });
    return core;
  }

  it('gives the history a device id, queues everything it held once, and leaves its chain intact', async () => {
    const core = await openCopy();
    const db = (core.history as unknown as { db: BetterSqlite3.Database }).db;
    const count = (sql: string) => Number(db.prepare(sql).pluck().get());
    expect(core.history.deviceId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toContain(11);
    const queued = (entity: string) => count(`SELECT count(*) FROM sync_outbox WHERE entity = '${entity}'`);
    expect(queued('unit')).toBe(count('SELECT count(*) FROM units'));
    expect(queued('unit')).toBe(2);
    expect(queued('diagnosis')).toBe(count('SELECT count(*) FROM diagnostic_runs'));
    expect(queued('diagnosis')).toBe(3);
    expect(queued('run')).toBe(1);
    // Earlier rows were all recorded here: none is marked as a colleague's.
    expect(count('SELECT count(*) FROM diagnostic_runs WHERE device_id IS NOT NULL')).toBe(0);
    expect(count('SELECT count(*) FROM logbook WHERE device_id IS NOT NULL')).toBe(0);

    const verified = await core.dispatch('audit.verify', {});
    expect(verified).toMatchObject({ ok: true, value: { ok: true, signedRunsChecked: 1 } });
    // The id is made once.
    expect(() => db.prepare("UPDATE device SET device_id = 'x'").run()).toThrow(/made once/);
  });

  it('queues what this laptop records from now on, never what it pulled from a colleague', async () => {
    const core = await openCopy();
    const db = (core.history as unknown as { db: BetterSqlite3.Database }).db;
    db.prepare('DELETE FROM sync_outbox').run();
    core.history.saveDiagnosis(sampleReport('sim-01', '2026-12-08T08:00:00.000Z', [check('clock', 'OK')]), {
      actor: 'Tran Thi B',
    });
    core.history.saveDiagnosis(sampleReport('sim-09', '2026-12-08T09:00:00.000Z', [check('clock', 'WARN')]), {
      actor: 'Le Van C',
      deviceId: '0190a0a0-0000-7000-8000-000000000001',
    });
    core.history.pinHostKey('sim-02', { algorithm: 'ssh-ed25519', fingerprint: `SHA256:${'C'.repeat(43)}` });
    const rows = db.prepare('SELECT entity, key FROM sync_outbox ORDER BY id').all() as {
      entity: string;
      key: string;
    }[];
    expect(rows.map((r) => r.entity)).toEqual(['diagnosis', 'unit']);
    expect(rows[1]?.key).toBe('sim-02');
    // The pulled diagnosis is in the logbook, with who ran it and on which device.
    const pulled = db
      .prepare("SELECT actor, device_id FROM logbook WHERE code = 'diagnosis' AND unit = 'sim-09'")
      .get() as { actor: string; device_id: string };
    expect(pulled).toEqual({ actor: 'Le Van C', device_id: '0190a0a0-0000-7000-8000-000000000001' });
  });
});
