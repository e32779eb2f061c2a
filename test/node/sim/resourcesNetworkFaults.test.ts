import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DiagnosisReport, HealthLevel } from '../../../shared/domain/health';
import { createCore, type Core } from '../../../electron/core/createCore';
import { RUNBOOK } from '../../../electron/core/diagnostics/runbook';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { startSimFleet, type SimFleet, type SimUnitInfo } from '../../../electron/sim/SimServer';

const MINE = [
  'resources.cpu',
  'resources.memory',
  'resources.disk',
  'network.interfaces',
  'network.route',
  'network.center',
  'network.ports',
];

/** The trainer's faults on a simulated unit, diagnosed through the core over SSH as a technician would. */
describe('resource and network faults on a simulated unit', () => {
  let dir: string;
  let fleet: SimFleet;
  let unit: SimUnitInfo;
  let core: Core;

  const diagnose = async (): Promise<DiagnosisReport> => {
    const result = await core.dispatch('diagnostics.run', { names: [unit.name] });
    expect(result.ok).toBe(true);
    return (result as { value: DiagnosisReport[] }).value[0]!;
  };
  const levels = (report: DiagnosisReport): Record<string, HealthLevel> =>
    Object.fromEntries(report.checks.filter((c) => MINE.includes(c.id)).map((c) => [c.id, c.level]));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-sim-faults-'));
    fleet = await startSimFleet({ count: 1, stateDir: join(dir, 'sim') });
    unit = fleet.units[0]!;
    core = await createCore({ dataDir: join(dir, 'data'), face: 'cli', logger: silentLogger, env: {} });
    await core.dispatch('units.add', {
      name: unit.name,
      host: unit.host,
      port: unit.port,
      user: unit.user,
      auth: { kind: 'key', keyPath: unit.clientKeyPath },
    });
    await core.dispatch('units.trust', { name: unit.name, fingerprint: unit.hostKeyFingerprint });
  });

  afterAll(async () => {
    await core?.close();
    await fleet?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is healthy as it starts', async () => {
    const report = await diagnose();
    expect(levels(report)).toEqual(Object.fromEntries(MINE.map((id) => [id, 'OK'])));
    expect(report.checks.find((c) => c.id === 'network.center')?.message).toBe(
      'center server center-server:8080 (192.168.10.5) answers ping in 2.3 ms',
    );
  });

  it('shows a full log partition, a busy CPU, memory pressure, a silent center and a crashed firmware', async () => {
    unit.vehicle.fillLogPartition(93);
    unit.vehicle.setCpuLoad(88);
    unit.vehicle.setMemoryUse(97);
    unit.vehicle.centerUnreachable();
    unit.vehicle.crashService('firmware');
    const report = await diagnose();
    expect(levels(report)).toEqual({
      'resources.cpu': 'WARN',
      'resources.memory': 'ERROR',
      'resources.disk': 'ERROR',
      'network.interfaces': 'OK',
      'network.route': 'OK',
      'network.center': 'ERROR',
      'network.ports': 'ERROR',
    });
    const disk = report.checks.find((c) => c.id === 'resources.disk');
    expect(disk?.children?.find((c) => c.id === 'resources.disk./')).toMatchObject({
      level: 'ERROR',
      message: expect.stringMatching(/^disk 93 % on \/ \(mmcblk0p2\): above the 90 % critical level/),
      runbook: RUNBOOK.highDisk,
    });
    expect(report.checks.find((c) => c.id === 'network.ports')?.message).toBe(
      'nothing listens on :8081: the oht50-firmware API is not answering',
    );
  });

  it('shows a vehicle that lost its network', async () => {
    unit.vehicle.dropNetwork();
    const report = await diagnose();
    expect(levels(report)).toMatchObject({
      'network.interfaces': 'ERROR',
      'network.route': 'WARN',
      'network.center': 'ERROR',
    });
    expect(report.checks.find((c) => c.id === 'network.center')?.message).toBe(
      'center server center-server:8080 cannot be reached: Temporary failure in name resolution',
    );
  });
});
