import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  BackupDetail,
  BackupProgress,
  BackupRunResult,
  BackupSummaryView,
  BackupUnitResult,
} from '../../../shared/domain/backup';
import { backupStoreDir } from '../../../electron/core/backup/backupStoreFor';
import { openBackupStore } from '../../../electron/core/backup/store/openBackupStore';
import { staticKeyProvider } from '../../../electron/core/backup/store/keyProviders';
import { createCore, type Core, HISTORY_FILE } from '../../../electron/core/createCore';
import { ParamsBackupStore } from '../../../electron/core/rs485/paramsBackup';
import { systemClock } from '../../../electron/core/ports/Clock';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { startCutProxy, type CutProxy } from './cutProxy';
import { damageChunk } from '../backup/store/storeHarness';
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

async function addUnit(name: string, base: string, user = sshd.user, port = sshd.port): Promise<void> {
  await call('units.add', {
    name,
    host: sshd.host,
    port,
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
  await createTree(baseOf('unit-b'), standardTree('unit-b'));
  await createBackendDatabase(baseOf('unit-b'));
  await addUnit('unit-b', baseOf('unit-b'));
});

async function backupOk(name: string): Promise<BackupUnitResult> {
  const run = await call<BackupRunResult>('backup.run', { names: [name] });
  const [result] = run.results;
  if (result?.status !== 'ok' || result.backupId === null) {
    throw new Error(`backup of ${name} failed: ${JSON.stringify(result)}`);
  }
  return result;
}

/** A file of a backup, read back from the store into a temporary file. */
async function extract(backupId: string, path: string): Promise<string> {
  const store = await openBackupStore({
    dir: backupStoreDir(dataDir),
    clock: systemClock,
    logger: createCapturingLogger().logger,
    keyProvider: staticKeyProvider(PASSPHRASE),
  });
  try {
    const out = join(dataDir, `extract-${randomBytes(4).toString('hex')}`);
    await pipeline(await store.openFile(backupId, path), createWriteStream(out));
    return out;
  } finally {
    await store.close();
  }
}

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

  it("joins the unit's latest RS485 module parameters, and a second backup of an unchanged unit writes little", async () => {
    const history = new Database(join(dataDir, HISTORY_FILE));
    try {
      const at = (iso: string) => new ParamsBackupStore(history, { now: () => Date.parse(iso), nowIso: () => iso });
      at('2026-01-10T08:00:00.000Z').save({
        unit: 'unit-a',
        takenBy: 'older',
        note: null,
        modules: [{ type: 'power', slave: 2, profileId: 'power-code', profileVersion: 1, values: [] }],
      });
      at('2026-02-10T08:00:00.000Z').save({
        unit: 'unit-a',
        takenBy: 'tech',
        note: 'after the charger swap',
        modules: [
          {
            type: 'power',
            slave: 2,
            profileId: 'power-code',
            profileVersion: 1,
            values: [{ address: 0x0109, name: 'charge_enable', raw: 1, error: null }],
          },
        ],
      });
    } finally {
      history.close();
    }
    const first = await backupOk('unit-a');
    const second = await backupOk('unit-a');
    expect(second.bytes).toBe(first.bytes);
    expect(second.newBytes).toBeLessThan(second.bytes * 0.05);
    expect(second.reusedFiles).toBeGreaterThan(5);
    expect(second.attachments).toEqual(['rs485-parameters']);
    const detail = await call<BackupDetail>('backup.get', { backupId: second.backupId });
    expect(detail.attachments['rs485-parameters']).toMatchObject({
      unit: 'unit-a',
      takenBy: 'tech',
      note: 'after the charger swap',
      modules: [{ type: 'power', slave: 2, values: [{ name: 'charge_enable', raw: 1 }] }],
    });
  });

  it('reads a file changed since the previous backup again, and everything with full', async () => {
    const base = baseOf('unit-a');
    const path = `${base}/etc/oht50/safety_config.yaml`;
    const before = await readFile(path, 'utf8');
    // Same size, new content: only the modification time tells.
    await writeFile(path, before.replace('100', '250'));
    const changed = await backupOk('unit-a');
    expect(changed.reusedFiles).toBeGreaterThan(5);
    const detail = await call<BackupDetail>('backup.get', { backupId: changed.backupId });
    const entry = detail.entries.find((e) => e.path === path);
    expect(entry?.sha256).toBe((await onDisk(path)).sha256);
    expect(entry?.size).toBe(before.length);

    const run = await call<BackupRunResult>('backup.run', { names: ['unit-a'], full: true });
    expect(run.results[0]).toMatchObject({ status: 'ok', reusedFiles: 0, newBytes: expect.any(Number) });
    expect(run.results[0]?.files).toBe(changed.files);
  });

  it('adds unchanged files by reference, and reads one from the unit again when a chunk of it was found damaged', async () => {
    // The firmware: its chunks are its own (small files share compressed blocks, a damaged one takes the block's).
    const path = `${baseOf('unit-a')}/opt/oht50/firmware/build/oht50_main`;
    const first = await backupOk('unit-a');
    expect(first.reusedFiles).toBeGreaterThan(5);
    expect(first.newBytes).toBe(0);
    const store = await openBackupStore({
      dir: backupStoreDir(dataDir),
      clock: systemClock,
      logger: createCapturingLogger().logger,
      keyProvider: staticKeyProvider(PASSPHRASE),
    });
    let lost = '';
    try {
      const manifest = await store.getManifest(first.backupId ?? '');
      lost = manifest.entries.find((e) => e.path === path)?.chunks[0]?.id ?? '';
      // The chunk is this file's alone, so exactly one unchanged file loses its reference.
      expect(manifest.entries.filter((e) => e.chunks.some((c) => c.id === lost)).map((e) => e.path)).toEqual([path]);
    } finally {
      await store.close();
    }
    await damageChunk(backupStoreDir(dataDir), lost, 'flip');
    // The verify finds it and takes it out of use (kept on disk); the next backup must not reference it.
    expect(await call('backup.verify', { backupId: first.backupId })).toMatchObject({ ok: false, quarantined: 1 });

    const again = await backupOk('unit-a');
    expect(again.reusedFiles).toBe((first.reusedFiles ?? 0) - 1);
    expect(again.files).toBe(first.files);
    expect(again.newBytes).toBeGreaterThan(0);
    expect(again.warnings.filter((w) => w.includes('read from the unit again'))).toEqual([
      expect.stringContaining(path) as string,
    ]);
    const detail = await call<BackupDetail>('backup.get', { backupId: again.backupId });
    expect(detail.entries.find((e) => e.path === path)?.sha256).toBe((await onDisk(path)).sha256);
    expect(await call('backup.verify', { backupId: again.backupId })).toMatchObject({ ok: true, problems: [] });
    // Read again, the chunk is written anew: the backup that had the damaged one is whole again too.
    expect(await call('backup.verify', { backupId: first.backupId })).toMatchObject({ ok: true, problems: [] });
  });

  it('stores the firmware two units share once', async () => {
    const b = await backupOk('unit-b');
    // The firmware (2 MiB of the unit's bytes) is already in the store from unit-a: none of it is new.
    expect(b.bytes).toBeGreaterThan(FIRMWARE.length);
    expect(b.newBytes).toBeLessThanOrEqual(b.bytes - FIRMWARE.length);
    const stats = await call<{ logicalBytes: number; uniqueBytes: number }>('backup.stats', {});
    expect(stats.uniqueBytes).toBeLessThan(stats.logicalBytes / 2);
  });

  it('copies the database consistently while it is being written to', async () => {
    const base = baseOf('unit-db');
    await createTree(base, standardTree('unit-db'));
    const dbPath = await createBackendDatabase(base, 150_000);
    await addUnit('unit-db', base);
    // Another process commits transactions as fast as it can: 50 rows and the counter that must match them.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1], { timeout: 20000 });
      const insert = db.prepare('INSERT INTO telemetry (at, value) VALUES (?, ?)');
      const bump = db.prepare('UPDATE counter SET total = total + 50');
      const tx = db.transaction(() => { for (let i = 0; i < 50; i++) insert.run(Date.now(), i); bump.run(); });
      let commits = 0;
      const tick = () => { tx(); commits++; if (commits % 20 === 0) process.stdout.write(commits + '\\n'); setImmediate(tick); };
      tick();`;
    const writer: ChildProcess = spawn(process.execPath, ['-e', script, dbPath], { cwd: process.cwd() });
    let commits = 0;
    writer.stdout?.on('data', (chunk: Buffer) => {
      commits = Number(chunk.toString().trim().split('\n').pop());
    });
    try {
      while (commits < 40) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const before = commits;
      const result = await backupOk('unit-db');
      expect(commits).toBeGreaterThan(before);
      const copy = await extract(result.backupId ?? '', dbPath);
      const db = new Database(copy, { readonly: true });
      try {
        expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
        const rows = db.prepare('SELECT COUNT(*) FROM telemetry').pluck().get() as number;
        const total = db.prepare('SELECT total FROM counter').pluck().get() as number;
        expect(rows).toBe(total);
        expect(rows).toBeGreaterThan(150_000);
      } finally {
        db.close();
      }
    } finally {
      writer.kill();
    }
  });

  it('lists nothing for a backup whose connection was cut, and the next backup succeeds', async () => {
    const base = baseOf('unit-cut');
    await createTree(base, [
      ...standardTree('unit-cut'),
      { path: '/opt/oht50/data', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 },
      { path: '/opt/oht50/data/maps.bin', content: randomBytes(12 * 1024 * 1024), mode: 0o644, uid: 1001, gid: 1001 },
    ]);
    let proxy: CutProxy | undefined;
    try {
      proxy = await startCutProxy(sshd.port);
      await addUnit('unit-cut', base, sshd.user, proxy.port);
      proxy.cutAfter(4 * 1024 * 1024);
      const run = await call<BackupRunResult>('backup.run', { names: ['unit-cut'] });
      expect(proxy.cuts()).toBeGreaterThan(0);
      expect(run.results[0]).toMatchObject({ status: 'failed', backupId: null, error: { code: 'TRANSPORT_CLOSED' } });
      expect(await call<BackupSummaryView[]>('backup.list', { unit: 'unit-cut' })).toEqual([]);

      proxy.cutAfter(null);
      const again = await call<BackupRunResult>('backup.retryFailed', { runId: run.runId });
      expect(again.results).toHaveLength(1);
      expect(again.results[0]).toMatchObject({ unit: 'unit-cut', status: 'ok' });
      const listed = await call<BackupSummaryView[]>('backup.list', { unit: 'unit-cut' });
      expect(listed.map((b) => b.id)).toEqual([again.results[0]?.backupId]);
      const verified = await call<{ ok: boolean; checkedFiles: number }>('backup.verify', {
        backupId: again.results[0]?.backupId,
      });
      expect(verified.ok).toBe(true);
      expect(verified.checkedFiles).toBeGreaterThan(10);
    } finally {
      await proxy?.close();
    }
  });

  it('backs up a fleet with bounded parallelism and a result per unit, failures included', async () => {
    await addUnit('unit-nosudo', baseOf('unit-a'), sshd.noSudoUser);
    const events: BackupProgress[] = [];
    const unsubscribe = core.events.subscribe((event) => {
      if (event.name === 'backup.progress') {
        events.push(event.payload as BackupProgress);
      }
    });
    try {
      const run = await call<BackupRunResult>('backup.run', {
        names: ['unit-a', 'unit-nosudo', 'unit-b'],
        concurrency: 2,
      });
      expect(run.results.map((r) => [r.unit, r.status, r.error?.code ?? null])).toEqual([
        ['unit-a', 'ok', null],
        ['unit-nosudo', 'failed', 'SUDO_PASSWORD_REQUIRED'],
        ['unit-b', 'ok', null],
      ]);
      for (const unit of ['unit-a', 'unit-b']) {
        const phases = events.filter((e) => e.unit === unit && e.runId === run.runId).map((e) => e.phase);
        expect(phases[0]).toBe('queued');
        expect(phases).toContain('connecting');
        expect(phases.at(-1)).toBe('done');
      }
      expect(events.filter((e) => e.unit === 'unit-nosudo').at(-1)).toMatchObject({ phase: 'failed' });
      expect(await call<BackupSummaryView[]>('backup.list', { unit: 'unit-nosudo' })).toEqual([]);
      const retried = await call<BackupRunResult>('backup.retryFailed', { runId: run.runId });
      expect(retried.results.map((r) => r.unit)).toEqual(['unit-nosudo']);
    } finally {
      unsubscribe();
    }
  });

  it('refuses to stop a service for the database copy without confirmation', async () => {
    const envelope = await core.dispatch('backup.run', { names: ['unit-a'], database: 'service-stopped' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
  });

  it("stops the database's service around the copy only when confirmed, and starts it again, both audited", async () => {
    const running = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
    await sshd.setService('oht50-backend', running);
    const run = await call<BackupRunResult>('backup.run', {
      names: ['unit-b'],
      database: 'service-stopped',
      confirmServiceStop: true,
    });
    expect(run.results[0]?.status).toBe('ok');
    expect(run.results[0]?.warnings.filter((w) => w.includes('did not start'))).toEqual([]);
    const unitFile = await readFile(join(sshd.vehicleDir, 'units', 'oht50-backend.service'), 'utf8');
    expect(unitFile).toContain('ActiveState=active');
    const actions = core.history
      .listAudit({ unit: 'unit-b', limit: 5 })
      .map((r) => [r.action, r.outcome, r.details.service ?? null]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['backup.serviceStop', 'ok', 'oht50-backend'],
        ['backup.serviceStart', 'ok', 'oht50-backend'],
        ['backup.run', 'ok', null],
      ]),
    );
    const state = await call<BackupDetail>('backup.get', { backupId: run.results[0]?.backupId });
    expect(state.meta.database).toBe('service-stopped');
  });

  it('prunes to the newest backup of the day per unit', async () => {
    const before = await call<BackupSummaryView[]>('backup.list', { unit: 'unit-a' });
    expect(before.length).toBeGreaterThan(1);
    const pruned = await call<{ removedBackups: string[] }>('backup.prune', { keepDaily: 1, keepMonthly: 0 });
    expect(pruned.removedBackups).toEqual(expect.arrayContaining(before.slice(1).map((b) => b.id)));
    const after = await call<BackupSummaryView[]>('backup.list', { unit: 'unit-a' });
    expect(after.map((b) => b.id)).toEqual([before[0]?.id]);
  });
});
