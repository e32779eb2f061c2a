import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HISTORY_FILE } from '../../../electron/core/createCore';
import { createTree, profileUnder } from '../backup-sshd/vehicleTree';
import { consoleFixture, type ConsoleFixture } from '../../support/console/consoleFixture';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { run } from '../../support/sshd/run';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const STOPPED = { LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', UnitFileState: 'enabled' };
const MODULES = 'modules:\n  - {address: 2, type: power}\n  - {address: 3, type: safety}\nhealth_interval_ms: 10000\n';

describe('the Files tab against a real sshd', () => {
  let sshd: SshdFixture;
  let http: FakeVehicleHttp;
  let fx: ConsoleFixture;
  let base: string;
  const at = (path: string) => join(base, path);

  beforeAll(async () => {
    sshd = await startSshd();
    http = await startFakeVehicleHttp();
    base = join(sshd.vehicleDir, 'root');
    const tech = Number((await run('id', ['-u', sshd.user])).trim());
    // As on a vehicle: the install folder is the service user's, /etc/oht50 root's, the firmware's someone else's.
    await createTree(base, [
      { path: '/opt/oht50', type: 'dir', mode: 0o755, uid: tech, gid: tech },
      { path: '/opt/oht50/config', type: 'dir', mode: 0o750, uid: tech, gid: tech },
      {
        path: '/opt/oht50/config/system.yaml',
        content: 'center: 10.0.0.5\nunit: 7\n',
        mode: 0o640,
        uid: tech,
        gid: tech,
      },
      { path: '/opt/oht50/backend', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/opt/oht50/backend/.env', content: 'JWT_EXPIRY=1800\nLOG_LEVEL=INFO\n', mode: 0o600, uid: 0, gid: 0 },
      { path: '/opt/oht50/firmware', type: 'dir', mode: 0o750, uid: 4321, gid: 4322 },
      { path: '/opt/oht50/firmware/VERSION.txt', content: '2.4.1\n', mode: 0o644, uid: 4321, gid: 4322 },
      { path: '/etc/oht50', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/etc/oht50/modules.yaml', content: MODULES, mode: 0o644, uid: 0, gid: 0 },
    ]);
    fx = await consoleFixture(sshd, {
      env: { OHTW_PASSPHRASE: 'files-test-passphrase' },
      profile: { installDir: at('/opt/oht50'), firmwarePort: http.firmwarePort, backendPort: http.backendPort },
    });
    await fx.api().call('backup.setProfile', { unit: fx.unit, profile: await profileUnder(base) });
    await sshd.setService('oht50-firmware', STOPPED);
    await sshd.setService('oht50', null);
  });
  afterAll(async () => {
    await fx?.close();
    await http?.close();
    await sshd?.stop();
  });

  it("browses the profile's folders, through sudo where the login user may not look", async () => {
    const { roots } = await fx.api().call('files.roots', { unit: fx.unit });
    expect(roots).toEqual(expect.arrayContaining([at('/opt/oht50'), at('/etc/oht50'), at('/etc/systemd/system')]));

    const install = await fx.api().call('files.list', { unit: fx.unit, path: at('/opt/oht50') });
    expect(install.via).toBe('sftp');
    expect(install.entries.map((e) => [e.name, e.type])).toEqual([
      ['backend', 'dir'],
      ['config', 'dir'],
      ['firmware', 'dir'],
    ]);
    const firmware = await fx.api().call('files.list', { unit: fx.unit, path: at('/opt/oht50/firmware') });
    expect(firmware.via).toBe('sudo');
    expect(firmware.entries).toEqual([
      expect.objectContaining({ name: 'VERSION.txt', mode: 0o644, uid: 4321, gid: 4322, size: 6 }),
    ]);
    await expect(fx.api().call('files.list', { unit: fx.unit, path: '/etc' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('reads a root-only file through sudo -n and downloads any file', async () => {
    const env = await fx.api().call('files.read', { unit: fx.unit, path: at('/opt/oht50/backend/.env') });
    expect(env).toMatchObject({ via: 'sudo', text: 'JWT_EXPIRY=1800\nLOG_LEVEL=INFO\n', services: ['oht50-backend'] });
    const download = await fx
      .api()
      .call('files.download', { unit: fx.unit, path: at('/opt/oht50/firmware/VERSION.txt') });
    expect(Buffer.from(download.contentBase64, 'base64').toString()).toBe('2.4.1\n');
  });

  it('edits a root-owned file: the diff first, the old file into the store, owner and mode kept, audited', async () => {
    const path = at('/etc/oht50/modules.yaml');
    const read = await fx.api().call('files.read', { unit: fx.unit, path });
    expect(read.services).toEqual(['oht50-firmware', 'oht50']);
    const text = read.text!.replace('health_interval_ms: 10000', 'health_interval_ms: 5000');
    const plan = await fx.api().call('files.planEdit', { unit: fx.unit, path, text, baseSha256: read.sha256 });
    expect(plan).toMatchObject({ unchanged: false, running: [], gates: [] });
    expect(plan.diff).toMatchObject({ added: 1, removed: 1 });
    expect(plan.diff.hunks[0]?.lines).toEqual(
      expect.arrayContaining(['-health_interval_ms: 10000', '+health_interval_ms: 5000']),
    );

    const applied = await fx.api().call('files.applyEdit', {
      unit: fx.unit,
      path,
      text,
      baseSha256: read.sha256,
      confirm: true,
    });
    expect(applied.via).toBe('sudo');
    expect(await readFile(path, 'utf8')).toBe(text);
    const onDisk = await stat(path);
    expect([onDisk.uid, onDisk.gid, onDisk.mode & 0o7777]).toEqual([0, 0, 0o644]);

    // The file as it was is in the store, as a backup of its own.
    const compared = await fx.api().call('files.compare', { unit: fx.unit, path, backupId: applied.backupId });
    expect(compared.backup).toBe(MODULES);
    expect(compared.current).toBe(text);
    const snapshots = await fx.api().call('backup.list', { unit: fx.unit, kind: 'snapshot' });
    expect(snapshots.map((b) => b.id)).toContain(applied.backupId);

    const db = new BetterSqlite3(join(fx.dataDir, HISTORY_FILE), { readonly: true });
    try {
      const row = db
        .prepare<[], { outcome: string; details_json: string }>(
          "SELECT outcome, details_json FROM audit_log WHERE action = 'files.edit'",
        )
        .get();
      expect(row?.outcome).toBe('ok');
      expect(JSON.parse(row?.details_json ?? '{}')).toMatchObject({
        path,
        backupId: applied.backupId,
        sha256Before: read.sha256,
        sha256After: applied.sha256,
        added: 1,
        removed: 1,
      });
    } finally {
      db.close();
    }
    expect(await fx.api().call('audit.verify', {})).toMatchObject({ ok: true });
  });

  it("edits the login user's own file over SFTP, keeping its owner and mode, and a secret through the store's key", async () => {
    const path = at('/opt/oht50/config/system.yaml');
    const read = await fx.api().call('files.read', { unit: fx.unit, path });
    const before = await stat(path);
    const applied = await fx.api().call('files.applyEdit', {
      unit: fx.unit,
      path,
      text: `${read.text!}roaming: true\n`,
      baseSha256: read.sha256,
      confirm: true,
    });
    expect(applied.via).toBe('sftp');
    const after = await stat(path);
    expect([after.uid, after.gid, after.mode & 0o7777]).toEqual([before.uid, before.gid, 0o640]);

    const env = await fx.api().call('files.read', { unit: fx.unit, path: at('/opt/oht50/backend/.env') });
    const secret = await fx.api().call('files.applyEdit', {
      unit: fx.unit,
      path: at('/opt/oht50/backend/.env'),
      text: env.text!.replace('INFO', 'DEBUG'),
      baseSha256: env.sha256,
      confirm: true,
    });
    const detail = await fx.api().call('backup.get', { backupId: secret.backupId });
    expect(detail.entries).toEqual([
      expect.objectContaining({ path: at('/opt/oht50/backend/.env'), secret: true, mode: 0o600 }),
    ]);
  });

  it('refuses the edit while the vehicle moves and a service that reads the file runs; and a stale edit', async () => {
    const path = at('/etc/oht50/modules.yaml');
    const read = await fx.api().call('files.read', { unit: fx.unit, path });
    await sshd.setService('oht50-firmware', RUNNING);
    http.firmware.state = 'MOVE';
    try {
      const text = `${read.text!}# changed while moving\n`;
      const plan = await fx.api().call('files.planEdit', { unit: fx.unit, path, text, baseSha256: read.sha256 });
      expect(plan).toMatchObject({ running: ['oht50-firmware'], gates: ['vehicle.stopped'] });
      await expect(
        fx.api().call('files.applyEdit', { unit: fx.unit, path, text, baseSha256: read.sha256, confirm: true }),
      ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('MOVE') });
      expect(await readFile(path, 'utf8')).toBe(read.text);

      // Stopped again, the same edit goes through; one made on an older read does not.
      http.firmware.state = 'IDLE';
      await fx.api().call('files.applyEdit', { unit: fx.unit, path, text, baseSha256: read.sha256, confirm: true });
      await expect(
        fx.api().call('files.applyEdit', { unit: fx.unit, path, text: 'x\n', baseSha256: read.sha256, confirm: true }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      http.firmware.state = 'IDLE';
      await sshd.setService('oht50-firmware', STOPPED);
    }
    const db = new BetterSqlite3(join(fx.dataDir, HISTORY_FILE), { readonly: true });
    try {
      const refused = db
        .prepare<[], { details_json: string }>(
          "SELECT details_json FROM audit_log WHERE action = 'files.edit' AND outcome = 'refused'",
        )
        .all();
      expect(refused).toHaveLength(1);
      expect(JSON.parse(refused[0]?.details_json ?? '{}')).toMatchObject({
        path,
        running: ['oht50-firmware'],
        gates: [{ gate: 'vehicle.stopped', status: 'red' }],
      });
    } finally {
      db.close();
    }
  });
});
