import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BackupDetail, BackupRunResult, BackupSummaryView } from '../../../shared/domain/backup';
import { backupStoreDir } from '../../../electron/core/backup/backupStoreFor';
import { openBackupStore } from '../../../electron/core/backup/store/openBackupStore';
import { staticKeyProvider } from '../../../electron/core/backup/store/keyProviders';
import { createCore, type Core, HISTORY_FILE } from '../../../electron/core/createCore';
import { ParamsBackupStore } from '../../../electron/core/rs485/paramsBackup';
import { systemClock } from '../../../electron/core/ports/Clock';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { createBackendDatabase, createTree, FIRMWARE, onDisk, profileUnder, standardTree } from './vehicleTree';

const PASSPHRASE = 'correct horse battery staple';

let sshd: SshdFixture;
let dataDir: string;
let core: Core;

async function call<T>(name: string, input: unknown): Promise<T> {
  const envelope = await core.dispatch(name, input);
  if (!envelope.ok) {
    throw new Error(`${name} failed: ${JSON.stringify(envelope.error)}`);
  }
  return envelope.value as T;
}

async function addUnit(name: string, base: string, user = sshd.user): Promise<void> {
  await call('units.add', {
    name,
    host: sshd.host,
    port: sshd.port,
    user,
    auth: { kind: 'key', keyPath: sshd.clientKeyPath },
  });
  await call('units.trust', { name, fingerprint: sshd.hostKeyFingerprint });
  await call('backup.setProfile', { unit: name, profile: await profileUnder(base) });
}

const baseOf = (unit: string): string => join(sshd.vehicleDir, 'units-tree', unit);

beforeAll(async () => {
  sshd = await startSshd();
  dataDir = await mkdtemp(join(tmpdir(), 'ohtw-backup-sshd-'));
  core = await createCore({
    dataDir,
    face: 'cli',
    logger: createCapturingLogger().logger,
    env: { OHTW_PASSPHRASE: PASSPHRASE },
  });
  await createTree(baseOf('unit-a'), standardTree('unit-a'));
  await createBackendDatabase(baseOf('unit-a'));
  await addUnit('unit-a', baseOf('unit-a'));
});

afterAll(async () => {
  await core?.close();
  await sshd?.stop();
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('backups of a unit over a real sshd', () => {
  it('records every file of the profile with its exact owner, mode and content, root-only ones included', async () => {
    const base = baseOf('unit-a');
    const run = await call<BackupRunResult>('backup.run', { names: ['unit-a'] });
    const [result] = run.results;
    expect(result).toMatchObject({ unit: 'unit-a', status: 'ok', error: null });
    const detail = await call<BackupDetail>('backup.get', { backupId: result?.backupId });
    const byPath = new Map(detail.entries.map((e) => [e.path.slice(base.length), e]));
    const expected = standardTree('unit-a').filter(
      (f) =>
        !f.path.startsWith('/opt/oht50/logs') &&
        f.path !== '/etc/systemd/system/ssh.service' &&
        !['/opt/oht50', '/opt/oht50/backend', '/etc/systemd/system', '/etc/udev/rules.d', '/boot'].includes(f.path),
    );
    for (const file of expected) {
      const entry = byPath.get(file.path);
      expect(entry, file.path).toBeDefined();
      const disk = await onDisk(base + file.path);
      expect({ path: file.path, mode: entry?.mode, uid: entry?.uid, gid: entry?.gid, type: entry?.type }).toEqual({
        path: file.path,
        mode: disk.mode,
        uid: disk.uid,
        gid: disk.gid,
        type: disk.type,
      });
      if (disk.sha256 !== undefined) {
        expect(entry?.sha256, file.path).toBe(disk.sha256);
      }
    }
    expect(byPath.get('/opt/oht50/firmware/build/oht50_main')?.mode).toBe(0o4755);
    expect(byPath.get('/opt/oht50/firmware/current')).toMatchObject({
      type: 'symlink',
      linkTarget: 'build/oht50_main',
    });
    expect(byPath.get('/opt/oht50/firmware/modules.yaml')).toMatchObject({ uid: 4321, gid: 4322 });
    expect(byPath.get('/opt/oht50/backend/.env')?.secret).toBe(true);
    expect(byPath.get('/etc/oht50/private/wifi.key')?.secret).toBe(true);
    expect(byPath.get('/opt/oht50/config/system.yaml')?.secret).toBe(false);
    // Logs are off by default; only the oht50 units of systemd; the database as its consistent copy.
    expect([...byPath.keys()].filter((p) => p.startsWith('/opt/oht50/logs'))).toEqual([]);
    expect(byPath.has('/etc/systemd/system/ssh.service')).toBe(false);
    expect(byPath.get('/opt/oht50/backend/oht50.db')).toMatchObject({
      type: 'file',
      uid: 1001,
      gid: 1001,
      mode: 0o640,
    });
    expect(result?.warnings).toEqual(
      expect.arrayContaining([
        `${base}/opt/oht50/data: not on the unit`,
        `${base}/opt/oht50/frontend: not on the unit`,
      ]),
    );
    expect(detail.meta).toMatchObject({ hostKeyFingerprint: sshd.hostKeyFingerprint, database: 'online' });
    const listed = await call<BackupSummaryView[]>('backup.list', { unit: 'unit-a' });
    expect(listed.map((b) => b.id)).toContain(result?.backupId);
  });
});
