import { describe, expect, it } from 'vitest';

import type { CheckResult } from '../../../shared/domain/health';
import {
  contiguousRuns,
  diagnoseBusOffline,
  lineDelta,
  percentile,
  readModuleRegisters,
} from '../../../electron/core/rs485/diagnosis';
import { RUNBOOK } from '../../../electron/core/diagnostics/runbook';
import { simFixture } from '../../support/rs485-sim/simFixture';

function flatten(checks: readonly CheckResult[]): CheckResult[] {
  return checks.flatMap((c) => [c, ...flatten(c.children ?? [])]);
}

function byId(checks: readonly CheckResult[], id: string): CheckResult {
  const found = flatten(checks).find((c) => c.id === id);
  if (!found) {
    throw new Error(
      `no check ${id} in ${flatten(checks)
        .map((c) => c.id)
        .join(', ')}`,
    );
  }
  return found;
}

const HEALTHY_IDS = [
  'rs485.offline.bus',
  'rs485.offline.power',
  'rs485.offline.power.presence',
  'rs485.offline.power.line',
  'rs485.offline.power.error',
  'rs485.offline.power.battery',
  'rs485.offline.power.cells',
  'rs485.offline.power.temperature',
  'rs485.offline.power.faults',
  'rs485.offline.power.status',
  'rs485.offline.safety',
  'rs485.offline.safety.presence',
  'rs485.offline.safety.line',
  'rs485.offline.safety.error',
  'rs485.offline.safety.temperature',
  'rs485.offline.safety.status',
  'rs485.offline.safety.estop',
  'rs485.offline.travel',
  'rs485.offline.travel.presence',
  'rs485.offline.travel.line',
  'rs485.offline.travel.error',
  'rs485.offline.travel.faults',
  'rs485.offline.travel.status',
  'rs485.offline.dock',
  'rs485.offline.dock.presence',
  'rs485.offline.dock.line',
  'rs485.offline.dock.error',
  'rs485.offline.dock.temperature',
  'rs485.offline.dock.status',
];

