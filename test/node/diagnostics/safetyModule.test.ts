import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit, type VehicleProfile } from '../../../shared/domain/unit';
import type { SweepContext } from '../../../electron/core/diagnostics/checkModule';
import { firmwareStateProbe } from '../../../electron/core/diagnostics/modules/firmwareState';
import { safetyModule } from '../../../electron/core/diagnostics/modules/safetyModule';
import type { ProbeOutput } from '../../../electron/core/transport/batch';

function unitWith(profile: Partial<VehicleProfile>): Unit {
  return {
    name: 'oht-7',
    host: '10.0.0.7',
    port: 22,
    user: 'tech',
    auth: { kind: 'key', keyPath: '/keys/id' },
    profile: { ...DEFAULT_VEHICLE_PROFILE, ...profile },
    hostKey: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastLevel: null,
    lastRunAt: null,
  };
}

const DETECTED = { detected: true } as const;

const output = (key: string, stdout: string, exitCode: number | null = 0, truncated = false): ProbeOutput => ({
  key,
  stdout,
  exitCode,
  truncated,
});

/** /api/v1/system/state as oht50_main answers it. */
function state(current: string | number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    success: true,
    data: {
      current_state: current,
      previous_state: 'IDLE',
      state_duration_ms: 5230,
      total_transitions: 4,
      system_ready: current === 'IDLE',
      safety_ok: current !== 'ESTOP',
      communication_ok: true,
      sensors_ok: true,
      location_ok: true,
      last_event: current === 'ESTOP' ? 'ESTOP_TRIGGERED' : 'INIT_COMPLETE',
      current_fault: current === 'ESTOP' ? 'ESTOP' : 'NONE',
      state_timeout_ms: 0,
      timestamp: 1764345600000,
      ...extra,
    },
  });
}

function judge(pin: ProbeOutput, firmware: ProbeOutput | null, profile: Partial<VehicleProfile> = DETECTED) {
  const unit = unitWith(profile);
  const context: SweepContext = {
    unit,
    profile: unit.profile,
    thresholds: DEFAULT_THRESHOLDS,
    sentAtMs: 0,
    receivedAtMs: 0,
  };
  const outputs = new Map([[pin.key, pin]]);
  if (firmware) {
    outputs.set(firmware.key, firmware);
  }
  const [check] = safetyModule.judge(context, outputs);
  if (!check) {
    throw new Error('no check');
  }
  return check;
}

const pin = (value: string, exitCode = 0): ProbeOutput => output('safety.pin', value, exitCode);
/** What the shared firmware-state probe prints: curl's answer with its HTTP marker, then curl's exit status. */
function stateAnswer(port: number, body: string, exitCode = 0): ProbeOutput {
  const http = exitCode === 127 ? '' : `\n@@ohtw-http ${exitCode === 0 ? 200 : '000'} 0.004`;
  return output(`firmware.state.${port}`, `${body}${http}\n@@ohtw-exit ${exitCode}`);
}
const fw = (body: string, exitCode = 0): ProbeOutput => stateAnswer(8081, body, exitCode);

describe('safety.estop probes', () => {
  it('read the pin and the firmware state machine, never the stubbed safety status', () => {
    const unit = unitWith({ ...DETECTED, estopGpioPath: '/sys/class/gpio/gpio59/value' });
    const probes = safetyModule.probes({ unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS });
    expect(probes).toEqual([
      { key: 'safety.pin', command: 'cat /sys/class/gpio/gpio59/value', timeoutS: 2 },
      firmwareStateProbe(8081),
    ]);
    expect(probes.some((p) => p.command.includes('safety/status'))).toBe(false);
  });

  it('ask both firmware ports until the build is detected, and judge by the detected one', () => {
    const unit = unitWith({});
    const probes = safetyModule.probes({ unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS });
    expect(probes.map((p) => p.key)).toEqual(['safety.pin', 'firmware.state.8081', 'firmware.state.8080']);
    const detected = { ...unit.profile, variant: 'newer' as const, firmwarePort: 8080, detected: true };
    const outputs = new Map([
      ['safety.pin', pin('1\n')],
      ['firmware.state.8081', stateAnswer(8081, '<!doctype html><html>frontend</html>')],
      ['firmware.state.8080', stateAnswer(8080, state('IDLE'))],
    ]);
    const [check] = safetyModule.judge(
      { unit, profile: detected, thresholds: DEFAULT_THRESHOLDS, sentAtMs: 0, receivedAtMs: 0 },
      outputs,
    );
    expect(check).toMatchObject({ level: 'OK' });
    expect(check?.message).toContain('the firmware reports IDLE');
  });
});

