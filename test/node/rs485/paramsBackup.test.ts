import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { MIGRATIONS } from '../../../electron/core/history/migrations';
import { openHistoryDatabase, type Database } from '../../../electron/core/history/openDatabase';
import { fixedClock } from '../../../electron/core/ports/Clock';
import type { BusModule } from '../../../electron/core/rs485/diagnosis';
import {
  applyRestore,
  backupParameters,
  describeRestore,
  parameterRegisters,
  ParamsBackupStore,
  planRestore,
} from '../../../electron/core/rs485/paramsBackup';
import type { ModuleType } from '../../../shared/domain/rs485Profile';
import { useTempFolder } from '../../support/rs485-sim/profileDirs';
import { simFixture, type SimFixture } from '../../support/rs485-sim/simFixture';
import { testAudit } from '../../support/fakes/auditKeys';

const ACTOR = 'tech:bo';
const UNIT = 'OHT-03';

describe('module parameters backup and restore', () => {
  const temp = useTempFolder('ohtw-params-');
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) {
      db.close();
    }
  });

  function history(): { db: Database; repo: HistoryRepository; store: ParamsBackupStore } {
    const db = openHistoryDatabase(join(temp(), 'history.db'));
    open.push(db);
    const clock = fixedClock(Date.parse('2026-11-28T09:00:00Z'), 1000);
    return { db, repo: new HistoryRepository(db, clock, testAudit()), store: new ParamsBackupStore(db, clock) };
  }

  const moduleOf = (sim: SimFixture, type: ModuleType): BusModule => {
    const found = sim.modules.find((m) => m.type === type);
    if (!found) {
      throw new Error(type);
    }
    return found;
  };

  it('is kept by its own migration of the fleet history', () => {
    const { db } = history();
    expect(MIGRATIONS.find((m) => m.name === 'rs485_params')?.version).toBe(4);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['rs485_param_backups', 'rs485_param_values']));
  });

  it('reads every writable register of each module into the history, and nothing else, without writing', async () => {
    const sim = await simFixture();
    const { repo, store } = history();
    const backup = await backupParameters(sim.master, sim.modules, {
      unit: UNIT,
      actor: ACTOR,
      note: 'before the swap',
      store,
      audit: repo,
    });
    expect(sim.master.requests.every((r) => r.request.fc === 3)).toBe(true);
    expect(backup.modules.map((m) => [m.type, m.slave, m.profileId])).toEqual([
      ['power', 2, 'power-code'],
      ['safety', 3, 'safety-code'],
      ['travel', 4, 'travel-canonical'],
      ['dock', 5, 'dock-code'],
    ]);
    for (const module of backup.modules) {
      const expected = parameterRegisters(moduleOf(sim, module.type)).map((r) => r.name);
      expect(module.values.map((v) => v.name)).toEqual(expected);
      expect(module.values.every((v) => v.raw !== null && v.error === null)).toBe(true);
    }
    const power = backup.modules[0]?.values ?? [];
    expect(power.find((v) => v.name === 'chargerVoltageSet')?.raw).toBe(252);
    expect(power.some((v) => v.name === 'resetErrors' || v.name === 'packVoltage')).toBe(false);
    expect(backup.modules[1]?.values.find((v) => v.name === 'zoneThreshold4')?.raw).toBe(5000);

    expect(store.get(backup.id)).toEqual(backup);
    expect(store.list(UNIT, 10)).toEqual([
      {
        id: backup.id,
        unit: UNIT,
        takenAt: backup.takenAt,
        takenBy: ACTOR,
        note: 'before the swap',
        modules: backup.modules.map((m) => ({ type: m.type, registers: m.values.length, unread: 0 })),
      },
    ]);
    expect(repo.listAudit({ limit: 1 })[0]).toMatchObject({
      action: 'rs485.backup',
      outcome: 'ok',
      unit: UNIT,
      details: { backupId: backup.id, unread: 0 },
    });
  });

  it('keeps what it could not read, with why', async () => {
    const sim = await simFixture({ missing: ['dock'] });
    const { repo, store } = history();
    const backup = await backupParameters(sim.master, sim.modules, { unit: UNIT, actor: ACTOR, store, audit: repo });
    const dock = backup.modules.find((m) => m.type === 'dock');
    expect(dock?.values.every((v) => v.raw === null && v.error === 'no answer')).toBe(true);
    expect(store.list(UNIT, 1)[0]?.modules.find((m) => m.type === 'dock')).toMatchObject({
      unread: dock?.values.length,
    });
  });

  it('restores with the safe-write rules, the differences shown first', async () => {
    const sim = await simFixture();
    const { repo, store } = history();
    const backup = await backupParameters(sim.master, sim.modules, { unit: UNIT, actor: ACTOR, store, audit: repo });
    // Someone changed things since.
    await sim.master.writeSingleRegister(2, 0x0030, 245);
    await sim.master.writeSingleRegister(2, 0x003f, 1);

    const power = moduleOf(sim, 'power');
    const plan = await planRestore(sim.master, store.get(backup.id) ?? backup, power, { unit: UNIT });
    expect(plan.refused).toBeUndefined();
    expect(plan.differences.map((d) => [d.name, d.change, d.safetyCritical])).toEqual([
      ['chargerVoltageSet', '24.5 V → 25.2 V', true],
      ['chargeRequest', 'requested (1) → none (0)', false],
    ]);
    expect(describeRestore(plan)).toEqual([
      '0x0030 Charger voltage setpoint (SK60X V_SET): 24.5 V → 25.2 V [safety-critical: confirm]',
      '0x003F Charge request: requested (1) → none (0)',
      `${plan.same.length} registers already as backed up`,
    ]);
    const writesBefore = sim.master.requests.filter((r) => r.request.fc === 6).length;
    expect(writesBefore).toBe(2);

    // Unconfirmed, the safety-critical one is refused while the other is restored.
    const first = await applyRestore(sim.master, plan, { audit: repo, actor: ACTOR });
    expect(first.map((r) => [r.name, r.result.outcome])).toEqual([
      ['chargerVoltageSet', 'refused'],
      ['chargeRequest', 'ok'],
    ]);
    expect(sim.bus.peek(2, 0x0030)).toBe(245);
    expect(sim.bus.peek(2, 0x003f)).toBe(0);

    const again = await planRestore(sim.master, backup, power, { unit: UNIT });
    expect(again.differences.map((d) => d.name)).toEqual(['chargerVoltageSet']);
    const token = again.differences[0]?.plan.confirmationToken ?? '';
    const second = await applyRestore(sim.master, again, {
      audit: repo,
      actor: ACTOR,
      confirmations: { chargerVoltageSet: token },
    });
    expect(second.map((r) => [r.name, r.result.outcome, r.result.message])).toEqual([
      ['chargerVoltageSet', 'ok', 'Charger voltage setpoint (SK60X V_SET) is now 25.2 V, verified by reading it back'],
    ]);
    expect(sim.bus.peek(2, 0x0030)).toBe(252);
    expect(repo.listAudit({ unit: UNIT, limit: 10 }).map((r) => `${r.action} ${r.outcome}`)).toEqual([
      'rs485.restore ok',
      'rs485.restore ok',
      'rs485.restore refused',
      'rs485.backup ok',
    ]);
    expect((await planRestore(sim.master, backup, power, { unit: UNIT })).differences).toEqual([]);
  });

  it('refuses to restore across map variants, and skips what was not read', async () => {
    const sim = await simFixture({ missing: ['dock'] });
    const { repo, store } = history();
    const backup = await backupParameters(sim.master, sim.modules, { unit: UNIT, actor: ACTOR, store, audit: repo });
    const other = await simFixture({}, { served: { dock: 'handler' } });
    const wrongMap = await planRestore(other.master, backup, moduleOf(other, 'dock'), { unit: UNIT });
    expect(wrongMap.refused).toBe(
      'the Dock & location module was backed up with the map dock-code and is now read with dock-handler: the registers do not mean the same',
    );
    await expect(applyRestore(other.master, wrongMap, { audit: repo, actor: ACTOR })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });

    sim.bus.setFaults({});
    const skipped = await planRestore(sim.master, backup, moduleOf(sim, 'dock'), { unit: UNIT });
    expect(skipped.differences).toEqual([]);
    expect(skipped.skipped.length).toBe(backup.modules.find((m) => m.type === 'dock')?.values.length);
    expect(skipped.skipped[0]?.reason).toBe('it could not be read when backed up (no answer)');
  });
});
