import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WorkstationApi } from '../../../shared/ipc/api';
import { createWorkstationClient } from '../../../shared/ipc/client';
import type { EventName } from '../../../shared/ipc/contract';
import { createCore, type Core } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { startPtyPair, type PtyPair } from '../../support/rs485/ptyPair';
import { startPymodbusSlave, type PymodbusSlave } from '../../support/rs485/pymodbusSlave';
import { assertPymodbus } from '../../support/rs485/requirements';

/** The bus service against a Modbus slave nobody here wrote (Debian's pymodbus) on a socat pty pair. */
describe('the RS485 bus service against a pymodbus slave', () => {
  let dir: string;
  let pty: PtyPair;
  let slave: PymodbusSlave;
  let core: Core;
  let api: WorkstationApi;
  let busId: string;
  const seen: { name: EventName; payload: unknown }[] = [];

  beforeAll(async () => {
    assertPymodbus();
    dir = await mkdtemp(join(tmpdir(), 'ohtw-rs485-pymodbus-'));
    pty = await startPtyPair();
    slave = await startPymodbusSlave(pty.b, ['1', '2:2', '4:4:minimal']);
    core = await createCore({ dataDir: join(dir, 'data'), face: 'cli', logger: silentLogger, actor: 'tech:chi' });
    core.events.subscribe((event) => seen.push(event));
    api = createWorkstationClient({
      invoke: (name, input) => core.dispatch(name, input),
      subscribe: (handler) => core.events.subscribe(handler),
    });
    busId = (await api.call('rs485.connect', { port: pty.a, settings: { timeoutMs: 300, retries: 1, gapMs: 2 } }))
      .busId;
    // The slave opens its end just after it says it started: wait for its first answer.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const scan = await api.call('rs485.scan', { busId, from: 2, to: 2 });
      if (scan.modules.length === 1 || Date.now() > deadline) {
        break;
      }
    }
  });

  afterAll(async () => {
    await core?.close();
    await slave?.stop();
    await pty?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('scans and identifies the slaves by their identity registers', async () => {
    const result = await api.call('rs485.scan', { busId, from: 1, to: 5 });
    expect(result.modules.map((m) => [m.address, m.moduleType, m.firmwareVersion])).toEqual([
      [1, null, '1.02'],
      [2, 'power', '1.02'],
      [4, 'travel', '1.02'],
    ]);
    expect(result.modules[1]).toMatchObject({ name: 'M02', deviceId: 2, status: 1, error: 0 });
  });

  it('plans and applies a write that the slave stores, read back and audited', async () => {
    const reading = await api.call('rs485.readModule', { busId, slave: 2 });
    expect(reading.type).toBe('power');
    const writable = reading.registers.find(
      (r) => r.access === 'RW' && !r.safetyCritical && r.raw !== null && r.enumValues === undefined && r.max > r.min,
    );
    if (!writable) {
      throw new Error('the power map has no plain writable register');
    }
    const target = writable.raw === null || writable.value === writable.min ? writable.max : writable.min;
    const plan = await api.call('rs485.planWrite', { busId, slave: 2, register: writable.name, value: target });
    expect(plan.refused).toBeUndefined();
    const result = await api.call('rs485.applyWrite', { planId: plan.planId });
    expect(result).toMatchObject({ outcome: 'ok', readBack: { name: writable.name, value: target } });
    expect(core.history.listAudit({ limit: 1 })[0]).toMatchObject({ action: 'rs485.write', outcome: 'ok' });
  });

  it('registers a slave refuses carry its exception reply, and the bus stays usable', async () => {
    // Slave 4 has nothing below 0x0100, so the travel map's registers there are refused one by one.
    const reading = await api.call('rs485.readModule', { busId, slave: 4 });
    expect(reading.type).toBe('travel');
    const low = reading.registers.filter((r) => r.address < 0x0100);
    expect(low.length).toBeGreaterThan(0);
    expect(low.every((r) => r.raw === null && /exception 02|illegal data address/i.test(r.failure ?? ''))).toBe(true);
    expect((await api.call('rs485.scan', { busId, from: 4, to: 4 })).modules).toHaveLength(1);
  });

  it('reports the bus lost when the port vanishes, and ends its monitor', async () => {
    const monitor = await api.call('rs485.monitor.start', { source: { kind: 'bus', busId } });
    await pty.kill();
    const deadline = Date.now() + 5_000;
    while (!seen.some((e) => e.name === 'rs485.busChanged' && (e.payload as { state: string }).state === 'lost')) {
      if (Date.now() > deadline) {
        // A master learns of a vanished port at its next request at the latest.
        await api.call('rs485.readModule', { busId, slave: 2 }).catch(() => undefined);
      }
      if (Date.now() > deadline + 5_000) {
        throw new Error('the lost bus was never reported');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toContainEqual({
      name: 'rs485.busChanged',
      payload: expect.objectContaining({
        busId,
        port: pty.a,
        state: 'lost',
        reason: expect.any(String) as unknown,
      }) as unknown,
    });
    expect(await api.call('rs485.buses', {})).toEqual([]);
    await expect(api.call('rs485.readModule', { busId, slave: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await api.call('rs485.monitor.list', {})).find((m) => m.monitorId === monitor.monitorId)?.running).toBe(
      false,
    );
  });
});