describe('judging the E-Stop', () => {
  it('is OK when released and the firmware is IDLE', () => {
    const check = judge(pin('1\n'), fw(state('IDLE')));
    expect(check).toMatchObject({ id: 'safety.estop', level: 'OK' });
    expect(check.message).toBe(
      'E-Stop is released (E-Stop input /sys/class/gpio/gpio59/value reads 1); the firmware reports IDLE, last event INIT_COMPLETE',
    );
    expect(check.evidence).toContain('$ cat /sys/class/gpio/gpio59/value\n1\n');
    expect(check.evidence).toContain('"current_state":"IDLE"');
  });

  it('is ERROR when pressed (active-low 0), with the E-Stop section', () => {
    const check = judge(pin('0\n'), fw(state('ESTOP')));
    expect(check).toMatchObject({ level: 'ERROR', runbook: 'Emergency › 2. E-Stop Triggered – Safety Response' });
    expect(check.message).toMatch(
      /^E-Stop is pressed \(.* reads 0, active-low\); the firmware reports ESTOP, fault ESTOP/,
    );
  });

  it('explains a pressed pin the firmware has not registered', () => {
    const check = judge(pin('0'), fw(state('IDLE')));
    expect(check.level).toBe('ERROR');
    expect(check.message).toContain('the firmware has not registered the stop');
  });

  it('says "released but still latched: reset needed" when the firmware stays in ESTOP', () => {
    const check = judge(pin('1\n'), fw(state('ESTOP')));
    expect(check).toMatchObject({ level: 'WARN', runbook: 'Emergency › 2. E-Stop Triggered – Safety Response' });
    expect(check.message).toMatch(/^E-Stop released but still latched: reset needed/);
  });

  it('reads the state as a number too (enum order of the state machine)', () => {
    expect(judge(pin('1'), fw(state(5))).message).toMatch(/still latched/);
    expect(judge(pin('1'), fw(state(4, { current_fault: 'COMMUNICATION' }))).message).toBe(
      'E-Stop is released but the firmware reports FAULT, fault COMMUNICATION, last event INIT_COMPLETE: the fault must be cleared before the vehicle moves',
    );
  });

  it('is WARN when released but the firmware cannot be asked', () => {
    const check = judge(
      pin('1'),
      fw('curl: (7) Failed to connect to 127.0.0.1 port 8081 after 0 ms: Connection refused', 7),
    );
    expect(check.level).toBe('WARN');
    expect(check.message).toContain(
      "the firmware's state could not be read (127.0.0.1:8081: nothing listens there (firmware API down?))",
    );
    expect(judge(pin('1'), fw('', 28)).message).toContain('no answer within 2 s');
    expect(judge(pin('1'), fw('{"success":false,"message":"Endpoint not found"}')).message).toContain(
      'has no data.current_state',
    );
    expect(judge(pin('1'), fw('<html>', 0)).message).toContain('did not answer JSON');
    expect(judge(pin('1'), fw('sh: 1: curl: not found', 127)).message).toContain('a tool is missing');
  });

  it('is STALE with the reason when the pin cannot be read', () => {
    const missing = judge(pin('cat: /sys/class/gpio/gpio59/value: No such file or directory', 1), fw(state('ESTOP')));
    expect(missing.level).toBe('STALE');
    expect(missing.message).toBe(
      'the E-Stop input cannot be read: /sys/class/gpio/gpio59/value does not exist (is gpio59 exported?); the firmware reports ESTOP, fault ESTOP, last event ESTOP_TRIGGERED',
    );
    expect(judge(pin('cat: x: Permission denied', 1), null).message).toContain('not readable by the login user');
    expect(judge(pin('high'), null).message).toContain('reads "high", not 0 or 1');
    expect(judge(output('safety.pin', '', 124), null).message).toContain('timed out');
    expect(judge(output('safety.pin', '', null, true), null).message).toContain('cut off');
  });

  it('never throws on missing outputs', () => {
    const unit = unitWith({});
    const [check] = safetyModule.judge(
      { unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS, sentAtMs: 0, receivedAtMs: 0 },
      new Map(),
    );
    expect(check).toMatchObject({ id: 'safety.estop', level: 'STALE' });
  });
});
