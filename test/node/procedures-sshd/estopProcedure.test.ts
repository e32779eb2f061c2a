import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunView } from '../../../shared/ipc/contracts/procedureRuns';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { RUNNING, runFixture, type RunFixture } from './runFixture';

const RESET = 'POST /api/v1/state/reset';

/**
 * The shipped E-Stop procedure (resources/procedures/emergency.estop.json) over a real sshd: the hardware pin is the
 * fake vehicle's gpio59 file read with the real cat, the firmware is the fake firmware API asked with the real curl.
 * The reset is gated on the pin read live just before it runs: pressed blocks it (the firmware is never asked),
 * released lets it through and the firmware goes ESTOP → IDLE.
 */
describe('the E-Stop procedure against a real sshd', () => {
  let sshd: SshdFixture;
  let http: FakeVehicleHttp;
  let fx: RunFixture;

  beforeAll(async () => {
    sshd = await startSshd();
    http = await startFakeVehicleHttp();
    fx = await runFixture(sshd, 'unit-estop', {
      estopGpioPath: sshd.estopGpioPath,
      installDir: sshd.installDir,
      backendPort: http.backendPort,
      firmwarePort: http.firmwarePort,
    });
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
  });
  afterAll(async () => {
    await fx?.close();
    await http?.close();
    await sshd?.stop();
  });

  const lastAttempt = (view: RunView) => view.attempts[view.attempts.length - 1];

  it('refuses the reset while the pin reads pressed and resets once it reads released', async () => {
    await sshd.setEstopPin('0');
    http.firmware.state = 'ESTOP';
    http.firmware.estopPinFile = sshd.estopGpioPath;

    let view = await fx.start('emergency.estop');
    expect(view.state).toBe('running');
    expect(view.current?.stepId).toBe('status');

    // The diagnosis check finds the pressed E-Stop and sends the technician to find the cause.
    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'status', status: 'failed', unit: 'unit-estop' });
    expect(lastAttempt(view)?.outcome.level).toBe('ERROR');
    expect(lastAttempt(view)?.outcome.message).toMatch(/E-Stop is pressed/);
    expect(view.current?.stepId).toBe('cause');

    view = await fx.step(view, { kind: 'manual', confirmed: true, note: 'operator hit the button at bay 3' });
    expect(view.current?.stepId).toBe('pin');

    // The reset is not offered while the pin reads 0: the pin check sends the run to the "pressed" decision.
    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'pin', status: 'failed' });
    expect(view.current?.stepId).toBe('pressed');
    expect(
      (
        await fx.refusal('procedures.run.step', {
          runId: view.runId,
          stepId: 'reset',
          answer: { kind: 'confirm' },
        })
      ).code,
    ).toBe('CONFLICT');

    await sshd.setEstopPin('1');
    view = await fx.step(view, { kind: 'decision', option: 'released' });
    expect(view.current?.stepId).toBe('pin');
    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'pin', status: 'done' });
    expect(view.current?.stepId).toBe('reset');
    expect(view.current?.gates).toEqual(['estop.released']);
    expect(view.current?.plans[0]?.plan.commands[0]?.line).toContain(
      `http://127.0.0.1:${http.firmwarePort}/api/v1/state/reset`,
    );

    // Pressed again before the technician confirms: the gate is read live at the confirmation and blocks.
    await sshd.setEstopPin('0');
    view = await fx.step(view, { kind: 'confirm' });
    const blocked = lastAttempt(view);
    expect(blocked).toMatchObject({ stepId: 'reset', status: 'blocked' });
    expect(blocked?.outcome.gates).toEqual([
      expect.objectContaining({
        gate: 'estop.released',
        status: 'red',
        reading: expect.stringMatching(/reads 0: PRESSED/),
      }),
    ]);
    expect(blocked?.outcome.gates[0]?.evidence).toContain(`$ cat ${sshd.estopGpioPath}\n0`);
    expect(view.current).toMatchObject({ stepId: 'reset', blocked: true });
    expect(http.requests.firmware).not.toContain(RESET);
    expect(http.firmware.state).toBe('ESTOP');
    // estop.released can never be overridden, whatever a procedure says.
    const override = await fx.refusal('procedures.run.step', {
      runId: view.runId,
      stepId: 'reset',
      answer: { kind: 'confirm', overrides: [{ gate: 'estop.released', by: 'tech-a', reason: 'sure it is fine' }] },
    });
    expect(override).toMatchObject({ code: 'VALIDATION' });
    expect(override.message).toMatch(/estop\.released can never be overridden/);
    expect(http.requests.firmware).not.toContain(RESET);

    // The gates can be read without running anything.
    view = await fx.step(view, { kind: 'gates' });
    expect(view.current?.gatePreview).toEqual([expect.objectContaining({ gate: 'estop.released', status: 'red' })]);

    await sshd.setEstopPin('1');
    view = await fx.step(view, { kind: 'confirm' });
    const reset = lastAttempt(view);
    expect(reset).toMatchObject({ stepId: 'reset', status: 'done' });
    expect(reset?.outcome.gates).toEqual([
      expect.objectContaining({
        gate: 'estop.released',
        status: 'green',
        reading: expect.stringMatching(/reads 1: released/),
      }),
    ]);
    expect(reset?.outcome.message).toBe('the firmware accepted the reset; it now reports IDLE');
    expect(http.requests.firmware.filter((r) => r === RESET)).toHaveLength(1);
    expect(http.firmware.state).toBe('IDLE');

    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'verify', status: 'done' });
    view = await fx.step(view, { kind: 'run' });
    expect(lastAttempt(view)).toMatchObject({ stepId: 'state', status: 'done' });
    expect(view.state).toBe('completed');
    expect(view.current).toBeNull();

    // Every action is in the audit log: the blocked attempt refused, the reset done.
    const history = await fx.call<{ summary: string; level: string | null }[]>('history.list', { name: 'unit-estop' });
    const actions = fx
      .core()
      .history.listAudit({ unit: 'unit-estop', limit: 50 })
      .filter((a) => a.action === 'procedure.step.action');
    expect(actions.map((a) => a.outcome)).toEqual(['ok', 'refused']);
    expect(history.length).toBeGreaterThan(0);
  });
});
