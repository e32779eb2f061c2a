import { describe, expect, it } from 'vitest';

import { findingsOf } from '../../../electron/core/diagnostics/findings';
import { diagnoseBusOffline } from '../../../electron/core/rs485/diagnosis';
import type { SimFaults } from '../../../electron/core/rs485/simModules';
import { checkMessage } from '../../../shared/domain/words';
import { simFixture } from '../../support/rs485-sim/simFixture';

/** Every fault of the simulated module bus: the one finding it comes to. */
const BUS_FAULTS: { name: string; faults: SimFaults; root: string; explains: string[] }[] = [
  {
    name: 'E-Stop pressed',
    faults: { estopPressed: true },
    root: 'rs485.offline.safety.estop',
    explains: ['rs485.offline.safety.status', 'rs485.offline.safety.error'],
  },
  {
    name: 'battery low',
    faults: { lowBattery: true },
    root: 'rs485.offline.power.battery',
    explains: ['rs485.offline.power.faults', 'rs485.offline.power.error'],
  },
  {
    name: 'a module missing',
    faults: { missing: ['dock'] },
    root: 'rs485.offline.dock.presence',
    explains: ['rs485.offline.bus', 'rs485.offline.dock.line', 'rs485.offline.dock.status'],
  },
  {
    name: 'no module answering',
    faults: { missing: ['power', 'safety', 'travel', 'dock'] },
    root: 'rs485.offline.bus',
    explains: ['rs485.offline.power.presence', 'rs485.offline.safety.estop', 'rs485.offline.dock.presence'],
  },
  {
    name: 'a noisy line',
    faults: { noise: { everyNth: 3 } },
    root: 'rs485.offline.bus',
    explains: ['rs485.offline.power.line', 'rs485.offline.dock.line'],
  },
];

describe('findings of the bus doctor', () => {
  for (const fault of BUS_FAULTS) {
    it(`${fault.name}: one finding, its root and what it explains`, async () => {
      const { master, modules } = await simFixture(fault.faults);
      const checks = await diagnoseBusOffline(master, modules, { presenceAttempts: 1 });
      const findings = findingsOf(checks);
      expect(findings.map((f) => f.root)).toEqual([fault.root]);
      expect(findings[0]?.consequences.map((c) => c.id)).toEqual(expect.arrayContaining(fault.explains));
      expect(checkMessage(findings[0] ?? { message: '' }, 'vi')).not.toBe(findings[0]?.message);
    });
  }

  it('finds nothing on a healthy bus', async () => {
    const { master, modules } = await simFixture();
    expect(findingsOf(await diagnoseBusOffline(master, modules))).toEqual([]);
  });
});
