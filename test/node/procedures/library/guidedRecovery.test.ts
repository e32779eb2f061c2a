import { describe, expect, it } from 'vitest';

import type { CheckResult } from '../../../../shared/domain/health';
import { CHECK_MODULES } from '../../../../electron/core/diagnostics/modules';
import { ProcedureLibrary, shippedProceduresDir } from '../../../../electron/core/procedures/library/ProcedureLibrary';
import { SIM_FAULTS } from '../../../../electron/sim/simFaults';
import { simVehicle, sweepSim } from '../../../support/sim/simSweep';
import { RESOURCES_DIR } from '../../../support/appLayout';

const library = new ProcedureLibrary({ shippedDir: shippedProceduresDir(RESOURCES_DIR) });

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
    for (const { id: fault, inject } of SIM_FAULTS) {
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
