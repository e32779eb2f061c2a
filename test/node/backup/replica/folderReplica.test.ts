import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkReplica } from '../../../../electron/core/backup/replica/checkReplica';
import { openFolderTarget } from '../../../../electron/core/backup/replica/folderTarget';
import { parseTarget, type ReplicaTarget } from '../../../../electron/core/backup/replica/ReplicaTarget';
import type { BackupStore } from '../../../../electron/core/backup/store/BackupStore';
import { staticKeyProvider } from '../../../../electron/core/backup/store/keyProviders';
import { AppError } from '../../../../shared/errors/AppError';
import {
  createHarness,
  dirEntry,
  fileEntry,
  filesUnder,
  PROFILE,
  readAll,
  seededBytes,
  streamOf,
  type Harness,
} from '../store/storeHarness';

const SECRET = Buffer.from('DB_PASSWORD=replica-secret-value-4242\n');

async function backUp(store: BackupStore, unit: string, firmwareSeed: string): Promise<string> {
  const firmware = seededBytes(firmwareSeed, 300 * 1024);
  const writer = await store.beginBackup({ unit, profile: PROFILE, kind: 'backup' });
  await writer.addFile(dirEntry('/opt/oht50'));
  await writer.addFile(fileEntry('/opt/oht50/firmware/main', firmware.length, { mode: 0o755 }), streamOf(firmware));
  await writer.addFile(
    fileEntry('/opt/oht50/backend/.env', SECRET.length, { mode: 0o600, secret: true }),
    streamOf(SECRET),
  );
  return (await writer.commit()).id;
}

/** A target that fails like a disk filling up once `allowed` files have been placed. */
function failingAfter(target: ReplicaTarget, allowed: number): ReplicaTarget {
  let placed = 0;
  return {
    ...target,
    async commitTemp(temp, path) {
      if (placed >= allowed) {
        await target.removeTemp(temp);
        throw new AppError('DISK_FULL', `The backup target ${target.description} is full`);
      }
      placed += 1;
      return target.commitTemp(temp, path);
    },
  };
}

