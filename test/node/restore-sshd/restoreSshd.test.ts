import { chmod, lchown, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RestorePlan, RestoreProgress, RestoreResult } from '../../../shared/domain/restore';
import { backupStoreDir } from '../../../electron/core/backup/backupStoreFor';
import { staticKeyProvider } from '../../../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../../../electron/core/backup/store/openBackupStore';
import { createCore, HISTORY_FILE, type Core } from '../../../electron/core/createCore';
import { systemClock } from '../../../electron/core/ports/Clock';
import { runCli } from '../../../electron/cli/main';
import { captureIo } from '../../support/cli/captureIo';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { damageChunk } from '../backup/store/storeHarness';
import { createBackendDatabase, createTree, standardTree } from '../backup-sshd/vehicleTree';
import { addRestoreUnit, backupOf, envelopeValue, failStartOnBadConfig, fullListing } from './restoreHarness';

const PASSPHRASE = 'restore test passphrase';
let sshd: SshdFixture;
let dataDir: string;
let core: Core;
const progress: RestoreProgress[] = [];

const baseOf = (unit: string): string => join(sshd.vehicleDir, 'units-tree', unit);
const at = (unit: string, path: string): string => baseOf(unit) + path;
const DB = '/opt/oht50/backend/oht50.db';

/** The firmware fails to start while the unit's safety config holds a negative E-Stop timeout, as a real one would. */
async function fakeServices(unit: string): Promise<void> {
  await sshd.setService('oht50-backend', { ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' });
  await sshd.setService('oht50-firmware', { ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' });
  await failStartOnBadConfig(
    sshd,
    'oht50-firmware',
    at(unit, '/etc/oht50/safety_config.yaml'),
    'estop_timeout_ms: -1',
    'safety_config.yaml: estop_timeout_ms must be positive',
  );
}

async function unitWithTree(unit: string): Promise<void> {
  await createTree(baseOf(unit), standardTree(unit));
  await createBackendDatabase(baseOf(unit));
  await addRestoreUnit(core, sshd, unit, baseOf(unit));
}

/** Changes of every kind inside the profile: content, mode, owner, a file added, one deleted, a symlink re-pointed. */
async function driftUnit(unit: string, note = 'drifted'): Promise<void> {
  await writeFile(at(unit, '/opt/oht50/config/system.yaml'), `unit: ${note}\ncenter: 10.9.9.9\n`);
  await chmod(at(unit, '/etc/oht50/safety_config.yaml'), 0o666);
  await lchown(at(unit, '/opt/oht50/firmware/modules.yaml'), 0, 0);
  await writeFile(at(unit, `/etc/oht50/added-since-${note}.yaml`), 'new: true\n');
  await rm(at(unit, '/etc/oht50/private/wifi.key'), { force: true });
  await rm(at(unit, '/opt/oht50/firmware/current'), { force: true });
  await symlink(`modules-${note}.yaml`, at(unit, '/opt/oht50/firmware/current'));
  await mkdir(at(unit, `/opt/oht50/config/extra-${note}`));
  await writeFile(at(unit, `/opt/oht50/config/extra-${note}/leftover.txt`), 'left over\n');
  // Outside the profile (logs are off by default): a restore must leave it exactly as it is.
  await writeFile(at(unit, '/opt/oht50/logs/oht50.log'), `written after the backup (${note})\n`);
}

function dbRows(unit: string): unknown {
  const db = new Database(at(unit, DB), { readonly: true });
  try {
    return db.prepare('SELECT (SELECT count(*) FROM telemetry) AS rows, (SELECT total FROM counter) AS total').get();
  } finally {
    db.close();
  }
}

/** A listing without the database file, whose bytes a consistent copy may renumber; its rows are compared instead. */
function withoutDb(listing: Map<string, unknown>, unit: string): Map<string, unknown> {
  const out = new Map(listing);
  out.delete(at(unit, DB));
  return out;
}

async function snapshotsOf(unit: string): Promise<number> {
  const store = await openBackupStore({
    dir: backupStoreDir(dataDir),
    clock: systemClock,
    logger: createCapturingLogger().logger,
    keyProvider: staticKeyProvider(PASSPHRASE),
  });
  try {
    return (await store.list({ unit })).filter((b) => b.kind === 'snapshot').length;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  sshd = await startSshd();
  dataDir = await mkdtemp(join(tmpdir(), 'ohtw-restore-sshd-'));
  core = await createCore({
    dataDir,
    face: 'cli',
    logger: createCapturingLogger().logger,
    env: { OHTW_PASSPHRASE: PASSPHRASE, OHTW_RESTORE_SETTLE_MS: '0' },
  });
  core.events.subscribe((event) => {
    if (event.name === 'restore.progress') {
      progress.push(event.payload as RestoreProgress);
    }
  });
}, 120_000);

afterAll(async () => {
  await core?.close();
  await sshd?.stop();
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('restore over a real sshd', () => {
  it('a dry run lists exactly what changes and touches nothing; without confirmation nothing runs', async () => {
    await unitWithTree('unit-r');
    await fakeServices('unit-r');
    const backupId = await backupOf(core, 'unit-r');
    await driftUnit('unit-r');
    const before = await fullListing(baseOf('unit-r'));

    const plan = envelopeValue<RestorePlan>(
      await core.dispatch('restore.plan', { name: 'unit-r', backupId }),
      'restore.plan',
    );
    const rel = (p: string): string => p.slice(baseOf('unit-r').length);
    expect(plan.changes.map((c) => [rel(c.path), c.action])).toEqual([
      ['/etc/oht50/added-since-drifted.yaml', 'delete'],
      ['/etc/oht50/private/wifi.key', 'create'],
      ['/etc/oht50/safety_config.yaml', 'modify'],
      // The backup holds a consistent copy (SQLite's own backup), not the live file's bytes.
      ['/opt/oht50/backend/oht50.db', 'modify'],
      ['/opt/oht50/config/extra-drifted', 'delete'],
      ['/opt/oht50/config/extra-drifted/leftover.txt', 'delete'],
      ['/opt/oht50/config/system.yaml', 'modify'],
      ['/opt/oht50/firmware/current', 'modify'],
      ['/opt/oht50/firmware/modules.yaml', 'modify'],
    ]);
    expect(plan.changes.find((c) => rel(c.path) === '/etc/oht50/safety_config.yaml')?.differs).toEqual(['mode']);
    expect(plan.changes.find((c) => rel(c.path) === '/opt/oht50/firmware/modules.yaml')?.differs).toEqual(['owner']);
    expect(plan.services).toEqual(['oht50-backend', 'oht50-firmware', 'oht50']);
    expect(await fullListing(baseOf('unit-r'))).toEqual(before);

    const refused = await core.dispatch('restore.run', { name: 'unit-r', backupId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(await fullListing(baseOf('unit-r'))).toEqual(before);
  }, 120_000);

  it('a confirmed restore puts back exactly the backed-up tree (contents, owners, modes), recorded phase by phase', async () => {
    const backupId = await backupOf(core, 'unit-r');
    const atBackup = await fullListing(baseOf('unit-r'));
    const rowsAtBackup = dbRows('unit-r');
    await driftUnit('unit-r', 'again');
    const db = new Database(at('unit-r', DB));
    db.prepare('UPDATE counter SET total = 999').run();
    db.close();
    progress.length = 0;

    const result = envelopeValue<RestoreResult>(
      await core.dispatch('restore.run', { name: 'unit-r', backupId, confirm: true }),
      'restore.run',
    );
    expect(result.result, result.reason ?? '').toBe('committed');
    expect(result.reason).toBeNull();
    expect(result.phases.map((p) => `${p.phase}:${p.status}`)).toEqual([
      'verify:ok',
      'plan:ok',
      'preconditions:ok',
      'snapshot:ok',
      'apply:ok',
      'restart:ok',
      'health:ok',
      'commit:ok',
    ]);
    const after = await fullListing(baseOf('unit-r'));
    // The log outside the profile keeps what was written after the backup; everything else is as backed up.
    const log = at('unit-r', '/opt/oht50/logs/oht50.log');
    expect(after.get(log)).not.toEqual(atBackup.get(log));
    after.delete(log);
    atBackup.delete(log);
    expect(withoutDb(after, 'unit-r')).toEqual(withoutDb(atBackup, 'unit-r'));
    expect(dbRows('unit-r')).toEqual(rowsAtBackup);
    expect(progress.filter((p) => p.status !== 'started').map((p) => p.phase)).toEqual(
      result.phases.map((p) => p.phase),
    );
    const audit = core.history.listAudit({ unit: 'unit-r', limit: 50 }).map((e) => e.action);
    for (const action of ['restore.begin', 'restore.snapshot', 'restore.apply', 'restore.health', 'restore.end']) {
      expect(audit).toContain(action);
    }
    expect(await snapshotsOf('unit-r')).toBeGreaterThan(0);
  }, 180_000);

  it('a restore after which a service will not start rolls back to the exact prior tree', async () => {
    const good = await readFile(at('unit-r', '/etc/oht50/safety_config.yaml'), 'utf8');
    await writeFile(at('unit-r', '/etc/oht50/safety_config.yaml'), 'estop_timeout_ms: -1\n');
    const badBackup = await backupOf(core, 'unit-r');
    await writeFile(at('unit-r', '/etc/oht50/safety_config.yaml'), good);
    await writeFile(at('unit-r', '/opt/oht50/config/system.yaml'), 'unit: fixed since\n');
    const before = await fullListing(baseOf('unit-r'));

    const result = envelopeValue<RestoreResult>(
      await core.dispatch('restore.run', { name: 'unit-r', backupId: badBackup, confirm: true }),
      'restore.run',
    );
    expect(result.result).toBe('rolled-back');
    expect(result.reason).toMatch(/oht50-firmware/);
    expect(result.phases.map((p) => `${p.phase}:${p.status}`)).toEqual([
      'verify:ok',
      'plan:ok',
      'preconditions:ok',
      'snapshot:ok',
      'apply:ok',
      'restart:failed',
      'rollback:ok',
    ]);
    expect(await fullListing(baseOf('unit-r'))).toEqual(before);
    const state = await readFile(join(sshd.vehicleDir, 'units', 'oht50-firmware.service'), 'utf8');
    expect(state).toMatch(/^ActiveState=active$/m);
  }, 180_000);

  it('a hostile manifest is refused by entry before anything is written', async () => {
    const store = await openBackupStore({
      dir: backupStoreDir(dataDir),
      clock: systemClock,
      logger: createCapturingLogger().logger,
      keyProvider: staticKeyProvider(PASSPHRASE),
    });
    const snapshots = await snapshotsOf('unit-r');
    const before = await fullListing(baseOf('unit-r'));
    const entry = {
      type: 'file' as const,
      mode: 0o644,
      uid: 0,
      gid: 0,
      owner: 'root',
      group: 'root',
      mtimeMs: 0,
      size: 5,
    };
    const { Readable } = await import('node:stream');
    const hostile = async (
      add: (w: Awaited<ReturnType<typeof store.beginBackup>>) => Promise<void>,
    ): Promise<string> => {
      const writer = await store.beginBackup({
        unit: 'unit-r',
        profile: { id: 'oht50-default', version: 1 },
        kind: 'backup',
      });
      await writer.addFile(
        { ...entry, path: at('unit-r', '/etc/oht50/fine.yaml') },
        Readable.from([Buffer.from('fine\n')]),
      );
      await add(writer);
      return (await writer.commit()).id;
    };
    try {
      const cases = [
        {
          id: await hostile(async (w) => {
            await w.addFile({ ...entry, path: '/etc/cron.d/ohtw-evil' }, Readable.from([Buffer.from('evil\n')]));
          }),
          path: '/etc/cron.d/ohtw-evil',
        },
        {
          id: await hostile(async (w) => {
            await w.addFile({
              ...entry,
              type: 'symlink',
              size: 0,
              path: at('unit-r', '/etc/oht50/shadow'),
              linkTarget: '../../../../../../../../etc/shadow',
            });
          }),
          path: at('unit-r', '/etc/oht50/shadow'),
        },
        {
          id: await hostile(async (w) => {
            await w.addFile(
              { ...entry, path: at('unit-r', '/opt/oht50/logs/not-in-profile') },
              Readable.from([Buffer.from('evil\n')]),
            );
          }),
          path: at('unit-r', '/opt/oht50/logs/not-in-profile'),
        },
      ];
      for (const { id, path } of cases) {
        for (const call of ['restore.plan', 'restore.run'] as const) {
          const answer = await core.dispatch(call, { name: 'unit-r', backupId: id, confirm: true });
          expect(answer).toMatchObject({ ok: false, error: { code: 'UNSAFE_PATH', details: { path } } });
        }
      }
    } finally {
      await store.close();
    }
    expect(await fullListing(baseOf('unit-r'))).toEqual(before);
    expect(await snapshotsOf('unit-r')).toBe(snapshots);
  }, 120_000);

  it('a damaged backup is refused before anything is read from or written to the unit', async () => {
    await unitWithTree('unit-d');
    const backupId = await backupOf(core, 'unit-d');
    await driftUnit('unit-d');
    const before = await fullListing(baseOf('unit-d'));
    const store = await openBackupStore({
      dir: backupStoreDir(dataDir),
      clock: systemClock,
      logger: createCapturingLogger().logger,
      keyProvider: staticKeyProvider(PASSPHRASE),
    });
    try {
      const manifest = await store.getManifest(backupId);
      const own = manifest.entries.find((e) => e.path === at('unit-d', '/opt/oht50/config/system.yaml'));
      await damageChunk(backupStoreDir(dataDir), own?.chunks[0]?.id ?? '', 'flip');
    } finally {
      await store.close();
    }
    const answer = await core.dispatch('restore.run', { name: 'unit-d', backupId, confirm: true });
    expect(answer).toMatchObject({ ok: false, error: { code: 'BACKUP_DAMAGED' } });
    expect(await fullListing(baseOf('unit-d'))).toEqual(before);
    expect(await snapshotsOf('unit-d')).toBe(0);
  }, 120_000);
});

describe('a restore that never finished', () => {
  it('blocks another restore while it may still run elsewhere, then is closed as interrupted and named in the plan', async () => {
    await unitWithTree('unit-i');
    const backupId = await backupOf(core, 'unit-i');
    const history = new Database(join(dataDir, HISTORY_FILE));
    const insert = (startedAt: string): void => {
      history
        .prepare(
          `INSERT INTO restore_transactions (id, unit, backup_id, snapshot_id, replacement, started_at, started_by)
           VALUES ('tx-cut', 'unit-i', ?, 'snap-before', 0, ?, 'someone')`,
        )
        .run(backupId, startedAt);
    };
    try {
      insert(new Date(Date.now() - 10 * 60_000).toISOString());
      const busy = await core.dispatch('restore.run', { name: 'unit-i', backupId, confirm: true });
      expect(busy).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

      history
        .prepare("UPDATE restore_transactions SET started_at = ? WHERE id = 'tx-cut'")
        .run(new Date(Date.now() - 3 * 3600_000).toISOString());
      const plan = envelopeValue<RestorePlan>(
        await core.dispatch('restore.plan', { name: 'unit-i', backupId }),
        'restore.plan',
      );
      expect(plan.notes?.join(' ')).toMatch(/did not finish.*snapshot snap-before/);

      // The next restore closes it as interrupted (here one of a backup that does not exist, so nothing else runs).
      const missing = await core.dispatch('restore.run', { name: 'unit-i', backupId: 'no-such-backup', confirm: true });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const row = history.prepare("SELECT result, reason FROM restore_transactions WHERE id = 'tx-cut'").get() as {
        result: string;
        reason: string;
      };
      expect(row.result).toBe('failed');
      expect(row.reason).toMatch(/^interrupted/);
    } finally {
      history.close();
    }
  }, 120_000);
});

describe('live preconditions just before applying', () => {
  let http: FakeVehicleHttp | undefined;
  afterAll(async () => {
    await http?.close();
  });

  it('refuses while the firmware reports the vehicle moving, before any snapshot or write', async () => {
    http = await startFakeVehicleHttp();
    http.firmware.state = 'MOVE';
    await sshd.setEstopPin('1');
    await createTree(baseOf('unit-m'), standardTree('unit-m'));
    await createBackendDatabase(baseOf('unit-m'));
    await addRestoreUnit(core, sshd, 'unit-m', baseOf('unit-m'), { firmwarePort: http.firmwarePort });
    const backupId = await backupOf(core, 'unit-m');
    await driftUnit('unit-m');
    const before = await fullListing(baseOf('unit-m'));

    const moving = await core.dispatch('restore.run', { name: 'unit-m', backupId, confirm: true });
    expect(moving).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED' } });
    expect(JSON.stringify(moving)).toMatch(/firmware reports MOVE/);
    expect(await fullListing(baseOf('unit-m'))).toEqual(before);
    expect(await snapshotsOf('unit-m')).toBe(0);
    const end = core.history.listAudit({ unit: 'unit-m', limit: 20 }).find((e) => e.action === 'restore.end');
    expect(end).toMatchObject({ outcome: 'refused' });
    const row = core.history.listAudit({ unit: 'unit-m', limit: 20 }).find((e) => e.action === 'restore.preconditions');
    expect(row).toMatchObject({ outcome: 'failed' });
  }, 120_000);
});

describe('ohtw restore over a real sshd', () => {
  const cli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const io = captureIo({ OHTW_PASSPHRASE: PASSPHRASE, OHTW_RESTORE_SETTLE_MS: '0' });
    const code = await runCli([...args, '--data-dir', dataDir], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  it('--dry-run --json lists {path, action} and the services; no flag prints the plan and refuses; --yes restores', async () => {
    await unitWithTree('unit-c');
    await fakeServices('unit-c');
    const backupId = await backupOf(core, 'unit-c');
    const atBackup = await fullListing(baseOf('unit-c'));
    await driftUnit('unit-c');
    const before = await fullListing(baseOf('unit-c'));

    const dry = await cli('restore', 'unit-c', backupId, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.out) as { changes: { path: string; action: string }[]; services: string[] };
    expect(plan.changes).toContainEqual({ path: at('unit-c', '/etc/oht50/private/wifi.key'), action: 'create' });
    expect(plan.changes).toContainEqual({
      path: at('unit-c', '/etc/oht50/added-since-drifted.yaml'),
      action: 'delete',
    });
    expect(plan.changes).toContainEqual({ path: at('unit-c', '/opt/oht50/config/system.yaml'), action: 'modify' });
    expect(plan.services).toEqual(['oht50-backend', 'oht50-firmware', 'oht50']);

    const refused = await cli('restore', 'unit-c', backupId);
    expect(refused.code).toBe(64);
    expect(refused.out).toContain(`+ ${at('unit-c', '/etc/oht50/private/wifi.key')}`);
    expect(refused.err).toMatch(/without --yes; nothing was changed/);
    expect(await fullListing(baseOf('unit-c'))).toEqual(before);

    const done = await cli('restore', 'unit-c', backupId, '--yes', '--json');
    expect(done.code, `${done.out}\n${done.err}`).toBe(0);
    const result = JSON.parse(done.out) as { result: string; phases: { phase: string }[] };
    expect(result.result).toBe('committed');
    expect(result.phases.map((p) => p.phase)).toContain('health');
    const after = await fullListing(baseOf('unit-c'));
    const log = at('unit-c', '/opt/oht50/logs/oht50.log');
    after.delete(log);
    atBackup.delete(log);
    expect(withoutDb(after, 'unit-c')).toEqual(withoutDb(atBackup, 'unit-c'));
  }, 180_000);
});

describe('restoring onto a replacement board (new host key, same unit)', () => {
  let board: SshdFixture | undefined;
  afterAll(async () => {
    await board?.stop();
  });

  it('is refused until declared, and goes through once the new key is pinned and --replacement given', async () => {
    await unitWithTree('unit-p');
    const backupId = await backupOf(core, 'unit-p');
    const atBackup = await fullListing(baseOf('unit-p'));
    await driftUnit('unit-p');
    // The board is swapped: the same unit answers with another host key (another sshd over the same files).
    board = await startSshd();
    await board.setService('oht50-backend', { ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' });
    await board.setService('oht50-firmware', { ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' });
    envelopeValue(await core.dispatch('units.remove', { name: 'unit-p' }), 'units.remove');
    await addRestoreUnit(core, board, 'unit-p', baseOf('unit-p'));
    const before = await fullListing(baseOf('unit-p'));

    const undeclared = await core.dispatch('restore.run', { name: 'unit-p', backupId, confirm: true });
    expect(undeclared).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED' } });
    expect(JSON.stringify(undeclared)).toMatch(/replacement/);
    expect(await fullListing(baseOf('unit-p'))).toEqual(before);

    const plan = envelopeValue<RestorePlan>(
      await core.dispatch('restore.plan', { name: 'unit-p', backupId, replacement: true }),
      'restore.plan',
    );
    expect(plan.hostKey).toEqual({ pinned: board.hostKeyFingerprint, atBackup: sshd.hostKeyFingerprint });
    const result = envelopeValue<RestoreResult>(
      await core.dispatch('restore.run', { name: 'unit-p', backupId, replacement: true, confirm: true }),
      'restore.run',
    );
    expect(result).toMatchObject({ result: 'committed', replacement: true });
    const after = await fullListing(baseOf('unit-p'));
    const log = at('unit-p', '/opt/oht50/logs/oht50.log');
    after.delete(log);
    atBackup.delete(log);
    expect(withoutDb(after, 'unit-p')).toEqual(withoutDb(atBackup, 'unit-p'));
    const begin = core.history.listAudit({ unit: 'unit-p', limit: 100 }).find((e) => e.action === 'restore.begin');
    expect(begin?.details).toMatchObject({ replacement: true });
  }, 240_000);
});
