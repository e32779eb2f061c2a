import { describe, expect, it } from 'vitest';

import { findingsOf, withProcedures } from '../../../electron/core/diagnostics/findings';
import { CHECK_MODULES } from '../../../electron/core/diagnostics/modules';
import { CHECK_RELATIONS } from '../../../electron/core/diagnostics/modules/relations';
import { ProcedureLibrary, shippedProceduresDir } from '../../../electron/core/procedures/library/ProcedureLibrary';
import { procedureAdvisor } from '../../../electron/core/procedures/library/advisor';
import { findSimFault, SIM_FAULTS } from '../../../electron/sim/simFaults';
import type { SimVehicle } from '../../../electron/sim/SimVehicle';
import type { CheckResult } from '../../../shared/domain/health';
import { RESOURCES_DIR } from '../../support/appLayout';
import { simVehicle, sweepSim } from '../../support/sim/simSweep';

const advise = procedureAdvisor(new ProcedureLibrary({ shippedDir: shippedProceduresDir(RESOURCES_DIR) }));

/** For every fault the simulator injects: the check that explains the rest, and the procedure to start from. */
const EXPECTED: Record<string, { root: string; procedure: string; explains?: string[] }> = {
  'firmware-crashed': {
    root: 'services.firmware',
    procedure: 'emergency.system-down',
    explains: ['api.firmware.health', 'network.ports.firmware', 'rs485.modules', 'rs485.bus', 'safety.estop'],
  },
  'backend-crashed': {
    root: 'services.backend',
    procedure: 'emergency.system-down',
    explains: ['services.failed', 'api.backend.health', 'network.ports.backend'],
  },
  'backend-crash-looping': { root: 'services.backend', procedure: 'troubleshooting.service-wont-start' },
  'firmware-stopped': { root: 'services.firmware', procedure: 'recovery.service', explains: ['api.firmware.health'] },
  'backend-stopped': { root: 'services.backend', procedure: 'recovery.service', explains: ['network.ports.backend'] },
  'backend-config-error': {
    root: 'services.backend',
    procedure: 'troubleshooting.service-wont-start',
    explains: ['logs.backend', 'api.backend.health'],
  },
  'firmware-config-error': {
    root: 'services.firmware',
    procedure: 'troubleshooting.service-wont-start',
    explains: ['logs.firmware', 'rs485.modules'],
  },
  'log-partition-full': {
    root: 'resources.disk.logsSize',
    procedure: 'alerts.high-disk',
    explains: ['resources.disk./'],
  },
  'log-partition-filling': { root: 'resources.disk.logsSize', procedure: 'alerts.high-disk' },
  'cpu-busy': { root: 'resources.cpu', procedure: 'alerts.high-cpu' },
  'cpu-high': { root: 'resources.cpu', procedure: 'troubleshooting.memory-cpu' },
  'memory-full': { root: 'resources.memory', procedure: 'alerts.high-memory' },
  'memory-high': { root: 'resources.memory', procedure: 'troubleshooting.memory-cpu' },
  'network-lost': {
    root: 'network.interfaces',
    procedure: 'emergency.communication-failure',
    explains: ['network.route', 'network.center'],
  },
  'center-unreachable': { root: 'network.center', procedure: 'emergency.communication-failure' },
  'backend-slow': { root: 'api.backend.health', procedure: 'troubleshooting.api-not-responding' },
  'firmware-slow': { root: 'api.firmware.health', procedure: 'troubleshooting.api-not-responding' },
  'backend-errors': {
    root: 'api.backend.health',
    procedure: 'alerts.high-error-rate',
    explains: ['api.backend.detailed', 'api.backend.auth'],
  },
  'firmware-garbage': {
    root: 'api.firmware.health',
    procedure: 'troubleshooting.api-not-responding',
    explains: ['api.firmware.state', 'safety.estop', 'rs485.modules'],
  },
  'module-offline': {
    root: 'rs485.modules.safety',
    procedure: 'emergency.communication-failure',
    explains: ['rs485.bus.stats', 'api.firmware.state'],
  },
  'bus-errors': { root: 'rs485.bus.stats', procedure: 'emergency.communication-failure' },
  'estop-pressed': { root: 'safety.estop', procedure: 'emergency.estop', explains: ['api.firmware.state'] },
  'estop-latched': { root: 'safety.estop', procedure: 'emergency.estop', explains: ['api.firmware.state'] },
  'database-corrupt': { root: 'data.database', procedure: 'troubleshooting.database', explains: ['logs.backend'] },
  'postgresql-failed': { root: 'services.failed.postgresql', procedure: 'troubleshooting.database' },
  'redis-failed': { root: 'services.failed.redis', procedure: 'troubleshooting.service-wont-start' },
  'other-unit-failed': { root: 'services.failed', procedure: 'troubleshooting.service-wont-start' },
  'clock-skewed': { root: 'clock', procedure: 'emergency.communication-failure' },
};