describe('offline diagnosis over the bus', () => {
  it('a healthy bus is OK throughout, under stable ids', async () => {
    const { master, modules } = await simFixture();
    const checks = await diagnoseBusOffline(master, modules);
    expect(flatten(checks).map((c) => c.id)).toEqual(HEALTHY_IDS);
    expect(flatten(checks).filter((c) => c.level !== 'OK')).toEqual([]);
    expect(byId(checks, 'rs485.offline.bus').message).toMatch(
      /^all 4 expected modules answered; 0 CRC errors and 0 timeouts in \d+ requests$/,
    );
    expect(byId(checks, 'rs485.offline.power.presence').message).toBe(
      'Power 0x02 answers (type Power, firmware v1.01)',
    );
    const battery = byId(checks, 'rs485.offline.power.battery');
    expect(battery.message).toBe(
      'Power battery: battery pack voltage 24.6 V, battery pack current 1.8 A, state of charge 82.5 %',
    );
    expect(battery.metrics).toMatchObject({ packVoltageV: 24.6, stateOfChargePercent: 82.5 });
    expect(battery.evidence).toContain('0x0000 packVoltage = 24.6 V (raw 0x00F6)');
    expect(byId(checks, 'rs485.offline.safety.estop').message).toBe('Safety E-Stop: emergency stop normal (0)');
  });

  it('E-Stop pressed is an ERROR of the safety module, pointing at the E-Stop runbook', async () => {
    const { master, modules } = await simFixture({ estopPressed: true });
    const checks = await diagnoseBusOffline(master, modules);
    const estop = byId(checks, 'rs485.offline.safety.estop');
    expect(estop).toMatchObject({ level: 'ERROR', runbook: RUNBOOK.estop, metrics: { emergencyStop: 1 } });
    expect(estop.message).toBe('Safety E-Stop: Emergency stop is pressed');
    expect(byId(checks, 'rs485.offline.safety.status').message).toContain('Safety system status is ESTOP');
    expect(byId(checks, 'rs485.offline.safety').level).toBe('ERROR');
    expect(byId(checks, 'rs485.offline.power').level).toBe('OK');
  });

  it('under-voltage and battery low: the pack, the state of charge and fault bits 1 and 6', async () => {
    const { master, modules } = await simFixture({ lowBattery: true });
    const checks = await diagnoseBusOffline(master, modules);
    const battery = byId(checks, 'rs485.offline.power.battery');
    expect(battery.level).toBe('ERROR');
    expect(battery.message).toContain('Battery pack voltage 19.4 V is below 20 V');
    expect(battery.message).toContain('State of charge 7.5 % is below 10 %');
    expect(battery.metrics).toMatchObject({ packVoltageV: 19.4, stateOfChargePercent: 7.5 });
    const faults = byId(checks, 'rs485.offline.power.faults');
    expect(faults).toMatchObject({ level: 'ERROR', metrics: { faultFlags: 0x42 } });
    expect(faults.message).toBe('Power fault registers: Fault flags: undervoltage, Fault flags: battery low');
    expect(faults.evidence).toBe('0x0023 faultFlags = 0x0042: undervoltage, battery low (raw 0x0042)');
    expect(byId(checks, 'rs485.offline.power.error')).toMatchObject({
      level: 'WARN',
      message: expect.stringContaining('System error code is 0x0002') as unknown,
    });
    expect(byId(checks, 'rs485.offline.power.cells').level).toBe('OK');
  });

  it('a missing module is STALE under the same ids, and the bus says who is missing', async () => {
    const { master, modules } = await simFixture({ missing: ['dock'] });
    const checks = await diagnoseBusOffline(master, modules, { presenceAttempts: 3 });
    expect(flatten(checks).map((c) => c.id)).toEqual(HEALTHY_IDS);
    const dock = byId(checks, 'rs485.offline.dock');
    expect(dock.level).toBe('STALE');
    expect(dock.children?.every((c) => c.level === 'STALE')).toBe(true);
    expect(byId(checks, 'rs485.offline.dock.presence').message).toMatch(
      /^Dock & location 0x05 did not answer \(no answer\): .*losing it means LOG_ONLY for the firmware$/,
    );
    expect(byId(checks, 'rs485.offline.dock.presence').runbook).toBe(RUNBOOK.communication);
    const bus = byId(checks, 'rs485.offline.bus');
    expect(bus.level).toBe('WARN');
    expect(bus.message).toMatch(
      /^3 of 4 expected modules answered \(missing: Dock & location 0x05\); 0 CRC errors and 3 timeouts in \d+ requests$/,
    );
    expect(bus.metrics).toMatchObject({ modulesExpected: 4, modulesAnswered: 3, timeouts: 3 });
    expect(byId(checks, 'rs485.offline.power').level).toBe('OK');
  });

  it('nothing answering at all is STALE for the bus, with what to check', async () => {
    const { master, modules } = await simFixture({ missing: ['power', 'safety', 'travel', 'dock'] });
    const checks = await diagnoseBusOffline(master, modules, { presenceAttempts: 1 });
    expect(byId(checks, 'rs485.offline.bus')).toMatchObject({ level: 'STALE' });
    expect(byId(checks, 'rs485.offline.bus').message).toMatch(/^no module answered: check the adapter/);
  });

  it("CRC errors on a noisy line are a WARN of that module's line, and the readings still come through", async () => {
    const { master, modules } = await simFixture({ noise: { everyNth: 3, modules: ['travel'] } });
    const checks = await diagnoseBusOffline(master, modules);
    const line = byId(checks, 'rs485.offline.travel.line');
    expect(line.level).toBe('WARN');
    expect(line.message).toMatch(/^line to Travel motor: \d+ CRC errors in \d+ requests: noise, termination/);
    expect(line.metrics?.['crcErrors']).toBeGreaterThan(0);
    expect(line.runbook).toBe(RUNBOOK.communication);
    expect(byId(checks, 'rs485.offline.travel.faults').level).toBe('OK');
    expect(byId(checks, 'rs485.offline.power.line').level).toBe('OK');
    expect(byId(checks, 'rs485.offline.bus')).toMatchObject({ level: 'WARN' });
  });

  it('a slow module is a WARN against the response time the firmware allows it', async () => {
    const { master, modules } = await simFixture({ slowMs: { power: 70 } });
    const checks = await diagnoseBusOffline(master, modules);
    const line = byId(checks, 'rs485.offline.power.line');
    expect(line.level).toBe('WARN');
    expect(line.message).toContain(
      'slow: p95 78 ms, above the 50 ms the firmware allows this module (it expects 30 ms)',
    );
    expect(line.metrics).toMatchObject({ p50Ms: 78, p95Ms: 78, p99Ms: 78, timeouts: 0 });
    // The dock may take 200 ms: the same delay there is fine.
    const dockSlow = await simFixture({ slowMs: { dock: 70 } });
    const dockChecks = await diagnoseBusOffline(dockSlow.master, dockSlow.modules);
    expect(byId(dockChecks, 'rs485.offline.dock.line').level).toBe('OK');
  });

  it('reading a module with the wrong map variant shows refused registers, not made-up values', async () => {
    const { master, modules } = await simFixture({}, { served: { dock: 'handler' }, expected: { dock: 'code' } });
    const checks = await diagnoseBusOffline(master, modules);
    expect(byId(checks, 'rs485.offline.dock.presence').level).toBe('OK');
    const status = byId(checks, 'rs485.offline.dock.status');
    expect(status.level).toBe('STALE');
    expect(status.message).toMatch(
      /not read \(0x0040 Docking status: refused with exception 02 \(illegal data address\).*is dock-code the map this module has\?/,
    );
  });
});

describe('the register table', () => {
  it('reads every readable register decoded with its unit, raw kept, in few requests', async () => {
    const { master, modules } = await simFixture({ lowBattery: true });
    const power = modules[0];
    if (!power) {
      throw new Error('no power module');
    }
    const rows = await readModuleRegisters(master, power);
    expect(rows.length).toBe(power.profile.registers.filter((r) => r.access !== 'W').length);
    expect(rows.every((r) => r.decoded !== undefined)).toBe(true);
    const flags = rows.find((r) => r.register.name === 'faultFlags');
    expect(flags?.decoded).toMatchObject({ raw: 0x42, rawHex: '0x0042', text: '0x0042: undervoltage, battery low' });
    expect(rows.find((r) => r.register.name === 'packVoltage')?.decoded).toMatchObject({
      raw: 194,
      value: 19.4,
      unit: 'V',
    });
    const runs = contiguousRuns(power.profile.registers.filter((r) => r.access !== 'W'));
    expect(master.requests.length).toBe(runs.length);
  });
});

describe('line statistics', () => {
  it("takes percentiles by nearest rank and only this sweep's share of the master's counters", () => {
    expect(percentile([], 95)).toBeUndefined();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 95)).toBe(100);
    const before = { requests: 10, timeouts: 1, crcErrors: 0, exceptions: 0, latenciesMs: [9, 9, 9] };
    const after = { requests: 14, timeouts: 2, crcErrors: 1, exceptions: 0, latenciesMs: [9, 9, 9, 20, 21, 22] };
    expect(lineDelta(before, after)).toEqual({
      requests: 4,
      timeouts: 1,
      crcErrors: 1,
      exceptions: 0,
      latenciesMs: [21, 22],
    });
  });
});
