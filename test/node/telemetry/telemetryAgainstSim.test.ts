import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { EventPayload } from '../../../shared/ipc/contract';
import { createCore, type Core } from '../../../electron/core/createCore';
import { startSimFleet, type SimFleet } from '../../../electron/sim/SimServer';
import { createCapturingLogger, type CapturedRecord } from '../../support/fakes/captureLogger';
import { eventually } from './liveHelpers';

/** Which metric each part of a sample gives, and the words its problem starts with when the part is missing. */
const PARTS: [metric: string, problem: string][] = [
  ['memory.percent', 'memory (/proc/meminfo)'],
  ['disk.percent', 'disk (df /opt/oht50)'],
  ['backend.motor_temperature', 'backend API :8000'],
  ['firmware.up', 'firmware (oht50-firmware)'],
];

describe('live telemetry against simulated units', () => {
  let stateDir: string;
  let fleet: SimFleet;
  let core: Core;
  let records: CapturedRecord[];
  const batches: EventPayload<'telemetry.samples'>[] = [];
  const samplesOf = (streamId: string): TelemetrySample[] =>
    batches.filter((b) => b.streamId === streamId).flatMap((b) => b.samples);
  const start = async (name: string, intervalMs = 500): Promise<string> => {
    const answer = await core.dispatch('telemetry.start', { name, intervalMs });
    if (!answer.ok) {
      throw new Error(`telemetry.start failed: ${JSON.stringify(answer.error)}`);
    }
    return (answer.value as { streamId: string }).streamId;
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'ohtw-telemetry-sim-'));
    fleet = await startSimFleet({ count: 2, stateDir: join(stateDir, 'sim') });
    const captured = createCapturingLogger();
    records = captured.records;
    core = await createCore({ dataDir: join(stateDir, 'data'), face: 'cli', logger: captured.logger, env: {} });
    core.events.subscribe((event) => {
      if (event.name === 'telemetry.samples') {
        batches.push(event.payload as EventPayload<'telemetry.samples'>);
      }
    });
    for (const unit of fleet.units) {
      const added = await core.dispatch('units.add', {
        name: unit.name,
        host: unit.host,
        port: unit.port,
        user: unit.user,
        auth: { kind: 'key', keyPath: unit.clientKeyPath },
      });
      expect(added.ok).toBe(true);
      expect(
        await core.dispatch('units.trust', { name: unit.name, fingerprint: unit.hostKeyFingerprint }),
      ).toMatchObject({
        ok: true,
      });
    }
  });

  afterAll(async () => {
    await core?.close();
    await fleet?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('samples a simulated unit: every part is measured or says why not, and a crashed firmware shows as down', async () => {
    const streamId = await start('sim-01');
    const samples = await eventually('three samples', () => samplesOf(streamId).length >= 3 && samplesOf(streamId));
    for (const sample of samples) {
      expect(sample.metrics['sample.latencyMs']).toBeGreaterThanOrEqual(0);
      for (const [metric, problem] of PARTS) {
        const isMeasured = sample.metrics[metric] !== undefined;
        const isExplained = (sample.problems ?? []).some((p) => p.startsWith(problem));
        expect(isMeasured || isExplained, `${metric} in ${JSON.stringify(sample)}`).toBe(true);
      }
    }
    expect(samples.at(-1)?.metrics['firmware.up']).toBe(1);

    // A bench unit (login bypassed) with a moving motor: its speed and temperature change from sample to sample.
    fleet.units[0]!.vehicle.state.http.backend.authEnforced = false;
    fleet.units[0]!.vehicle.state.http.backend.motorCycle = { periodMs: 4_000, maxSpeed: 1000 };
    const moving = await eventually('different motor speeds', () => {
      const speeds = new Set(
        samplesOf(streamId)
          .map((s) => s.metrics['backend.motor_speed'])
          .filter((v) => v !== undefined),
      );
      return speeds.size >= 3 && speeds;
    });
    expect(Math.max(...moving)).toBeLessThanOrEqual(1000);

    fleet.units[0]!.vehicle.crashService('firmware');
    await eventually('the firmware down', () => samplesOf(streamId).some((s) => s.metrics['firmware.up'] === 0));
    fleet.units[0]!.vehicle.restartService('firmware');
    await eventually('the firmware back', () => samplesOf(streamId).at(-1)?.metrics['firmware.up'] === 1);
    expect(await core.dispatch('telemetry.stop', { streamId })).toEqual({ ok: true, value: { stopped: true } });
  });

  it('keeps one stream per page apart: two units at once, each batch names its own unit and stream', async () => {
    const first = await start('sim-01');
    const second = await start('sim-02');
    await eventually('samples of both', () => samplesOf(first).length >= 2 && samplesOf(second).length >= 2);
    expect(new Set(batches.filter((b) => b.streamId === first).map((b) => b.unit))).toEqual(new Set(['sim-01']));
    expect(new Set(batches.filter((b) => b.streamId === second).map((b) => b.unit))).toEqual(new Set(['sim-02']));
    await core.dispatch('telemetry.stop', { streamId: first });
    await core.dispatch('telemetry.stop', { streamId: second });
  });

  it('recovers when the unit goes away and comes back on the same address', async () => {
    const streamId = await start('sim-01');
    await eventually('a first sample', () => samplesOf(streamId).length > 0);
    const port = fleet.units[0]!.port;
    await fleet.close();
    const lost = await eventually('a sample saying the connection is gone', () =>
      samplesOf(streamId).find((s) => s.problems?.some((p) => p.startsWith('connection:'))),
    );
    expect(lost.metrics).toEqual({});
    fleet = await startSimFleet({ count: 1, stateDir: join(stateDir, 'sim'), ports: [port] });
    await eventually(
      'samples again',
      () => samplesOf(streamId).some((s) => s.at > lost.at && s.metrics['firmware.up'] === 1),
      30_000,
    );
    await core.dispatch('telemetry.stop', { streamId });
    expect(records.filter((r) => r.level === 'error')).toEqual([]);
  });
});
