import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { fixedClock } from '../../../electron/core/ports/Clock';
import type { BusModule } from '../../../electron/core/rs485/diagnosis';
import { applyWrite, planClearErrors, planWrite } from '../../../electron/core/rs485/safeWrite';
import type { ModuleType } from '../../../shared/domain/rs485Profile';
import { useTempFolder } from '../../support/rs485-sim/profileDirs';
import { simFixture, type SimFixture } from '../../support/rs485-sim/simFixture';
import { testAudit } from '../../support/fakes/auditKeys';

const ACTOR = 'tech:ana';
const UNIT = 'OHT-07';

describe('safe writes', () => {
  const temp = useTempFolder('ohtw-safewrite-');
  const repos: HistoryRepository[] = [];
  afterEach(() => {
    for (const repo of repos.splice(0)) {
      repo.close();
    }
  });

  /** A real history database on a temp file. */
  function history(): HistoryRepository {
    const repo = new HistoryRepository(
      openHistoryDatabase(join(temp(), 'history.db')),
      fixedClock(Date.parse('2026-11-28T08:00:00Z'), 1000),
      testAudit(),
    );
    repos.push(repo);
    return repo;
  }

  const moduleOf = (sim: SimFixture, type: ModuleType): BusModule => {
    const found = sim.modules.find((m) => m.type === type);
    if (!found) {
      throw new Error(type);
    }
    return found;
  };
  const writes = (sim: SimFixture): number =>
    sim.master.requests.filter((r) => r.request.fc === 6 || r.request.fc === 16).length;

  it('refuses a read-only register, writes nothing and records the refusal', async () => {
    const sim = await simFixture();
    const repo = history();
    const plan = await planWrite(sim.master, moduleOf(sim, 'power'), 'packVoltage', 25, { unit: UNIT });
    expect(plan.refused).toBe('Battery pack voltage is read-only');
    expect(plan.summary).toBe(
      'Power 0x02 Battery pack voltage (packVoltage, 0x0000): Battery pack voltage is read-only',
    );
    const result = await applyWrite(sim.master, plan, { audit: repo, actor: ACTOR });
    expect(result.outcome).toBe('refused');
    expect(writes(sim)).toBe(0);
    const [row] = repo.listAudit({ limit: 5 });
    expect(row).toMatchObject({
      actor: ACTOR,
      unit: UNIT,
      action: 'rs485.write',
      outcome: 'refused',
      details: {
        register: 'packVoltage',
        address: '0x0000',
        module: 'power',
        slave: 2,
        message: 'Battery pack voltage is read-only',
      },
    });
  });

  it('refuses values out of range, finer than the register, or not a value at all', async () => {
    const sim = await simFixture();
    const power = moduleOf(sim, 'power');
    const over = await planWrite(sim.master, power, 'chargerVoltageSet', 31, { unit: UNIT });
    expect(over.refused).toBe("31.0 V is outside Charger voltage setpoint (SK60X V_SET)'s range 0 V..30 V");
    expect((await planWrite(sim.master, power, '0x0030', '24.55', { unit: UNIT })).refused).toMatch(
      /finer than .* step of 0\.1 V/,
    );
    expect((await planWrite(sim.master, power, 'chargeRelay', 'maybe', { unit: UNIT })).refused).toBe(
      '"maybe" is not a value for Charge relay',
    );
    expect((await planWrite(sim.master, power, 'noSuchThing', 1, { unit: UNIT })).refused).toBe(
      'the map power-code has no register noSuchThing',
    );
    expect(writes(sim)).toBe(0);
  });

  it("a safety-critical register needs this plan's confirmation; then it is written, read back and audited", async () => {
    const sim = await simFixture();
    const repo = history();
    const power = moduleOf(sim, 'power');
    const plan = await planWrite(sim.master, power, 'chargerVoltageSet', '24.5', { unit: UNIT });
    expect(plan).toMatchObject({
      needsConfirmation: true,
      unchanged: false,
      old: { text: '25.2 V', raw: 252 },
      new: { value: 24.5, raw: 245, text: '24.5 V' },
    });
    expect(plan.summary).toBe(
      'Power 0x02 Charger voltage setpoint (SK60X V_SET) (chargerVoltageSet, 0x0030): 25.2 V → 24.5 V [safety-critical: confirm]',
    );

    const unconfirmed = await applyWrite(sim.master, plan, { audit: repo, actor: ACTOR });
    expect(unconfirmed.outcome).toBe('refused');
    expect(unconfirmed.message).toMatch(/safety-critical: the write needs the technician's explicit confirmation/);
    const wrongToken = await applyWrite(sim.master, plan, { audit: repo, actor: ACTOR, confirmation: 'yes' });
    expect(wrongToken.outcome).toBe('refused');
    expect(writes(sim)).toBe(0);
    expect(sim.bus.peek(2, 0x0030)).toBe(252);

    const done = await applyWrite(sim.master, plan, {
      audit: repo,
      actor: ACTOR,
      confirmation: plan.confirmationToken,
    });
    expect(done).toMatchObject({
      outcome: 'ok',
      message: 'Charger voltage setpoint (SK60X V_SET) is now 24.5 V, verified by reading it back',
    });
    expect(done.readBack?.raw).toBe(245);
    expect(sim.bus.peek(2, 0x0030)).toBe(245);
    const rows = repo.listAudit({ unit: UNIT, limit: 10 });
    expect(rows.map((r) => r.outcome)).toEqual(['ok', 'refused', 'refused']);
    expect(rows[0]?.details).toMatchObject({
      register: 'chargerVoltageSet',
      address: '0x0030',
      profile: 'power-code@1',
      safetyCritical: true,
      confirmed: true,
      oldRaw: 252,
      oldText: '25.2 V',
      newRaw: 245,
      newText: '24.5 V',
      readBackRaw: 245,
    });
    expect(repo.verifyAudit()).toMatchObject({ ok: true, checked: 3 });
  });

  it('an ordinary register is written without confirmation', async () => {
    const sim = await simFixture();
    const repo = history();
    const plan = await planWrite(sim.master, moduleOf(sim, 'power'), 'chargeRequest', 'requested', { unit: UNIT });
    expect(plan).toMatchObject({ needsConfirmation: false, confirmationToken: undefined });
    expect((await applyWrite(sim.master, plan, { audit: repo, actor: ACTOR })).outcome).toBe('ok');
    expect(sim.bus.peek(2, 0x003f)).toBe(1);
  });

  it('reports a verify mismatch when the module acknowledges but keeps its value', async () => {
    const sim = await simFixture({ ignoreWrites: ['power'] });
    const repo = history();
    const plan = await planWrite(sim.master, moduleOf(sim, 'power'), 'chargeRequest', 1, { unit: UNIT });
    const result = await applyWrite(sim.master, plan, { audit: repo, actor: ACTOR });
    expect(result.outcome).toBe('failed');
    expect(result.message).toBe(
      'verify failed: wrote requested (1) (0x0001) to Charge request, read back none (0) (0x0000)',
    );
    expect(repo.listAudit({ limit: 1 })[0]).toMatchObject({
      outcome: 'failed',
      details: { readBackRaw: 0, newRaw: 1 },
    });
  });

  it('refuses to write over a value that moved since the plan', async () => {
    const sim = await simFixture();
    const repo = history();
    const plan = await planWrite(sim.master, moduleOf(sim, 'safety'), 'proximityThreshold', 600, { unit: UNIT });
    await sim.master.writeSingleRegister(3, 0x0050, 700);
    const result = await applyWrite(sim.master, plan, {
      audit: repo,
      actor: ACTOR,
      confirmation: plan.confirmationToken,
    });
    expect(result).toMatchObject({
      outcome: 'refused',
      message: 'Proximity threshold changed since the plan (500 mm then, 700 mm now): plan the write again',
    });
    expect(sim.bus.peek(3, 0x0050)).toBe(700);
  });

  it('refuses to plan a write to a module that does not answer', async () => {
    const sim = await simFixture({ missing: ['travel'] });
    const plan = await planWrite(sim.master, moduleOf(sim, 'travel'), 'motor1Kp', 1.2, { unit: UNIT });
    expect(plan.refused).toBe('its current value could not be read (no answer)');
  });

  it("clears a module's errors (0x0109) as a confirmed write verified by its error register", async () => {
    const sim = await simFixture({ lowBattery: true });
    const repo = history();
    const power = moduleOf(sim, 'power');
    expect(sim.bus.peek(2, 0x0108)).toBe(2);

    // While the battery is still flat the error comes straight back: reported, not hidden.
    const early = await planClearErrors(sim.master, power, { unit: UNIT });
    expect(early).toMatchObject({
      action: 'rs485.clearErrors',
      needsConfirmation: true,
      old: null,
      register: { address: 0x0109 },
    });
    expect(early.summary).toBe(
      'Power 0x02 Reset errors command (write 1) (resetErrors, 0x0109): command 1 [safety-critical: confirm]',
    );
    const stillThere = await applyWrite(sim.master, early, {
      audit: repo,
      actor: ACTOR,
      confirmation: early.confirmationToken,
    });
    expect(stillThere.outcome).toBe('failed');
    expect(stillThere.message).toBe(
      'Reset errors command (write 1) sent, but System error code is still 0x0002 (expected 0x0000): the cause is probably still there',
    );

    // Charged again, the latched error stays until it is cleared.
    sim.bus.setFaults({});
    expect(sim.bus.peek(2, 0x0108)).toBe(2);
    const plan = await planClearErrors(sim.master, power, { unit: UNIT });
    const cleared = await applyWrite(sim.master, plan, {
      audit: repo,
      actor: ACTOR,
      confirmation: plan.confirmationToken,
    });
    expect(cleared).toMatchObject({
      outcome: 'ok',
      message: 'Reset errors command (write 1) done: System error code is 0x0000',
    });
    expect(sim.bus.peek(2, 0x0108)).toBe(0);
    expect(repo.listAudit({ limit: 5 }).map((r) => `${r.action} ${r.outcome}`)).toEqual([
      'rs485.clearErrors ok',
      'rs485.clearErrors failed',
    ]);
  });

  it('a map without a reset register cannot clear errors', async () => {
    const sim = await simFixture({}, { served: { dock: 'polling' } });
    const plan = await planClearErrors(sim.master, moduleOf(sim, 'dock'), { unit: UNIT });
    expect(plan.refused).toBe('the map dock-polling has no register resetErrors');
  });
});
