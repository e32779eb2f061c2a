import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { CheckResult } from '../../../shared/domain/health';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import { sweepUnit, type SweepOptions } from '../../../electron/core/diagnostics/sweep';
import { systemClock } from '../../../electron/core/ports/Clock';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { connectSsh } from '../../../electron/core/transport/ssh/SshConnection';
import type { Connection } from '../../../electron/core/transport/transport';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../../support/fakeVehicleHttp/fakeVehicleHttp';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };

/** Stands in for iputils ping where the container has none: 127.0.0.1 answers, anything else is lost. */
const FAKE_PING = `#!/bin/sh
eval "host=\\\${$#}"
printf 'PING %s (%s) 56(84) bytes of data.\\n' "$host" "$host"
printf '64 bytes from %s: icmp_seq=1 ttl=64 time=0.045 ms\\n\\n--- %s ping statistics ---\\n' "$host" "$host"
printf '1 packets transmitted, 1 received, 0%% packet loss, time 0ms\\nrtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms\\n'
`;

/**
 * Readings of the moment (CPU and memory use, response times, the clock's offset, the disk the other tests write
 * to, the firmware's own timestamps) differ between two sweeps of one vehicle: the checks that report them must
 * have the same level and send the same commands; every other check must say exactly the same, with the same
 * evidence but for its numbers (times, timestamps and durations printed by the vehicle).
 */
const LIVE = /^(resources\.|api\.|rs485\.|clock)/;
const numbers = (text: string): string => text.replace(/\d+(\.\d+)?/g, '#');
/** Limits far from anything this shared machine shows, so that its load cannot flip a level between two sweeps. */
const CALM: Thresholds = {
  ...DEFAULT_THRESHOLDS,
  cpuPercent: { warning: 1000, critical: 1000 },
  memoryPercent: { warning: 1000, critical: 1000 },
  diskPercent: { warning: 1000, critical: 1000 },
  responseTimeMs: { warning: 60_000, critical: 60_000 },
};

type Flat = { id: string; level: string; message: string; evidence: string; runbook?: string | undefined };

function flatten(checks: readonly CheckResult[]): Flat[] {
  return checks.flatMap((c) => {
    const own: Flat = {
      id: c.id,
      level: c.level,
      message: c.message,
      evidence: numbers(c.evidence),
      runbook: c.runbook,
    };
    if (LIVE.test(c.id)) {
      const commands = c.evidence.split('\n').filter((line) => line.startsWith('$ '));
      Object.assign(own, { message: '(a reading of the moment)', evidence: commands.join('\n') });
    }
    return [own, ...flatten(c.children ?? [])];
  });
}

describe('the parallel sweep against a real sshd', () => {
  let sshd: SshdFixture;
  let http: FakeVehicleHttp;
  let connection: Connection;
  let unit: Unit;
  const bin = (): string => join(sshd.vehicleDir, 'bin');
  const sweep = async (options: Partial<SweepOptions> = {}): Promise<CheckResult[]> =>
    (await sweepUnit(unit, connection, { thresholds: CALM, clock: systemClock, ...options })).checks;

  beforeAll(async () => {
    sshd = await startSshd();
    http = await startFakeVehicleHttp();
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    await sshd.setEstopPin('1');
    await sshd.createDatabase();
    await mkdir(join(sshd.installDir, 'config'), { recursive: true });
    await mkdir(join(sshd.installDir, 'logs'), { recursive: true });
    await writeFile(join(sshd.installDir, 'config', 'system.yaml'), 'center:\n  host: 127.0.0.1\n  port: 8080\n');
    await writeFile(join(bin(), 'ping'), FAKE_PING, { mode: 0o755 });
    const now = Date.now();
    await sshd.appendJournal('oht50-backend', [
      { message: 'Application startup complete.', atMs: now - 60_000 },
      { message: 'ERROR: database is locked', priority: 3, atMs: now - 30_000 },
    ]);
    unit = {
      name: 'bench-p',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      profile: {
        ...DEFAULT_VEHICLE_PROFILE,
        variant: 'custom',
        installDir: sshd.installDir,
        estopGpioPath: sshd.estopGpioPath,
        backendPort: http.backendPort,
        firmwarePort: http.firmwarePort,
      },
      hostKey: null,
      createdAt: new Date(now).toISOString(),
      lastLevel: null,
      lastRunAt: null,
    };
    connection = await connectSsh(
      { label: unit.name, host: sshd.host, port: sshd.port, username: sshd.user },
      { kind: 'key', privateKey: await readFile(sshd.clientKeyPath) },
      (key) => (key.fingerprint === sshd.hostKeyFingerprint ? { kind: 'accept' } : { kind: 'unknown' }),
      { logger: silentLogger },
    );
  });
  afterEach(async () => {
    await sshd.restoreTool('ss');
    await sshd.restoreTool('sqlite3');
  });
  afterAll(async () => {
    await connection?.close();
    await http?.close();
    await sshd?.stop();
  });

  it("gives the serial sweep's results on the same vehicle", async () => {
    const serial = flatten(await sweep({ mode: 'serial' }));
    const parallel = flatten(await sweep({ mode: 'parallel' }));
    expect(parallel).toEqual(serial);
    // The vehicle was really looked at, follow-up round included: not a sweep of STALE checks agreeing.
    expect(serial.filter((c) => c.level === 'STALE').map((c) => c.id)).toEqual([]);
    expect(serial.find((c) => c.id === 'network.center')?.message).toContain('answers ping');
    expect(serial.find((c) => c.id === 'logs.backend')?.level).toBe('WARN');
  });

  it('returns every other check when one probe hangs, the hung one STALE with its time limit', async () => {
    const normal = flatten(await sweep());
    // `ss` hangs until its limit (3 s) ends it. The database probe, last in the batch, notes whether it ran while
    // `ss` was still hanging: it can only have done so if the probes run at the same time.
    const notes = join(sshd.vehicleDir, 'notes');
    await mkdir(notes, { recursive: true });
    await chmod(notes, 0o777);
    const met = join(notes, 'met-while-hanging');
    const hanging = join(notes, 'ss-hanging');
    await rm(met, { force: true });
    await writeFile(
      join(bin(), 'ss'),
      `#!/bin/sh\ntouch ${hanging}\ntrap 'rm -f ${hanging}; exit 143' TERM\nsleep 30 & wait\n`,
      { mode: 0o755 },
    );
    await writeFile(
      join(bin(), 'sqlite3'),
      `#!/bin/sh\ni=0\nwhile [ $i -lt 40 ]; do\n  if [ -e ${hanging} ]; then touch ${met}; break; fi\n  sleep 0.05; i=$((i+1))\ndone\nexec /usr/bin/sqlite3 "$@"\n`,
      { mode: 0o755 },
    );
    await chmod(join(bin(), 'ss'), 0o755);
    await chmod(join(bin(), 'sqlite3'), 0o755);

    const checks = flatten(await sweep());
    expect(existsSync(met)).toBe(true);
    expect(checks.find((c) => c.id === 'network.ports')).toMatchObject({
      level: 'STALE',
      message: expect.stringContaining('timed out on the vehicle after 3 s'),
    });
    const levels = (list: Flat[]): [string, string][] =>
      list.filter((c) => !c.id.startsWith('network.ports')).map((c) => [c.id, c.level]);
    expect(levels(checks)).toEqual(levels(normal));
  });
});
