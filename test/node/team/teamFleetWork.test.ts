import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimFleet, type SimFleet, type SimUnitInfo } from '../../../electron/sim/SimServer';
import { startPostgres, type PostgresFixture } from '../../support/postgres/startPostgres';
import { sampleUnit } from '../history/fixtures';
import { openLaptop, TEAM_PASSWORD, type Laptop } from './teamHarness';

/**
 * Two technicians' laptops (two data folders, two cores) each serve their own simulated unit over SSH: a diagnosis,
 * a procedure run and a backup each. After a sync through a real PostgreSQL each laptop sees the other's visit,
 * run and backup manifest, labelled by who and which laptop; a unit pinned with different host keys on the two
 * laptops is a conflict both of them report.
 */
describe('two laptops working on different units, synced through a real PostgreSQL', () => {
  let pg: PostgresFixture;
  let sim: SimFleet;
  let simDir: string;
  let url: string;
  let a: Laptop;
  let b: Laptop;

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createTeamDatabase('fleet_work', TEAM_PASSWORD, 'fleet_work');
    simDir = await mkdtemp(join(tmpdir(), 'ohtw-team-sim-'));
    sim = await startSimFleet({ count: 2, stateDir: simDir });
    const settle = { OHTW_RESTORE_SETTLE_MS: '0' };
    a = await openLaptop('a', 'Nguyen Van A', { env: { ...settle } });
    b = await openLaptop('b', 'Tran Thi B', { env: { ...settle } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sim?.close();
    await pg?.stop();
    await rm(simDir, { recursive: true, force: true });
  });

  async function visit(laptop: Laptop, unit: SimUnitInfo) {
    await laptop.call('units.add', {
      name: unit.name,
      host: unit.host,
      port: unit.port,
      user: unit.user,
      auth: { kind: 'key', keyPath: unit.clientKeyPath },
    });
    await laptop.call('units.trust', { name: unit.name, fingerprint: unit.hostKeyFingerprint });
    const [report] = await laptop.call('diagnostics.run', { names: [unit.name] });
    const run = await laptop.call('procedures.start', {
      procedureId: 'troubleshooting.service-wont-start',
      units: [unit.name],
      params: {},
    });
    await laptop.call('procedures.run.abort', { runId: run.runId, reason: 'vehicle needed back on the line' });
    const backup = await laptop.call('backup.run', { names: [unit.name] });
    expect(backup.results[0]).toMatchObject({ status: 'ok' });
    return { diagnosis: report?.runId ?? '', runId: run.runId, backupId: backup.results[0]?.backupId ?? '' };
  }

  it("each laptop sees the other's diagnosis, procedure run and backup after a sync", async () => {
    const [unitA, unitB] = sim.units as [SimUnitInfo, SimUnitInfo];
    await a.call('team.join', { url, deviceLabel: 'laptop-a' });
    await b.call('team.join', { url, deviceLabel: 'laptop-b' });
    const workA = await visit(a, unitA);
    const workB = await visit(b, unitB);

    expect((await a.call('team.sync', { wait: true })).result).toMatchObject({
      ok: true,
      pushed: { diagnoses: 1, runs: 1, backups: 1 },
    });
    expect((await b.call('team.sync', { wait: true })).result).toMatchObject({
      ok: true,
      pushed: { diagnoses: 1, runs: 1, backups: 1 },
      pulled: { diagnoses: 1, runs: 1, backups: 1 },
    });
    expect((await a.call('team.sync', { wait: true })).result).toMatchObject({
      ok: true,
      pulled: { diagnoses: 1, runs: 1, backups: 1 },
    });

    for (const [me, work, otherUnit, who, laptop] of [
      [a, workB, unitB, 'Tran Thi B', 'laptop-b'],
      [b, workA, unitA, 'Nguyen Van A', 'laptop-a'],
    ] as const) {
      const fleet = await me.call('team.fleet', { source: 'local' });
      const theirs = fleet.find((u) => u.name === otherUnit.name);
      expect(theirs).toMatchObject({
        mine: false,
        devices: [laptop],
        lastVisit: { actor: who, device: laptop },
        lastBackup: { actor: who, device: laptop },
        conflict: false,
      });
      expect(fleet.find((u) => u.name !== otherUnit.name)).toMatchObject({ mine: true, lastVisit: { device: null } });
      const diagnosis = await me.call('diagnostics.get', { runId: work.diagnosis });
      expect(diagnosis.unit).toBe(otherUnit.name);
      const run = await me.call('team.record', { entity: 'run', id: work.runId });
      expect(run).toMatchObject({ unit: otherUnit.name, actor: who, device: laptop });
      const backup = await me.call('team.record', { entity: 'backup', id: work.backupId });
      expect(backup).toMatchObject({ unit: otherUnit.name, actor: who, device: laptop });
      const logbook = await me.call('logbook.list', { filter: { units: [otherUnit.name] }, limit: 100 });
      expect(logbook.entries.length).toBeGreaterThan(0);
      expect(logbook.entries.every((e) => e.device?.label === laptop)).toBe(true);
    }
  });

  it('reports a unit pinned with different host keys on both laptops, and merges neither pin', async () => {
    const keyA = 'SHA256:' + 'A'.repeat(43);
    const keyB = 'SHA256:' + 'B'.repeat(43);
    const at = '2026-12-01T08:00:00.000Z';
    a.core.history.addUnit(
      sampleUnit('unit-x', { hostKey: { algorithm: 'ssh-ed25519', fingerprint: keyA, pinnedAt: at } }),
    );
    b.core.history.addUnit(
      sampleUnit('unit-x', { hostKey: { algorithm: 'ssh-ed25519', fingerprint: keyB, pinnedAt: at } }),
    );
    await a.call('team.sync', { wait: true });
    const onB = (await b.call('team.sync', { wait: true })).result;
    expect(onB?.conflicts.map((c) => c.unit)).toEqual(['unit-x']);
    const onA = (await a.call('team.sync', { wait: true })).result;
    expect(onA?.conflicts.map((c) => c.unit)).toEqual(['unit-x']);

    for (const [me, mine, theirs, laptop] of [
      [a, keyA, keyB, 'laptop-b'],
      [b, keyB, keyA, 'laptop-a'],
    ] as const) {
      const [conflict] = await me.call('team.conflicts', { unit: 'unit-x' });
      expect(conflict?.pins.map((p) => [p.device, p.fingerprint])).toEqual([
        ['this laptop', mine],
        [laptop, theirs],
      ]);
      expect((await me.call('team.status', {})).conflicts.map((c) => c.unit)).toEqual(['unit-x']);
      expect((await me.call('team.fleet', { source: 'local' })).find((u) => u.name === 'unit-x')?.conflict).toBe(true);
      // Never merged: this laptop still connects with its own pin only.
      expect(me.core.history.getUnit('unit-x')?.hostKey?.fingerprint).toBe(mine);
      const logbook = await me.call('logbook.list', { filter: { units: ['unit-x'], kinds: ['sync'] }, limit: 10 });
      expect(logbook.entries.map((e) => e.code)).toContain('sync.conflict');
    }
  });

  it('a backup laptop A pushed to a folder target is found there from laptop B, and a laptop that pulled it from A', async () => {
    const [unitA] = sim.units as [SimUnitInfo, SimUnitInfo];
    const [backup] = await a.call('backup.list', { unit: unitA.name, kind: 'backup' });
    const id = backup?.id ?? '';
    const usb = join(simDir, 'usb-disk');
    await mkdir(usb);

    expect((await a.call('backup.push', { target: usb })).pushed).toContain(id);
    expect((await a.call('team.status', {})).pending).toBeGreaterThan(0);
    const pushedByA = (await a.call('team.sync', { wait: true })).result;
    expect(pushedByA).toMatchObject({ ok: true });
    expect(pushedByA?.pushed.locations).toBeGreaterThanOrEqual(1);
    // Pushed once: a second sync has nothing more to say about where it lives.
    expect((await a.call('team.sync', { wait: true })).result?.pushed.locations).toBe(0);

    const pulledByB = (await b.call('team.sync', { wait: true })).result;
    expect(pulledByB?.pulled.locations).toBeGreaterThanOrEqual(1);
    const seenByB = await b.call('backup.where', { selector: id });
    expect(seenByB.locations).toEqual([
      expect.objectContaining({ backupId: id, unit: unitA.name, kind: 'target', place: usb, recordedBy: 'laptop-a' }),
    ]);
    expect((await b.call('backup.where', { selector: unitA.name })).locations.map((l) => l.place)).toContain(usb);

    // A third laptop, fresh (its store takes the disk's key), pulls it before a visit: after both sync, A sees that
    // laptop C holds it too.
    const c = await openLaptop('c', 'Le Van C', { env: { OHTW_PASSPHRASE: a.env.OHTW_PASSPHRASE ?? '' } });
    try {
      await c.call('team.join', { url, deviceLabel: 'laptop-c' });
      const pulled = await c.call('backup.pull', { selector: id, target: usb });
      expect(pulled.backups.map((x) => x.backupId)).toEqual([id]);
      expect((await c.call('team.sync', { wait: true })).result?.pushed.locations).toBe(1);
    } finally {
      await c.close();
    }
    await a.call('team.sync', { wait: true });
    const seenByA = await a.call('backup.where', { selector: id });
    expect(seenByA.locations.map((l) => [l.kind, l.kind === 'laptop' ? l.laptop : l.place, l.recordedBy])).toEqual(
      expect.arrayContaining([
        ['target', usb, null],
        ['laptop', 'laptop-c', 'laptop-c'],
      ]),
    );
    expect(seenByA.locations).toHaveLength(2);
  });
});
