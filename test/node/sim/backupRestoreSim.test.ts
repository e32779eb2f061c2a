import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WorkstationApi } from '../../../shared/ipc/api';
import type { SimFleet, SimUnitInfo } from '../../../electron/sim/SimServer';
import { nodeAt } from '../../../electron/sim/simTree';
import { startSimCore, type SimCore } from '../../support/sim/simCore';

/**
 * A simulated unit backs up and restores as a vehicle does: the backup's script (mktemp, the sqlite3 backup and its
 * check, tar of the profile's roots) and the restore's (find and sha256sum, staging with cat, the apply script with
 * tar -x, mv, chown -h, set -e) run on its programs and its file tree, owners and modes included.
 */
describe('backup and restore of a simulated unit, through the core', () => {
  let started: SimCore | undefined;
  let sim: SimFleet;
  let api: WorkstationApi;
  let unit: SimUnitInfo;

  beforeAll(async () => {
    started = await startSimCore({
      tempPrefix: 'ohtw-sim-backup-',
      fleet: { count: 2, variants: ['runbook', 'newer'] },
      core: { env: { OHTW_PASSPHRASE: 'sim passphrase', OHTW_RESTORE_SETTLE_MS: '0' } },
    });
    ({ sim, api } = started);
    unit = sim.units[0]!;
  });

  afterAll(async () => {
    await started?.close();
  });

  it('backs up every unit: the profile roots with owners and modes, the database copy, the secret encrypted', async () => {
    const run = await api.call('backup.run', { names: sim.units.map((u) => u.name) });
    expect(run.results.map((r) => [r.unit, r.status, r.error?.message ?? null])).toEqual(
      sim.units.map((u) => [u.name, 'ok', null]),
    );
    const detail = await api.call('backup.get', { backupId: run.results[0]?.backupId ?? '' });
    const byPath = new Map(detail.entries.map((e) => [e.path, e]));
    expect(byPath.get('/opt/oht50/backend/.env')).toMatchObject({ mode: 0o600, owner: 'oht', secret: true });
    expect(byPath.get('/opt/oht50/backend/oht50.db')).toMatchObject({ type: 'file', owner: 'oht', mode: 0o640 });
    expect(byPath.get('/opt/oht50/config')).toMatchObject({ type: 'dir', mode: 0o750, owner: 'oht' });
    expect(byPath.get('/opt/oht50/firmware/current')).toMatchObject({ type: 'symlink', linkTarget: 'oht50_main' });
    expect(byPath.has('/etc/systemd/system/oht50-firmware.service')).toBe(true);
    expect(byPath.has('/opt/oht50/logs')).toBe(false);
    expect(await api.call('backup.verify', { backupId: detail.id })).toMatchObject({ ok: true });
    const newer = await api.call('backup.get', { backupId: run.results[1]?.backupId ?? '' });
    expect(newer.entries.some((e) => e.path === '/etc/systemd/system/oht50.service')).toBe(true);
  });

  it('backs up again from the listing, reading only what changed', async () => {
    unit.vehicle.state.files['/opt/oht50/data/map.json'] = '{"map":"changed"}\n';
    const [again] = (await api.call('backup.run', { names: [unit.name] })).results;
    expect(again).toMatchObject({ status: 'ok' });
    expect(again?.reusedFiles).toBeGreaterThan(5);
  });

  it('a name a restore refuses is left out: the backup is partial', async () => {
    unit.vehicle.state.files['/opt/oht50/config/bad\nname.yaml'] = 'x: 1\n';
    const [partial] = (await api.call('backup.run', { names: [unit.name] })).results;
    expect(partial?.status).toBe('partial');
    expect(partial?.skipped.map((s) => s.path)).toEqual(['/opt/oht50/config/bad\nname.yaml']);
    delete unit.vehicle.state.files['/opt/oht50/config/bad\nname.yaml'];
  });

  it('restores a changed unit: the dry run names the changes, the restore commits and the tree matches again', async () => {
    const backups = await api.call('backup.list', { unit: unit.name, kind: 'backup' });
    const backupId = backups[0]?.id ?? '';
    const { state } = unit.vehicle;
    state.files['/etc/oht50/safety_config.yaml'] = 'estop_timeout_ms: -1\n';
    state.files['/opt/oht50/config/added.yaml'] = 'added: true\n';
    state.fileMeta['/opt/oht50/backend/.env'] = { ...state.fileMeta['/opt/oht50/backend/.env']!, mode: 0o644 };
    const plan = await api.call('restore.plan', { name: unit.name, backupId, replacement: false });
    expect(plan.changes.map((c) => [c.path, c.action])).toEqual([
      ['/etc/oht50/safety_config.yaml', 'modify'],
      ['/opt/oht50/backend/.env', 'modify'],
      ['/opt/oht50/config/added.yaml', 'delete'],
    ]);
    const result = await api.call('restore.run', { name: unit.name, backupId, replacement: false, confirm: true });
    expect(result.result).toBe('committed');
    expect(state.files['/etc/oht50/safety_config.yaml']).toBe('estop_timeout_ms: 100\nmodule_loss_policy: stop\n');
    expect(state.files['/opt/oht50/config/added.yaml']).toBeUndefined();
    expect(nodeAt(unit.vehicle, '/opt/oht50/backend/.env')).toMatchObject({ mode: 0o600, uid: 1001 });
    expect((await api.call('restore.plan', { name: unit.name, backupId, replacement: false })).changes).toEqual([]);
    expect(await api.call('backup.list', { unit: unit.name, kind: 'snapshot' })).toHaveLength(1);
  });
});
