import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import { sweepUnit } from '../../../electron/core/diagnostics/sweep';
import { evaluateGates } from '../../../electron/core/procedures/gates/gates';
import { systemClock } from '../../../electron/core/ports/Clock';
import { buildBatchScript } from '../../../electron/core/transport/batch';
import { telemetryProbes } from '../../../electron/core/telemetry/telemetryProbes';
import type { Connection } from '../../../electron/core/transport/transport';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { connectTo } from '../ssh/sshTestKit';

/**
 * A profile that got past the contract (written into the database by hand, or by an older build) must still be
 * harmless: every command built from it is sent to a real sshd, and the file its values try to create never appears.
 */
describe('hostile profile values against a real sshd', () => {
  let sshd: SshdFixture;
  let connection: Connection;
  let markDir: string;
  let unit: Unit;

  beforeAll(async () => {
    sshd = await startSshd();
    connection = await connectTo(sshd);
    markDir = await mkdtemp(join(tmpdir(), 'ohtw-injected-'));
    // Writable by the vehicle's login user: if a value became syntax, its touch would succeed.
    await chmod(markDir, 0o1777);
    const touch = (n: number) => `;touch ${markDir}/INJECTED-${n};#`;
    unit = {
      name: 'unit-7',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      profile: {
        ...DEFAULT_VEHICLE_PROFILE,
        backendService: `x${touch(1)}`,
        firmwareService: `y$(touch ${markDir}/INJECTED-2)`,
        installDir: `/opt/oht50${touch(3)}`,
        estopGpioPath: `/sys/class/gpio/gpio59/value\`touch ${markDir}/INJECTED-4\``,
        variant: 'custom',
        detected: true,
      },
      hostKey: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      lastLevel: null,
      lastRunAt: null,
    };
  });
  afterAll(async () => {
    await connection?.close();
    await sshd?.stop();
    await rm(markDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    expect(await readdir(markDir)).toEqual([]);
  });

  it('would notice an injection: the same value pasted into shell text does create the file', async () => {
    await connection.exec(`systemctl is-active ${unit.profile.backendService}`, { timeoutMs: 10_000 });
    expect(await readdir(markDir)).toEqual(['INJECTED-1']);
    await rm(join(markDir, 'INJECTED-1'));
  });

  it('a whole diagnosis sweep runs every probe and creates nothing', async () => {
    const { checks } = await sweepUnit(unit, connection, { thresholds: DEFAULT_THRESHOLDS, clock: systemClock });
    expect(checks.length).toBeGreaterThan(10);
    expect(await readdir(markDir)).toEqual([]);
  });

  it('the live gates and the telemetry probes create nothing either', async () => {
    const gates = await evaluateGates(['estop.released', 'vehicle.stopped', 'firmware.stopped', 'backend.stopped'], {
      unit,
      channel: connection,
      clock: systemClock,
    });
    expect(gates).toHaveLength(4);
    await connection.exec(buildBatchScript(telemetryProbes(unit.profile)), { timeoutMs: 20_000 });
    expect(await readdir(markDir)).toEqual([]);
  });
});
