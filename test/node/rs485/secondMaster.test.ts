import { describe, expect, it } from 'vitest';

import { RUNBOOK } from '../../../electron/core/diagnostics/runbook';
import { assessSecondMaster, decideSecondMaster } from '../../../electron/core/rs485/secondMaster';

const base = { unit: 'OHT-07', firmwareService: 'oht50-firmware' };

describe('the second-master hazard', () => {
  it('warns when the unit answers over SSH and its firmware service runs, and offers stop, bench bus or cancel', () => {
    const a = assessSecondMaster({ ...base, sshReachable: true, firmwareActive: true });
    expect(a).toMatchObject({ hazard: 'likely', mayProceed: false });
    expect(a.check).toMatchObject({ id: 'rs485.offline.master', level: 'WARN', runbook: RUNBOOK.communication });
    expect(a.check.message).toMatch(
      /^oht50-firmware is running on OHT-07 and polls this bus: the workstation would be a second master/,
    );
    expect(a.check.evidence).toBe('unit: OHT-07\nreachable over SSH: yes\noht50-firmware active: yes');
    expect(a.choices.map((c) => c.id)).toEqual(['stop-firmware', 'bench-bus', 'cancel']);
    const stop = a.choices[0];
    expect(stop?.id === 'stop-firmware' ? stop.action : undefined).toEqual({
      id: 'firmware.stop',
      title: 'Stop oht50-firmware on OHT-07',
      commands: ['sudo systemctl stop oht50-firmware', 'systemctl is-active oht50-firmware'],
      undo: ['sudo systemctl start oht50-firmware'],
      consequences: expect.stringMatching(/cannot move or dock/) as unknown,
      audit: {
        action: 'services.stop',
        unit: 'OHT-07',
        details: { service: 'oht50-firmware', reason: 'rs485 bus doctor: avoid a second Modbus master' },
      },
    });
  });

  it('the choices decide: stopping runs the gated action first, a bench bus opens, cancel does not', () => {
    const a = assessSecondMaster({ ...base, sshReachable: true, firmwareActive: true });
    const stop = decideSecondMaster(a, 'stop-firmware');
    expect(stop.open).toBe(false);
    expect(stop.runFirst?.id).toBe('firmware.stop');
    expect(decideSecondMaster(a, 'bench-bus')).toMatchObject({ open: true });
    expect(decideSecondMaster(a, 'cancel')).toMatchObject({ open: false, note: 'cancelled by the technician' });
    // "Just go ahead" is not on offer while the firmware runs.
    expect(decideSecondMaster(a, 'proceed')).toMatchObject({
      open: false,
      note: expect.stringMatching(/not offered here/) as unknown,
    });
  });

  it('once the service reads as stopped, the bus is free', () => {
    const a = assessSecondMaster({ ...base, sshReachable: true, firmwareActive: false });
    expect(a).toMatchObject({ hazard: 'none', mayProceed: true, check: { level: 'OK' } });
    expect(a.check.message).toBe('oht50-firmware is stopped on OHT-07: the workstation is the only master on the bus');
    expect(decideSecondMaster(a, 'proceed').open).toBe(true);
  });

  it('reachable but the service state unknown is treated as a possible second master', () => {
    const a = assessSecondMaster({ ...base, sshReachable: true, firmwareActive: null });
    expect(a).toMatchObject({ hazard: 'unknown', mayProceed: false, check: { level: 'WARN' } });
    expect(a.choices.map((c) => c.id)).toEqual(['stop-firmware', 'bench-bus', 'cancel']);
  });

  it('an unreachable unit (its computer down: the usual case) may proceed, with a reminder', () => {
    const down = assessSecondMaster({ ...base, sshReachable: false, firmwareActive: null });
    expect(down).toMatchObject({ hazard: 'unknown', mayProceed: true, check: { level: 'OK' } });
    expect(down.check.message).toMatch(/OHT-07 does not answer over SSH.*stop oht50-firmware before using the bus/);
    expect(down.check.evidence).toContain('oht50-firmware active: not asked');
    // Whatever a stale answer said about the service, it is not trusted without SSH.
    expect(assessSecondMaster({ ...base, sshReachable: false, firmwareActive: true }).hazard).toBe('unknown');
    const noUnit = assessSecondMaster({
      unit: null,
      sshReachable: null,
      firmwareActive: null,
      firmwareService: 'oht50.service',
    });
    expect(noUnit.check.message).toMatch(/^no unit to ask over SSH; .*stop oht50\.service/);
    expect(decideSecondMaster(noUnit, 'proceed').open).toBe(true);
  });
});
