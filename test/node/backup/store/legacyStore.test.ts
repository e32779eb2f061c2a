import { cp, mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { BackupStore } from '../../../../electron/core/backup/store/BackupStore';
import { staticKeyProvider } from '../../../../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../../../../electron/core/backup/store/openBackupStore';
import { fixedClock } from '../../../../electron/core/ports/Clock';
import { createCapturingLogger } from '../../../support/fakes/captureLogger';
import { fileEntry, packFiles, PROFILE, readAll, sha256, streamOf } from './storeHarness';

/**
 * A store written by the one-file-per-chunk layout (fixtures/legacy-v1, made by that version of the store) opens as
 * it is: its backups list, verify and restore from the chunk files where they are, new chunks go to packs, a damaged
 * chunk file is quarantined, and prune collects chunk files no backup needs. Nothing is migrated in bulk.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/legacy-v1', import.meta.url));
const PASSPHRASE = 'legacy passphrase';
const FIRST = '20260301T080000Z-legacy-unit-ab6836cf';
const SECOND = '20260302T080000Z-legacy-unit-08d4527d';
/** The content the fixture's backups hold, made the way the fixture was made. */
const MAP = Buffer.from(
  Array.from({ length: 24000 }, (_, n) => `node ${n} x=${(n * 7919) % 10007} y=${(n * 104729) % 8191}\n`).join(''),
);
const ENV = Buffer.from('SECRET_KEY=legacy-secret\nDB=./oht50.db\n');

let root: string;
let dir: string;
const opened: BackupStore[] = [];

async function open(): Promise<BackupStore> {
  const store = await openBackupStore({
    dir,
    clock: fixedClock(Date.parse('2026-11-28T10:00:00Z'), 1000),
    logger: createCapturingLogger().logger,
    keyProvider: staticKeyProvider(PASSPHRASE),
  });
  opened.push(store);
  return store;
}

async function legacyChunkFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(join(dir, 'chunks'))) {
    out.push(...(await readdir(join(dir, 'chunks', sub))));
  }
  return out.sort();
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ohtw-legacy-'));
  dir = join(root, 'backups');
  await cp(FIXTURE, dir, { recursive: true });
});
afterEach(async () => {
  for (const store of opened.splice(0)) {
    await store.close();
  }
  await rm(root, { recursive: true, force: true });
});

describe('a store of the one-file-per-chunk layout', () => {
  it('opens, lists, verifies, checks and restores every file as it was, secrets included', async () => {
    const store = await open();
    expect((await store.list()).map((b) => b.id)).toEqual([SECOND, FIRST]);
    const config = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as {
      format: number;
      upgradedAt: string;
    };
    expect(config).toMatchObject({ format: 2, upgradedAt: expect.any(String) as string });
    for (const id of [FIRST, SECOND]) {
      expect(await store.verify(id)).toMatchObject({ ok: true, checkedFiles: 3, problems: [] });
    }
    expect(sha256(await readAll(await store.openFile(FIRST, '/opt/oht50/data/map.txt')))).toBe(sha256(MAP));
    expect((await readAll(await store.openFile(SECOND, '/opt/oht50/backend/.env'))).equals(ENV)).toBe(true);
    expect((await readAll(await store.openFile(SECOND, '/opt/oht50/config/system.yaml'))).toString()).toBe(
      'center: 10.0.0.6\n',
    );
    const manifest = await store.getManifest(FIRST);
    expect(manifest.entries.find((e) => e.path === '/opt/oht50/current')).toMatchObject({
      type: 'symlink',
      linkTarget: 'data/map.txt',
    });
    const checked = await store.check({ readData: true });
    expect(checked).toMatchObject({ ok: true, problems: [] });
    expect(checked.counts).toMatchObject({ backups: 2, legacyChunks: 6, packs: 0 });
    expect(checked.counts.readBytes).toBeGreaterThan(0);
  });

  it('a new backup reuses the chunk files it can and writes only new chunks, into a pack', async () => {
    const store = await open();
    const before = await legacyChunkFiles();
    const writer = await store.beginBackup({ unit: 'legacy-unit', profile: PROFILE, kind: 'backup' });
    await writer.addFile(fileEntry('/opt/oht50/data/map.txt', MAP.length), streamOf(MAP));
    const changed = Buffer.from('center: 10.0.0.7\n');
    await writer.addFile(fileEntry('/opt/oht50/config/system.yaml', changed.length), streamOf(changed));
    const summary = await writer.commit();
    expect(summary.newBytes).toBe(changed.length);
    expect(await legacyChunkFiles()).toEqual(before);
    expect(await packFiles(dir)).toHaveLength(1);
    expect(await store.verify(summary.id)).toMatchObject({ ok: true, checkedFiles: 2 });
    expect(sha256(await readAll(await store.openFile(summary.id, '/opt/oht50/data/map.txt')))).toBe(sha256(MAP));
  });

  it('a damaged chunk file is moved to quarantine (kept), and the next backup of that content heals both backups', async () => {
    const store = await open();
    const victim = (await store.getManifest(FIRST)).entries.find((e) => e.path === '/opt/oht50/data/map.txt')
      ?.chunks[0];
    expect(victim).toBeDefined();
    const id = victim?.id ?? '';
    await truncate(join(dir, 'chunks', id.slice(0, 2), id), 100);
    const verified = await store.verify(FIRST);
    expect(verified).toMatchObject({ ok: false, sharedWith: [SECOND], quarantined: 1 });
    expect(await readdir(join(dir, 'quarantine', 'legacy'))).toEqual([id]);

    const writer = await store.beginBackup({ unit: 'legacy-unit', profile: PROFILE, kind: 'backup' });
    await writer.addFile(fileEntry('/opt/oht50/data/map.txt', MAP.length), streamOf(MAP));
    const healed = await writer.commit();
    expect(healed.newBytes).toBe(victim?.size);
    for (const backup of [FIRST, SECOND, healed.id]) {
      expect((await store.verify(backup)).ok).toBe(true);
    }
  });

  it('prune removes chunk files no kept backup needs, and the store still checks clean', async () => {
    const store = await open();
    const writer = await store.beginBackup({ unit: 'legacy-unit', profile: PROFILE, kind: 'backup' });
    const other = Buffer.from('another unit state\n');
    await writer.addFile(fileEntry('/opt/oht50/config/system.yaml', other.length), streamOf(other));
    const latest = await writer.commit();
    const pruned = await store.prune({ keepDaily: 1, keepMonthly: 0, now: Date.parse('2026-11-28T12:00:00Z') });
    expect(pruned.removedBackups.sort()).toEqual([FIRST, SECOND]);
    expect(pruned.removedChunks).toBe(6);
    expect(await legacyChunkFiles()).toEqual([]);
    expect((await store.list()).map((b) => b.id)).toEqual([latest.id]);
    expect(await store.check({ readData: true })).toMatchObject({ ok: true, counts: { legacyChunks: 0 } });
  });
});
