import { lstat, mkdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { restoreToFolder } from '../../../../electron/core/backup/restore/restoreToFolder';
import type { BackupStore } from '../../../../electron/core/backup/store/BackupStore';
import { AppError } from '../../../../shared/errors/AppError';
import type { Harness } from '../store/storeHarness';
import { createHarness, damageChunk, dirEntry, fileEntry, PROFILE, seededBytes, streamOf } from '../store/storeHarness';

let h: Harness;
let store: BackupStore;
const isRoot = process.getuid?.() === 0;
const CONFIG = Buffer.from('center: 10.0.0.5\n');
const ENV = Buffer.from('SECRET_KEY=abc\n');
const BLOB = seededBytes('blob', 600 * 1024);

async function backup(): Promise<string> {
  const writer = await store.beginBackup({ unit: 'unit-07', profile: PROFILE, kind: 'backup' });
  await writer.addFile({ ...dirEntry('/opt/oht50'), mode: 0o750, uid: 1001, gid: 1001, owner: 'oht', group: 'oht' });
  await writer.addFile({ ...dirEntry('/opt/oht50/config'), mode: 0o700 });
  await writer.addFile(fileEntry('/opt/oht50/config/system.yaml', CONFIG.length, { mode: 0o640 }), streamOf(CONFIG));
  await writer.addFile(
    fileEntry('/opt/oht50/backend/.env', ENV.length, {
      mode: 0o600,
      uid: 0,
      gid: 0,
      owner: 'root',
      group: 'root',
      secret: true,
    }),
    streamOf(ENV),
  );
  await writer.addFile(fileEntry('/opt/oht50/data/blob.bin', BLOB.length, { mode: 0o4755 }), streamOf(BLOB));
  await writer.addFile({ ...fileEntry('/opt/oht50/current', 0), type: 'symlink', linkTarget: '/etc/passwd' });
  return (await writer.commit()).id;
}

beforeEach(async () => {
  h = await createHarness();
  store = await h.open();
});
afterEach(async () => {
  await h.cleanup();
});

describe('restore into a folder of the workstation', () => {
  it('writes every file under the folder with its content, mode, time (and owner as root); links stay links', async () => {
    const id = await backup();
    const dir = join(h.dir, '..', 'copy');
    const result = await restoreToFolder(store, { backupId: id, dir, asRoot: isRoot });
    expect(result).toMatchObject({ backupId: id, unit: 'unit-07', dir, files: 3, dirs: 2, links: 1, problems: [] });
    expect(result.bytes).toBe(CONFIG.length + ENV.length + BLOB.length);
    expect(await readFile(join(dir, 'opt/oht50/config/system.yaml'))).toEqual(CONFIG);
    expect(await readFile(join(dir, 'opt/oht50/backend/.env'))).toEqual(ENV);
    expect(await readFile(join(dir, 'opt/oht50/data/blob.bin'))).toEqual(BLOB);
    const mode = async (p: string): Promise<string> => ((await lstat(join(dir, p))).mode & 0o7777).toString(8);
    expect(await mode('opt/oht50/config/system.yaml')).toBe('640');
    expect(await mode('opt/oht50/backend/.env')).toBe('600');
    expect(await mode('opt/oht50')).toBe('750');
    expect(await mode('opt/oht50/config')).toBe('700');
    expect((await lstat(join(dir, 'opt/oht50/config/system.yaml'))).mtimeMs).toBe(Date.parse('2026-11-01T08:00:00Z'));
    // The link points where it pointed on the unit, and is never followed: /etc/passwd of this machine is untouched.
    expect(await readlink(join(dir, 'opt/oht50/current'))).toBe('/etc/passwd');
    if (isRoot) {
      expect(await mode('opt/oht50/data/blob.bin')).toBe('4755');
      expect((await lstat(join(dir, 'opt/oht50'))).uid).toBe(1001);
      expect((await lstat(join(dir, 'opt/oht50/config/system.yaml'))).uid).toBe(1000);
    }
  });

  it('refuses a relative folder and one that is not empty, writing nothing', async () => {
    const id = await backup();
    await expect(restoreToFolder(store, { backupId: id, dir: 'copy', asRoot: false })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const busy = join(h.dir, '..', 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'mine.txt'), 'the technician wrote this\n');
    const error = await restoreToFolder(store, { backupId: id, dir: busy, asRoot: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect(await readFile(join(busy, 'mine.txt'), 'utf8')).toBe('the technician wrote this\n');
  });

  it('a damaged file is listed and not written; the rest is', async () => {
    const id = await backup();
    const blob = (await store.getManifest(id)).entries.find((e) => e.path === '/opt/oht50/data/blob.bin');
    await damageChunk(h.dir, blob?.chunks[1]?.id ?? '', 'flip');
    const dir = join(h.dir, '..', 'partial-copy');
    const result = await restoreToFolder(store, { backupId: id, dir, asRoot: false });
    expect(result.problems.map((p) => p.path)).toEqual(['/opt/oht50/data/blob.bin']);
    expect(result.files).toBe(2);
    await expect(lstat(join(dir, 'opt/oht50/data/blob.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(dir, 'opt/oht50/config/system.yaml'))).toEqual(CONFIG);
  });
});