describe('backups replicated to a folder', () => {
  let a: Harness;
  let b: Harness;
  let targetDir: string;

  beforeEach(async () => {
    a = await createHarness();
    b = await createHarness();
    targetDir = await mkdtemp(join(tmpdir(), 'ohtw-replica-'));
  });
  afterEach(async () => {
    await a.cleanup();
    await b.cleanup();
    await rm(targetDir, { recursive: true, force: true });
  });

  it('pushes what the target lacks, keeps secrets encrypted there, and pulls a backup into another store', async () => {
    const store = await a.open({ packSize: 64 * 1024 });
    const first = await backUp(store, 'unit-07', 'fw-1');
    const target = await openFolderTarget(targetDir);

    const pushed = await store.push(target);
    expect(pushed).toMatchObject({ pushed: [first], alreadyThere: 0, skipped: [], conflicts: [] });
    expect(pushed.packsCopied).toBeGreaterThan(1);

    const files = await filesUnder(targetDir);
    expect([...files.keys()].some((p) => p.startsWith('packs/'))).toBe(true);
    expect(files.has('key.json')).toBe(true);
    for (const [path, bytes] of files) {
      expect(bytes.includes(SECRET), `${path} holds the secret in clear`).toBe(false);
      expect(bytes.includes(Buffer.from('correct horse battery staple')), `${path} holds the passphrase`).toBe(false);
    }
    expect((await checkReplica(target, { readData: true })).ok).toBe(true);

    // Again: nothing to copy. A second backup sharing the firmware copies only its new packs.
    expect(await store.push(target)).toMatchObject({
      pushed: [],
      alreadyThere: 1,
      alreadyThereIds: [first],
      packsCopied: 0,
    });
    const second = await backUp(store, 'unit-07', 'fw-2');
    const again = await store.push(target);
    expect(again.pushed).toEqual([second]);
    expect(again.alreadyThere).toBe(1);

    const fresh = await b.open();
    const pulled = await fresh.pull(target, 'unit-07');
    expect(pulled.backups).toEqual([expect.objectContaining({ backupId: second, unit: 'unit-07', status: 'pulled' })]);
    expect(pulled.packsCopied).toBeGreaterThan(0);
    expect((await fresh.list()).map((s) => s.id)).toEqual([second]);
    expect(await fresh.verify(second)).toMatchObject({ ok: true, problems: [] });
    expect(await readAll(await fresh.openFile(second, '/opt/oht50/backend/.env'))).toEqual(SECRET);
    expect((await fresh.pull(target, first)).backups[0]?.status).toBe('pulled');
    expect((await fresh.pull(target, first)).backups[0]?.status).toBe('present');
    expect((await fresh.check({ readData: true })).ok).toBe(true);
    await target.close();
  });

  it('resumes an interrupted push: a full target loses nothing and the next push copies only what is missing', async () => {
    const store = await a.open({ packSize: 64 * 1024 });
    const id = await backUp(store, 'unit-08', 'fw-3');
    const target = await openFolderTarget(targetDir);

    // store.json, key.json and two packs fit; then the disk is full.
    await expect(store.push(failingAfter(target, 4))).rejects.toMatchObject({ code: 'DISK_FULL' });
    const before = await checkReplica(target);
    expect(before.counts.backups).toBe(0);
    expect(before.unreferencedPacks.length).toBe(2);

    const resumed = await store.push(target);
    expect(resumed.pushed).toEqual([id]);
    expect(resumed.packsPresent).toBe(2);
    const packs = [...(await filesUnder(targetDir)).keys()].filter((p) => p.startsWith('packs/'));
    expect(new Set(packs).size).toBe(packs.length);
    expect(packs.length).toBe(resumed.packsCopied + resumed.packsPresent);
    expect(await checkReplica(target, { readData: true })).toMatchObject({ ok: true, unreferencedPacks: [] });
    expect((await readdir(join(targetDir, 'tmp'))).length).toBe(0);
  });

  it('finds a damaged pack at the target, names its backup, and never overwrites it', async () => {
    const store = await a.open();
    const id = await backUp(store, 'unit-09', 'fw-4');
    const target = await openFolderTarget(targetDir);
    await store.push(target);
    const packPath = [...(await filesUnder(targetDir)).keys()].find((p) => p.startsWith('packs/')) ?? '';
    const bytes = await readFile(join(targetDir, packPath));
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(join(targetDir, packPath), bytes);

    expect((await checkReplica(target)).ok).toBe(true); // same size: only reading it finds it
    const checked = await checkReplica(target, { readData: true });
    expect(checked.ok).toBe(false);
    expect(checked.problems).toEqual([
      expect.objectContaining({ kind: 'pack', message: expect.stringContaining('SHA-256'), backups: [id] }),
    ]);

    // A pull refuses the damaged pack; the local store is left as it was.
    const fresh = await b.open();
    await expect(fresh.pull(target, id)).rejects.toMatchObject({ code: 'BACKUP_DAMAGED' });
    expect(await fresh.list()).toEqual([]);

    await writeFile(join(targetDir, packPath), bytes.subarray(0, 50));
    expect((await checkReplica(target)).problems[0]).toMatchObject({ kind: 'pack', backups: [id] });
    await backUp(store, 'unit-09', 'fw-4');
    const again = await store.push(target);
    expect(again.conflicts).toEqual([]);
    expect((await readFile(join(targetDir, packPath))).length).toBe(50);
  });

  it('refuses a store sealed under another key, and bad targets, with typed errors', async () => {
    const store = await a.open();
    await backUp(store, 'unit-10', 'fw-5');
    const target = await openFolderTarget(targetDir);
    await store.push(target);
    const other = await b.open({ keyProvider: staticKeyProvider('another passphrase') });
    await backUp(other, 'unit-11', 'fw-6');
    await expect(other.push(target)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(other.pull(target, 'unit-10')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(other.pull(target, 'unit-99')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await expect(openFolderTarget(join(targetDir, 'not-mounted'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A folder that exists but never received a push is the wrong folder, not a damaged replica.
    const empty = join(targetDir, 'empty');
    await mkdir(empty);
    await expect(checkReplica(await openFolderTarget(empty))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('holds no backup replica'),
    });
    for (const bad of ['ftp://h/x', 'sftp://host/x', 'sftp://u@h:99999/x', 'sftp://u@h/a/../b', 'relative/dir', '']) {
      expect(() => parseTarget(bad), bad).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
    expect(parseTarget('sftp://tech@nas.local:2222/srv/oht')).toEqual({
      kind: 'sftp',
      user: 'tech',
      host: 'nas.local',
      port: 2222,
      path: '/srv/oht',
    });
  });
});
