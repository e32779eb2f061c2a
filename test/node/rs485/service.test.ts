import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CheckResult } from '../../../shared/domain/health';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { createWorkstationClient } from '../../../shared/ipc/client';
import type { EventName } from '../../../shared/ipc/contract';
import { runCli } from '../../../electron/cli/main';
import { createCore, type Core } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { captureIo } from '../../support/cli/captureIo';
import { assertSocat } from '../../support/rs485/requirements';

function find(checks: readonly CheckResult[], id: string): CheckResult | undefined {
  for (const check of checks) {
    if (check.id === id) {
      return check;
    }
    const inner = find(check.children ?? [], id);
    if (inner) {
      return inner;
    }
  }
  return undefined;
}

type Seen = { name: EventName; payload: unknown };

/** The bus service through the core's one door, on the simulated modules served on a socat pty pair. */
describe('the RS485 bus service through core.dispatch', () => {
  let dir: string;
  let core: Core;
  let api: WorkstationApi;
  const seen: Seen[] = [];
  let simId: string;
  let busId: string;
  let port: string;

  beforeAll(async () => {
    assertSocat();
    dir = await mkdtemp(join(tmpdir(), 'ohtw-rs485-service-'));
    core = await createCore({ dataDir: join(dir, 'data'), face: 'cli', logger: silentLogger, actor: 'tech:ana' });
    core.events.subscribe((event) => seen.push(event));
    api = createWorkstationClient({
      invoke: (name, input) => core.dispatch(name, input),
      subscribe: (handler) => core.events.subscribe(handler),
    });
    const started = await api.call('rs485.sim.start', {
      faults: { estopPressed: true, missing: ['dock'] },
      connect: true,
    });
    simId = started.sim.simId;
    port = started.sim.port;
    if (!started.bus) {
      throw new Error('the simulated bus was not connected');
    }
    busId = started.bus.busId;
  });

  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the connected bus and refuses a second master on its port', async () => {
    const buses = await api.call('rs485.buses', {});
    expect(buses).toEqual([expect.objectContaining({ busId, port, simId, scanning: false, monitorId: null })]);
    expect(seen).toContainEqual({
      name: 'rs485.busChanged',
      payload: { busId, port, state: 'connected', reason: null },
    });
    await expect(api.call('rs485.connect', { port })).rejects.toMatchObject({ code: 'SERIAL_PORT_BUSY' });
    // The command line in another process cannot become a second master on the port the app holds.
    const io = captureIo();
    expect(
      await runCli(['rs485', 'scan', '--port', port, '--from', '1', '--to', '3', '--data-dir', join(dir, 'cli')], io),
    ).toBe(1);
    expect(io.stderr()).toMatch(/is in use by another program/);
    const ports = await api.call('rs485.ports', {});
    expect(ports).toContainEqual(
      expect.objectContaining({
        path: port,
        busId,
        hint: expect.stringMatching(/^simulated OHT-50 module bus/) as unknown,
      }),
    );
    expect(seen).toContainEqual({
      name: 'rs485.portsChanged',
      payload: expect.objectContaining({ kind: 'added', port: expect.objectContaining({ path: port }) as unknown }),
    });
    expect(await api.call('rs485.sim.list', {})).toEqual([
      expect.objectContaining({ simId, port, faults: { estopPressed: true, missing: ['dock'] } }),
    ]);
  });

  it('scans a range with progress events and identifies the modules that answer', async () => {
    const before = seen.length;
    const result = await api.call('rs485.scan', { busId, from: 1, to: 6 });
    expect(result.modules.map((m) => [m.address, m.moduleType])).toEqual([
      [2, 'power'],
      [3, 'safety'],
      [4, 'travel'],
    ]);
    expect(result).toMatchObject({ busId, port, baud: 115200, from: 1, to: 6, cancelled: false });
    const progress = seen.slice(before).filter((e) => e.name === 'rs485.scanProgress');
    expect(progress.length).toBeGreaterThanOrEqual(6);
    expect(progress.at(-1)?.payload).toMatchObject({ busId, done: 6, total: 6, found: 3 });
  });

  it('reads a module decoded by its map, with raw words and bit meanings', async () => {
    const reading = await api.call('rs485.readModule', { busId, slave: 3 });
    expect(reading).toMatchObject({ busId, slave: 3, type: 'safety', source: 'register' });
    const status = reading.registers.find((r) => r.address === 0x0000);
    expect(status).toMatchObject({ raw: 3, meaning: 'ESTOP', level: 'ERROR', failure: null });
    expect(reading.registers.every((r) => r.rawHex === null || /^0x[0-9A-F]{4}$/.test(r.rawHex))).toBe(true);
    // A module that is not there is a typed error, and the bus stays usable.
    await expect(api.call('rs485.readModule', { busId, slave: 5 })).rejects.toMatchObject({
      code: 'MODBUS_TIMEOUT',
    });
    expect((await api.call('rs485.readModule', { busId, slave: 2 })).type).toBe('power');
  });

  it('keeps one request in flight when a scan and live reads share the bus', async () => {
    const [scan, a, b] = await Promise.all([
      api.call('rs485.scan', { busId, from: 2, to: 4 }),
      api.call('rs485.readModule', { busId, slave: 2 }),
      api.call('rs485.readModule', { busId, slave: 4 }),
    ]);
    expect(scan.modules).toHaveLength(3);
    expect(a.registers.every((r) => r.failure === null)).toBe(true);
    expect(b.registers.every((r) => r.failure === null)).toBe(true);
    await expect(
      Promise.all([
        api.call('rs485.scan', { busId, from: 1, to: 3 }),
        api.call('rs485.scan', { busId, from: 1, to: 3 }),
      ]),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('diagnoses the bus offline: the pressed E-Stop and the missing dock, not stored without a unit', async () => {
    await expect(api.call('rs485.lastDiagnosis', { busId })).resolves.toBeNull();
    const report = await api.call('rs485.diagnose', { busId });
    // Kept with the held bus, so a page opened later (or another face) shows it rather than "not diagnosed yet".
    await expect(api.call('rs485.lastDiagnosis', { busId })).resolves.toEqual(report);
    await expect(api.call('rs485.lastDiagnosis', { busId: 'no-such-bus' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(report.unit).toBe(`rs485 ${port}`);
    expect(report.level).toBe('ERROR');
    expect(find(report.checks, 'rs485.offline.safety.estop')?.level).toBe('ERROR');
    expect(find(report.checks, 'rs485.offline.dock')?.level).toBe('STALE');
    expect(find(report.checks, 'rs485.offline.master')).toBeUndefined();
    await expect(api.call('diagnostics.get', { runId: report.runId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('plans a write old → new, needs confirm for a safety-critical register, verifies and audits', async () => {
    const plan = await api.call('rs485.planWrite', { busId, slave: 3, register: 'zoneThreshold1', value: 1200 });
    expect(plan).toMatchObject({
      needsConfirmation: true,
      old: { raw: 1000 },
      new: { raw: 1200 },
      register: { name: 'zoneThreshold1', safetyCritical: true, access: 'RW' },
    });
    const unconfirmed = await api.call('rs485.applyWrite', { planId: plan.planId });
    expect(unconfirmed.outcome).toBe('refused');
    expect(unconfirmed.message).toMatch(/safety-critical/);
    // A plan is applied once.
    await expect(api.call('rs485.applyWrite', { planId: plan.planId, confirm: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const again = await api.call('rs485.planWrite', { busId, slave: 3, register: 'zoneThreshold1', value: 1200 });
    const done = await api.call('rs485.applyWrite', { planId: again.planId, confirm: true });
    expect(done).toMatchObject({ outcome: 'ok', readBack: { raw: 1200, name: 'zoneThreshold1' } });
    const audit = core.history.listAudit({ limit: 2 });
    expect(audit.map((a) => [a.action, a.outcome, a.actor])).toEqual([
      ['rs485.write', 'ok', 'tech:ana'],
      ['rs485.write', 'refused', 'tech:ana'],
    ]);

    const readOnly = await api.call('rs485.planWrite', { busId, slave: 3, register: 0x0000, value: 0 });
    expect(readOnly.refused).toMatch(/read-only/);
    await expect(api.call('rs485.planWrite', { busId, slave: 3, register: 'zoneThreshold1' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('records the bus in a monitor, sends bounded frame batches and exports them', async () => {
    const monitor = await api.call('rs485.monitor.start', { source: { kind: 'bus', busId } });
    expect(monitor).toMatchObject({ kind: 'bus', busId, port, running: true, frames: 0 });
    const before = seen.length;
    await api.call('rs485.readModule', { busId, slave: 2 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const batches = seen.slice(before).filter((e) => e.name === 'rs485.frames');
    expect(batches.length).toBeGreaterThan(0);
    const frames = batches.flatMap(
      (b) => (b.payload as { frames: { direction: string; hex: string; crcOk: boolean; meaning: string }[] }).frames,
    );
    expect(frames[0]).toMatchObject({
      direction: 'tx',
      crcOk: true,
      meaning: expect.stringMatching(/^slave 2 FC03 read/) as unknown,
    });
    expect(frames.some((f) => f.direction === 'rx')).toBe(true);

    const csv = await api.call('rs485.monitor.export', { monitorId: monitor.monitorId });
    expect(csv.content?.split('\n')[0]).toBe('time,direction,bytes,crc,meaning');
    expect(csv.frames).toBe(frames.length);
    const file = join(dir, 'frames.txt');
    const text = await api.call('rs485.monitor.export', { monitorId: monitor.monitorId, format: 'text', path: file });
    expect(text).toMatchObject({ path: file, content: null });
    expect(await readFile(file, 'utf8')).toMatch(/ tx {2}ok {3}02 03 /);

    const stopped = await api.call('rs485.monitor.stop', { monitorId: monitor.monitorId });
    expect(stopped.running).toBe(false);
    expect(seen).toContainEqual({
      name: 'rs485.monitorEnded',
      payload: { monitorId: monitor.monitorId, reason: null },
    });
  });

  it('backs up the writable parameters, shows the differences and restores them through the safe-write rules', async () => {
    const { backup, skipped } = await api.call('rs485.params.backup', { busId, note: 'before tuning' });
    expect(backup.modules.map((m) => m.type)).toEqual(['power', 'safety', 'travel']);
    expect(skipped).toEqual([expect.stringMatching(/^Dock & location at 5: /)]);
    expect(await api.call('rs485.params.list', {})).toEqual([
      expect.objectContaining({ id: backup.id, note: 'before tuning' }),
    ]);

    const change = await api.call('rs485.planWrite', { busId, slave: 3, register: 'zoneThreshold1', value: 1500 });
    expect((await api.call('rs485.applyWrite', { planId: change.planId, confirm: true })).outcome).toBe('ok');

    const plan = await api.call('rs485.params.planRestore', { busId, backupId: backup.id });
    const safety = plan.modules.find((m) => m.type === 'safety');
    expect(safety?.differences).toEqual([
      expect.objectContaining({ name: 'zoneThreshold1', backupRaw: 1200, currentRaw: 1500, safetyCritical: true }),
    ]);
    expect(plan.needsConfirmation).toBe(true);
    const refused = await api.call('rs485.params.restore', { planId: plan.planId });
    expect(refused.results).toEqual([expect.objectContaining({ name: 'zoneThreshold1', outcome: 'refused' })]);

    const again = await api.call('rs485.params.planRestore', { busId, backupId: backup.id });
    const restored = await api.call('rs485.params.restore', { planId: again.planId, confirm: true });
    expect(restored.results).toEqual([
      expect.objectContaining({ type: 'safety', name: 'zoneThreshold1', outcome: 'ok' }),
    ]);
    expect(
      (await api.call('rs485.readModule', { busId, slave: 3 })).registers.find((r) => r.name === 'zoneThreshold1')?.raw,
    ).toBe(1200);
  });

  it('changes the simulated faults live: a noisy line, a slow module, a flat battery, then none', async () => {
    const sim = await api.call('rs485.sim.setFaults', {
      simId,
      faults: { noise: { everyNth: 3, modules: ['travel'] }, slowMs: { power: 80 }, lowBattery: true },
    });
    expect(sim.faults).toEqual({
      noise: { everyNth: 3, modules: ['travel'] },
      slowMs: { power: 80 },
      lowBattery: true,
    });
    const report = await api.call('rs485.diagnose', { busId });
    expect(find(report.checks, 'rs485.offline.travel.line')?.metrics?.['crcErrors']).toBeGreaterThan(0);
    expect(find(report.checks, 'rs485.offline.power.line')?.message).toMatch(/slow: p95/);
    expect(find(report.checks, 'rs485.offline.power.faults')?.level).toBe('ERROR');
    expect(find(report.checks, 'rs485.offline.safety.estop')?.level).toBe('OK');

    await api.call('rs485.sim.setFaults', { simId, faults: {} });
    const reading = await api.call('rs485.readModule', { busId, slave: 3 });
    expect(reading.registers.find((r) => r.address === 0)?.meaning).toBe('SAFE');
    expect((await api.call('rs485.readModule', { busId, slave: 5 })).type).toBe('dock');
    // The modules keep their error codes latched until the technician clears them (0x0109, a planned write).
    const latched = await api.call('rs485.diagnose', { busId });
    expect(find(latched.checks, 'rs485.offline.power.error')?.message).toMatch(/System error code is 0x0002/);
    for (const slave of [2, 3]) {
      const clear = await api.call('rs485.planWrite', { busId, slave, action: 'clearErrors' });
      expect(clear).toMatchObject({ action: 'rs485.clearErrors', register: { name: 'resetErrors', access: 'W' } });
      const cleared = await api.call('rs485.applyWrite', { planId: clear.planId, confirm: clear.needsConfirmation });
      expect(cleared).toMatchObject({ outcome: 'ok', readBack: { name: 'systemError', raw: 0 } });
    }
    const clean = await api.call('rs485.diagnose', { busId });
    // Latency on a busy machine is not the simulator's to promise; what the faults left behind must be gone.
    for (const id of [
      'power.error',
      'power.faults',
      'power.battery',
      'safety.error',
      'safety.estop',
      'dock.presence',
    ]) {
      expect(find(clean.checks, `rs485.offline.${id}`)?.level, id).toBe('OK');
    }
  });

  it('releases the bus: its plans and monitors end, calls on it are refused, the port is free again', async () => {
    const plan = await api.call('rs485.planWrite', { busId, slave: 3, register: 'zoneThreshold1', value: 1100 });
    expect(await api.call('rs485.release', { busId })).toEqual({ released: true });
    expect(seen).toContainEqual({
      name: 'rs485.busChanged',
      payload: { busId, port, state: 'released', reason: null },
    });
    await expect(api.call('rs485.readModule', { busId, slave: 3 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.call('rs485.applyWrite', { planId: plan.planId, confirm: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await api.call('rs485.buses', {})).toEqual([]);
    const next = await api.call('rs485.connect', { port, settings: { timeoutMs: 300, retries: 1, gapMs: 2 } });
    expect(next.settings).toMatchObject({ baudRate: 115200, parity: 'none', timeoutMs: 300, retries: 1, gapMs: 2 });
    expect(await api.call('rs485.sim.stop', { simId })).toEqual({ stopped: true });
    expect(await api.call('rs485.buses', {})).toEqual([]);
    expect((await api.call('rs485.ports', {})).some((p) => p.path === port)).toBe(false);
    expect(seen.at(-1)).toMatchObject({
      name: 'rs485.portsChanged',
      payload: { kind: 'removed', port: { path: port } },
    });
  });
});
