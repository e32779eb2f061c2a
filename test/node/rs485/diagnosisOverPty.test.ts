import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CheckResult } from '../../../shared/domain/health';
import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { systemClock } from '../../../electron/core/ports/Clock';
import { busSettings } from '../../../electron/core/rs485/busTiming';
import { connectBus, type Rs485Bus } from '../../../electron/core/rs485/connectBus';
import { diagnoseBusOffline, type BusModule } from '../../../electron/core/rs485/diagnosis';
import { applyWrite, planWrite } from '../../../electron/core/rs485/safeWrite';
import { startSimBus, type SimBusHandle } from '../../../electron/core/rs485/simModulesSlave';
import { MODULE_TYPES } from '../../../shared/domain/rs485Profile';
import { useTempFolder } from '../../support/rs485-sim/profileDirs';
import { shippedProfiles } from '../../support/rs485-sim/simFixture';
import { requireTool } from '../../support/rs485-sim/tools';
import { testAudit } from '../../support/fakes/auditKeys';
import { SHIPPED_DIR } from '../../support/rs485-sim/profileDirs';

function find(checks: readonly CheckResult[], id: string): CheckResult | undefined {
  for (const check of checks) {
    if (check.id === id) {
      return check;
    }
    const inner = find(check.children ?? [], id);
    if (inner) {
      return inner;
    }
  }
  return undefined;
}

/** The offline diagnosis and a safe write through the workstation's own Modbus master, over a real pty pair. */
describe('the bus doctor against the simulated modules on a pty', () => {
  let sim: SimBusHandle;
  let bus: Rs485Bus;
  let modules: BusModule[];
  const temp = useTempFolder('ohtw-pty-');

  beforeAll(async () => {
    requireTool('socat', 'socat');
    sim = await startSimBus({
      createPty: true,
      shippedDir: SHIPPED_DIR,
      faults: {
        estopPressed: true,
        missing: ['dock'],
        noise: { everyNth: 4, modules: ['travel'] },
        slowMs: { power: 80 },
      },
    });
    bus = await connectBus(busSettings(sim.masterPath ?? '', { timeoutMs: 400, retries: 1, interFrameGapMs: 2 }));
    const profiles = await shippedProfiles();
    modules = MODULE_TYPES.map((type) => ({ type, address: profiles[type].defaultAddress, profile: profiles[type] }));
  });

  afterAll(async () => {
    await bus?.release();
    await sim?.close();
  });

  it('finds the pressed E-Stop, the missing dock, the noisy travel line and the slow power module', async () => {
    const checks = await diagnoseBusOffline(bus.master, modules, { presenceAttempts: 2, lineSamples: 8 });
    expect(find(checks, 'rs485.offline.safety.estop')?.level).toBe('ERROR');
    expect(find(checks, 'rs485.offline.dock')?.level).toBe('STALE');
    expect(find(checks, 'rs485.offline.dock.presence')?.message).toMatch(/did not answer/);
    const travelLine = find(checks, 'rs485.offline.travel.line');
    expect(travelLine?.level).toBe('WARN');
    expect(travelLine?.metrics?.['crcErrors']).toBeGreaterThan(0);
    expect(find(checks, 'rs485.offline.travel.faults')?.level).toBe('OK');
    const powerLine = find(checks, 'rs485.offline.power.line');
    expect(powerLine?.level).toBe('WARN');
    expect(powerLine?.metrics?.['p95Ms']).toBeGreaterThanOrEqual(80);
    expect(powerLine?.message).toMatch(/slow: p95 \d+(\.\d)? ms, above the 50 ms/);
    expect(find(checks, 'rs485.offline.power.battery')).toMatchObject({ level: 'OK', metrics: { packVoltageV: 24.6 } });
    expect(find(checks, 'rs485.offline.bus')?.message).toMatch(
      /^3 of 4 expected modules answered \(missing: Dock & location 0x05\)/,
    );
  });

  it('writes a safety-critical register through the master, verified and audited', async () => {
    const repo = new HistoryRepository(openHistoryDatabase(join(temp(), 'history.db')), systemClock, testAudit());
    try {
      const safety = modules.find((m) => m.type === 'safety');
      if (!safety) {
        throw new Error('no safety module');
      }
      const plan = await planWrite(bus.master, safety, 'zoneThreshold1', 1200, { unit: null });
      expect(plan.summary).toMatch(/1000 mm → 1200 mm \[safety-critical: confirm\]$/);
      const result = await applyWrite(bus.master, plan, {
        audit: repo,
        actor: 'tech:ana',
        confirmation: plan.confirmationToken,
        port: sim.masterPath ?? undefined,
      });
      expect(result.outcome).toBe('ok');
      expect(sim.bus.peek(3, 0x0040)).toBe(1200);
      expect(repo.listAudit({ limit: 1 })[0]).toMatchObject({
        action: 'rs485.write',
        outcome: 'ok',
        details: { readBackRaw: 1200, port: sim.masterPath },
      });
    } finally {
      repo.close();
    }
  });
});
