import { describe, expect, it } from 'vitest';

import type { CheckResult } from '../../../../shared/domain/health';
import { CHECK_MODULES } from '../../../../electron/core/diagnostics/modules';
import { ProcedureLibrary, shippedProceduresDir } from '../../../../electron/core/procedures/library/ProcedureLibrary';
import type { SimVehicle } from '../../../../electron/core/sim/SimVehicle';
import { simVehicle, sweepSim } from '../../../support/sim/simSweep';
import { RESOURCES_DIR } from '../../../support/appLayout';

const library = new ProcedureLibrary({ shippedDir: shippedProceduresDir(RESOURCES_DIR) });

/** Every fault the simulator can inject that a diagnosis reports as WARN or ERROR. */
const FAULTS: Record<string, (v: SimVehicle) => void> = {
  'firmware crashed': (v) => v.crashService('firmware'),
  'backend crashed': (v) => v.crashService('backend'),
  'backend crash-looping': (v) => v.crashService('backend', { exitStatus: 1 }),
  'firmware stopped': (v) => v.stopService('firmware'),
  'backend config error': (v) => void v.failWithConfigError('backend'),
  'firmware config error': (v) => void v.failWithConfigError('firmware'),
  'log partition full': (v) => v.fillLogPartition(96),
  'log partition filling': (v) => v.fillLogPartition(85),
  'cpu busy': (v) => v.setCpuLoad(97),
  'cpu high': (v) => v.setCpuLoad(85),
  'memory full': (v) => v.setMemoryUse(97),
  'memory high': (v) => v.setMemoryUse(88),
  'network lost': (v) => v.dropNetwork(),
  'center unreachable': (v) => v.centerUnreachable(),
  'backend slow': (v) => v.slowApi('backend', 1500),
  'firmware slow': (v) => v.slowApi('firmware', 700),
  'backend errors': (v) => v.apiErrors('backend', 30),
  'firmware garbage': (v) => v.apiGarbage('firmware'),
  'module offline': (v) => v.moduleOffline(3),
  'bus errors': (v) => v.busErrors(200, 80),
  'E-Stop pressed': (v) => v.pressEstop(),
  'E-Stop latched': (v) => {
    v.pressEstop();
    v.releaseEstop();
  },
  'database corrupt': (v) => v.corruptDatabase(),
  'postgresql failed': (v) => {
    v.installDependency('postgresql');
    v.failUnit('postgresql.service');
  },
  'redis failed': (v) => {
    v.installDependency('redis');
    v.failUnit('redis-server.service');
  },
  'other unit failed': (v) => v.failUnit('wpa_supplicant'),
  'clock skewed': (v) => {
    v.state.system.clockOffsetMs = 10 * 60_000;
  },
};

function flagged(checks: readonly CheckResult[]): CheckResult[] {
  return checks.flatMap((c) => [
    ...(c.level === 'WARN' || c.level === 'ERROR' ? [c] : []),
    ...flagged(c.children ?? []),
  ]);
}

describe('guided recovery: every WARN or ERROR leads to a procedure', () => {
  it('every check id of the diagnosis registry has at least one procedure', async () => {
    const ids = CHECK_MODULES.flatMap((m) => m.checkIds);
    expect(ids.length).toBeGreaterThan(15);
    for (const id of ids) {
      const found = await library.forCheck(id);
      expect(found.length, id).toBeGreaterThan(0);
    }
  });

  it('every check a faulty simulated vehicle reports as WARN or ERROR, children included', async () => {
    const seen = new Set<string>();
    for (const [fault, inject] of Object.entries(FAULTS)) {
      const vehicle = simVehicle();
      inject(vehicle);
      const checks = await sweepSim(vehicle, CHECK_MODULES);
      const bad = flagged(checks);
      expect(bad.length, fault).toBeGreaterThan(0);
      for (const check of bad) {
        seen.add(check.id);
        const found = await library.forCheck(check.id, check.runbook);
        expect(found.length, `${fault}: ${check.id}`).toBeGreaterThan(0);
        if (check.runbook !== undefined) {
          // The procedure of the section the check names is among those offered.
          const sections = found.map((p) => p.runbook);
          const named = sections.some((s) => s === check.runbook || s.startsWith(`${check.runbook} › `));
          expect(named, `${fault}: ${check.id} → ${check.runbook} (offered: ${sections.join('; ')})`).toBe(true);
        }
      }
    }
    // The faults reach every area of the diagnosis.
    const areas = new Set([...seen].map((id) => id.split('.')[0]));
    expect([...areas].sort()).toEqual([
      'api',
      'clock',
      'data',
      'logs',
      'network',
      'resources',
      'rs485',
      'safety',
      'services',
    ]);
  });

  it('offers the most specific procedure first, and the one of the section the check names before others', async () => {
    const auth = await library.forCheck('api.backend.auth');
    expect(auth[0]?.id).toBe('security.unauthorized-access');
    const estop = await library.forCheck('safety.estop', 'Emergency › 2. E-Stop Triggered – Safety Response');
    expect(estop.map((p) => p.id)).toEqual(['emergency.estop']);
    const service = await library.forCheck('services.firmware', "Troubleshooting › 1. Service Won't Start");
    expect(service[0]?.id).toBe('troubleshooting.service-wont-start');
    expect(service.map((p) => p.id)).toEqual(
      expect.arrayContaining(['emergency.system-down', 'recovery.service', 'troubleshooting.service-wont-start']),
    );
    const disk = await library.forCheck('resources.disk./opt/oht50');
    expect(disk.map((p) => p.id)).toEqual(['alerts.high-disk']);
    expect(await library.forCheck('nothing.like.this')).toEqual([]);
  });
});