async function findingsAfter(...inject: ((v: SimVehicle) => void)[]) {
  const vehicle = simVehicle();
  inject.forEach((each) => each(vehicle));
  const checks = await sweepSim(vehicle, CHECK_MODULES);
  return { checks, findings: await withProcedures(findingsOf(checks), advise) };
}

const problems = (checks: readonly CheckResult[]): CheckResult[] =>
  checks.flatMap((c) => [...(c.level === 'OK' ? [] : [c]), ...problems(c.children ?? [])]);

describe('findings: cause before consequence', () => {
  it('names every fault of the simulator here, and no other', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(SIM_FAULTS.map((f) => f.id).sort());
  });

  it('finds nothing on a healthy vehicle', async () => {
    expect((await findingsAfter()).findings).toEqual([]);
  });

  for (const fault of SIM_FAULTS) {
    it(`${fault.id}: one finding, its root, its consequences and the procedure to start from`, async () => {
      const expected = EXPECTED[fault.id];
      const { checks, findings } = await findingsAfter(fault.inject);
      expect(findings.map((f) => f.root)).toEqual([expected?.root]);
      const [finding] = findings;
      expect(finding?.procedure?.id).toBe(expected?.procedure);
      expect(finding?.procedure?.title['vi']).toBeTruthy();
      const folded = finding?.consequences.map((c) => c.id) ?? [];
      expect(folded).toEqual(expect.arrayContaining(expected?.explains ?? []));
      // Every problem of the report is in the finding, as its root or folded under it.
      const leaves = problems(checks).filter((c) => (c.children ?? []).length === 0);
      for (const check of leaves) {
        expect([finding?.root, ...folded], check.id).toContain(check.id);
      }
      expect(finding?.say).toBeDefined();
    });
  }

  it('keeps two faults apart, worst first, each with its own consequences', async () => {
    const crashed = findSimFault('firmware-crashed');
    const filling = findSimFault('memory-high');
    const { findings } = await findingsAfter(
      (v) => filling?.inject(v),
      (v) => crashed?.inject(v),
    );
    expect(findings.map((f) => [f.root, f.level])).toEqual([
      ['services.firmware', 'ERROR'],
      ['resources.memory', 'WARN'],
    ]);
    expect(findings[1]?.consequences).toEqual([]);
  });

  it('folds everything under the link when the unit cannot be reached', () => {
    const stale = (id: string): CheckResult => ({ id, level: 'STALE', message: 'not checked', evidence: '' });
    const checks = [stale('connection'), ...CHECK_MODULES.flatMap((m) => m.checkIds.map(stale))];
    const findings = findingsOf(checks);
    expect(findings.map((f) => f.root)).toEqual(['connection']);
    expect(findings[0]?.consequences).toHaveLength(checks.length - 1);
  });

  it('relates only checks the diagnosis has', () => {
    const ids = ['connection', ...CHECK_MODULES.flatMap((m) => m.checkIds)];
    const known = (id: string) =>
      id === '*' ||
      id.startsWith('rs485.offline') ||
      ids.some((c) => c === id || id.startsWith(`${c}.`) || c.startsWith(`${id}.`));
    for (const relation of CHECK_RELATIONS) {
      for (const match of [relation.cause, ...relation.explains]) {
        expect(known(match.id), `${relation.because}: ${match.id}`).toBe(true);
      }
    }
  });
});
