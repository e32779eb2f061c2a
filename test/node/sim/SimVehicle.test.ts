import { describe, expect, it } from 'vitest';

import type { Clock } from '../../../electron/core/ports/Clock';
import { SimVehicle } from '../../../electron/sim/SimVehicle';

const START = Date.UTC(2026, 10, 28, 12, 0, 0);

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = START;
  return {
    now: () => t,
    nowIso: () => new Date(t).toISOString(),
    advance: (ms) => {
      t += ms;
    },
  };
}

describe('SimVehicle', () => {
  it('starts with both services of its generation running and enabled', () => {
    const runbook = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    expect(runbook.service('firmware')).toMatchObject({
      unit: 'oht50-firmware.service',
      httpPort: 8081,
      activeState: 'active',
      subState: 'running',
      unitFileState: 'enabled',
      result: 'success',
      nRestarts: 0,
    });
    expect(runbook.service('backend')).toMatchObject({ unit: 'oht50-backend.service', httpPort: 8000 });
    const newer = new SimVehicle({ name: 'sim-02', variant: 'newer', clock: manualClock() });
    expect(newer.service('firmware')).toMatchObject({ unit: 'oht50.service', httpPort: 8080 });
    expect(newer.findService('oht50')?.role).toBe('firmware');
    expect(newer.findService('oht50-firmware')).toBeUndefined();
  });

  it('crashService leaves the service failed with Result=exit-code and one more restart', () => {
    const clock = manualClock();
    const v = new SimVehicle({ name: 'sim-01', clock });
    const pid = v.service('firmware').mainPid;
    clock.advance(5_000);
    v.crashService('firmware');
    expect(v.service('firmware')).toMatchObject({
      activeState: 'failed',
      subState: 'failed',
      result: 'exit-code',
      nRestarts: 1,
      execMainCode: 1,
      execMainStatus: 1,
      execMainPid: pid,
      mainPid: 0,
      sinceMs: START + 5_000,
      activeExitMs: START + 5_000,
    });
    v.crashService('firmware', { exitStatus: 134 });
    expect(v.service('firmware')).toMatchObject({ nRestarts: 2, execMainStatus: 134 });
    expect(v.service('backend').activeState).toBe('active');
  });

  it('crashService with autoRestart models a service that Restart=always brought back', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    const pid = v.service('backend').mainPid;
    v.crashService('backend', { autoRestart: true });
    v.crashService('backend', { autoRestart: true });
    const s = v.service('backend');
    expect(s).toMatchObject({ activeState: 'active', subState: 'running', result: 'success', nRestarts: 2 });
    expect(s.mainPid).not.toBe(pid);
  });

  it('stopService and startService follow systemd, including NRestarts being reset by a manual start', () => {
    const clock = manualClock();
    const v = new SimVehicle({ name: 'sim-01', clock });
    v.crashService('backend', { autoRestart: true });
    clock.advance(1_000);
    v.stopService('backend');
    expect(v.service('backend')).toMatchObject({
      activeState: 'inactive',
      subState: 'dead',
      result: 'success',
      mainPid: 0,
      execMainCode: 2,
      execMainStatus: 15,
      nRestarts: 1,
    });
    clock.advance(1_000);
    v.startService('backend');
    expect(v.service('backend')).toMatchObject({
      activeState: 'active',
      subState: 'running',
      nRestarts: 0,
      activeEnterMs: START + 2_000,
    });
    expect(v.service('backend').mainPid).toBeGreaterThan(0);
  });

  it('restartService clears a failure and gives a fresh process', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    v.crashService('firmware');
    v.restartService('firmware');
    expect(v.service('firmware')).toMatchObject({ activeState: 'active', result: 'success', nRestarts: 0 });
    const pid = v.service('firmware').mainPid;
    v.restartService('firmware');
    expect(v.service('firmware').mainPid).not.toBe(pid);
  });

  it('keeps its state as plain data a trainer can change', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    v.latencyMs = 250;
    v.state.services.backend.unitFileState = 'disabled';
    expect(v.state.link.latencyMs).toBe(250);
    expect(JSON.parse(JSON.stringify(v.state))).toEqual(v.state);
  });
});
