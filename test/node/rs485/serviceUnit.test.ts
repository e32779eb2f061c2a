import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WorkstationApi } from '../../../shared/ipc/api';
import type { Core } from '../../../electron/core/createCore';
import type { SimFleet, SimUnitInfo } from '../../../electron/sim/SimServer';
import { assertSocat } from '../../support/rs485/requirements';
import { startSimCore, type SimCore } from '../../support/sim/simCore';

/**
 * The second-master hazard end to end: a simulated vehicle over real SSH whose firmware service runs, the RS485
 * modules on a pty, and the core deciding what the technician is told and allowed to do.
 */
describe('the bus doctor with a unit reachable over SSH', () => {
  let started: SimCore | undefined;
  let fleet: SimFleet;
  let unit: SimUnitInfo;
  let core: Core;
  let api: WorkstationApi;
  let busId: string;

  beforeAll(async () => {
    assertSocat();
    started = await startSimCore({ tempPrefix: 'ohtw-rs485-unit-', core: { actor: 'tech:bao' } });
    ({ sim: fleet, core, api } = started);
    unit = fleet.units[0]!;
    const bus = await api.call('rs485.sim.start', { faults: { lowBattery: true }, connect: true });
    busId = bus.bus?.busId ?? '';
  });

  afterAll(async () => {
    await started?.close();
  });

  it('warns that the running firmware polls the bus and offers the gated stop', async () => {
    const assessment = await api.call('rs485.secondMaster', { unit: unit.name });
    expect(assessment).toMatchObject({
      unit: unit.name,
      hazard: 'likely',
      sshReachable: true,
      firmwareActive: true,
      firmwareService: 'oht50-firmware',
      mayProceed: false,
      check: { id: 'rs485.offline.master', level: 'WARN' },
      stopFirmware: { commands: ['sudo systemctl stop oht50-firmware', 'systemctl is-active oht50-firmware'] },
    });
    expect(assessment.choices.map((c) => c.id)).toEqual(['stop-firmware', 'bench-bus', 'cancel']);
  });

  it('diagnoses the bus with the hazard in the tree and stores the report in the unit history', async () => {
    const report = await api.call('rs485.diagnose', { busId, unit: unit.name });
    expect(report.unit).toBe(unit.name);
    expect(report.checks[0]).toMatchObject({ id: 'rs485.offline.master', level: 'WARN' });
    expect(report.checks.find((c) => c.id === 'rs485.offline.power')?.level).toBe('ERROR');
    expect(await api.call('diagnostics.get', { runId: report.runId })).toEqual(report);
    const [entry] = await api.call('history.list', { name: unit.name, limit: 1 });
    expect(entry).toMatchObject({ kind: 'diagnosis', id: report.runId, level: report.level });
    await expect(api.call('rs485.diagnose', { busId, unit: 'nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to stop the firmware without confirmation, and while the vehicle moves; both audited', async () => {
    await expect(api.call('rs485.stopFirmware', { unit: unit.name })).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });
    unit.vehicle.setSystemState('MOVE');
    await expect(api.call('rs485.stopFirmware', { unit: unit.name, confirm: true })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringMatching(/reports MOVE: the vehicle may be moving/) as unknown,
    });
    expect(unit.vehicle.service('firmware').activeState).toBe('active');
    const audit = core.history.listAudit({ unit: unit.name, limit: 2 });
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ['services.stop', 'refused'],
      ['services.stop', 'refused'],
    ]);
  });

  it('stops the firmware when confirmed and parked; the hazard is then gone', async () => {
    unit.vehicle.setSystemState('IDLE');
    const stopped = await api.call('rs485.stopFirmware', { unit: unit.name, confirm: true });
    expect(stopped).toMatchObject({
      unit: unit.name,
      service: 'oht50-firmware',
      stopped: true,
      undo: ['sudo systemctl start oht50-firmware'],
    });
    expect(unit.vehicle.service('firmware').activeState).not.toBe('active');
    expect(core.history.listAudit({ unit: unit.name, limit: 1 })[0]).toMatchObject({
      action: 'services.stop',
      outcome: 'ok',
      actor: 'tech:bao',
      details: { service: 'oht50-firmware', firmwareState: 'IDLE' },
    });
    const after = await api.call('rs485.secondMaster', { unit: unit.name });
    expect(after).toMatchObject({ hazard: 'none', firmwareActive: false, mayProceed: true, check: { level: 'OK' } });
  });
});
