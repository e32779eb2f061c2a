import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CheckResult, DiagnosisReport } from '../../../shared/domain/health';
import { createCore, type Core } from '../../../electron/core/createCore';
import { RUNBOOK } from '../../../electron/core/diagnostics/runbook';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

/** Stands in for iputils ping where the container has none: 127.0.0.1 answers, anything else is lost. */
const FAKE_PING = `#!/bin/sh
eval "host=\\\${$#}"
printf 'PING %s (%s) 56(84) bytes of data.\\n' "$host" "$host"
if [ "$host" = 127.0.0.1 ]; then
  printf '64 bytes from %s: icmp_seq=1 ttl=64 time=0.045 ms\\n\\n--- %s ping statistics ---\\n' "$host" "$host"
  printf '1 packets transmitted, 1 received, 0%% packet loss, time 0ms\\nrtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms\\n'
  exit 0
fi
printf '\\n--- %s ping statistics ---\\n1 packets transmitted, 0 received, 100%% packet loss, time 0ms\\n\\n' "$host"
exit 1
`;

function listen(): Promise<Server> {
  const server = createServer((_req, res) => res.end('{}'));
  return new Promise((resolve) => server.listen(0, '0.0.0.0', () => resolve(server)));
}

const portOf = (server: Server): number => (server.address() as { port: number }).port;
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/**
 * The network checks against a real OpenSSH sshd: the container's own ip and ss answer, two real HTTP
 * listeners stand in for the backend and firmware, and the center server comes from a system.yaml in the unit's
 * install folder, pinged in a second batch over the same SSH connection.
 */
describe('network checks against a real sshd', () => {
  let sshd: SshdFixture;
  let dir: string;
  let core: Core;
  let installDir: string;
  let backend: Server;
  let firmware: Server;

  const diagnose = async (): Promise<DiagnosisReport> => {
    const result = await core.dispatch('diagnostics.run', { names: ['bench-n'] });
    expect(result.ok).toBe(true);
    return (result as { value: DiagnosisReport[] }).value[0]!;
  };
  const check = (report: DiagnosisReport, id: string): CheckResult | undefined =>
    report.checks.find((c) => c.id === id);
  const setCenter = (host: string): Promise<void> =>
    writeFile(
      join(installDir, 'config', 'system.yaml'),
      `device:\n  id: bench-n\ncenter:\n  host: ${host}\n  port: 8080\n`,
    );

  beforeAll(async () => {
    sshd = await startSshd();
    dir = await mkdtemp(join(tmpdir(), 'ohtw-network-'));
    installDir = join(sshd.vehicleDir, 'opt-oht50');
    await mkdir(join(installDir, 'config'), { recursive: true });
    await mkdir(join(installDir, 'logs'), { recursive: true });
    await setCenter('127.0.0.1');
    backend = await listen();
    firmware = await listen();
    core = await createCore({ dataDir: join(dir, 'data'), face: 'cli', logger: silentLogger, env: {} });
    const added = await core.dispatch('units.add', {
      name: 'bench-n',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      profile: { installDir, backendPort: portOf(backend), firmwarePort: portOf(firmware) },
    });
    expect(added.ok).toBe(true);
    expect(await core.dispatch('units.trust', { name: 'bench-n', fingerprint: sshd.hostKeyFingerprint })).toMatchObject(
      {
        ok: true,
      },
    );
  });

  afterAll(async () => {
    await core?.close();
    await Promise.all([backend, firmware].filter(Boolean).map((s) => close(s).catch(() => undefined)));
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the interfaces, the default route and both listeners of the machine', async () => {
    const report = await diagnose();
    const hasIpv4 = Object.values(networkInterfaces())
      .flat()
      .some((a) => a && a.family === 'IPv4' && !a.internal);
    expect(check(report, 'network.interfaces')?.level).toBe(hasIpv4 ? 'OK' : 'ERROR');
    expect(check(report, 'network.interfaces')?.evidence).toMatch(/^\$ ip -o link show\n1: lo: <LOOPBACK/);
    const hasDefault = execFileSync('ip', ['route', 'show', 'default'], { encoding: 'utf8' }).trim() !== '';
    expect(check(report, 'network.route')?.level).toBe(hasDefault ? 'OK' : 'WARN');

    const ports = check(report, 'network.ports');
    expect(ports?.level).toBe('OK');
    expect(ports?.children?.map((c) => [c.id, c.level, c.message])).toEqual([
      ['network.ports.backend', 'OK', `oht50-backend listens on :${portOf(backend)} (all addresses)`],
      ['network.ports.firmware', 'OK', `oht50-firmware listens on :${portOf(firmware)} (all addresses)`],
    ]);
    expect(ports?.evidence).toMatch(/^\$ ss -ltn \|\| netstat -tln\n/);
  });

  it('says a missing ping makes the center untestable, then pings the center in a second exec on one connection', async () => {
    const realPing = execFileSync('sh', ['-c', 'command -v ping || true'], { encoding: 'utf8' }).trim() !== '';
    let report = await diagnose();
    let center = check(report, 'network.center');
    if (realPing) {
      expect(center?.level).toBe('OK');
    } else {
      expect(center).toMatchObject({
        level: 'STALE',
        message: expect.stringMatching(
          /^center server 127\.0\.0\.1:8080 \(center\.host\) could not be tested: a tool is missing on the vehicle \(.*ping: not found\)$/,
        ),
      });
    }

    await writeFile(join(sshd.vehicleDir, 'bin', 'ping'), FAKE_PING);
    await chmod(join(sshd.vehicleDir, 'bin', 'ping'), 0o755);
    const since = sshd.log().length;
    report = await diagnose();
    center = check(report, 'network.center');
    expect(center).toMatchObject({ level: 'OK', message: 'center server 127.0.0.1:8080 answers ping in 0.045 ms' });
    expect(center?.evidence).toContain(`$ cat ${installDir}/config/system.yaml\ndevice:`);
    expect(center?.evidence).toContain('$ ping -c 1 -W 1 127.0.0.1\nPING 127.0.0.1');
    await sshd.waitForLog(/Starting session: command[\s\S]*Starting session: command/, since);
    const log = sshd.log().slice(since);
    expect(log.match(/Accepted publickey for /g)).toHaveLength(1);
    // The config is read in the first exec and the host it names pinged in a later one, on that connection.
    expect(log.match(/Starting session: command/g)?.length).toBeGreaterThanOrEqual(2);

    await setCenter('192.0.2.123');
    report = await diagnose();
    expect(check(report, 'network.center')).toMatchObject({
      level: 'ERROR',
      message: 'center server 192.0.2.123:8080 does not answer ping: the vehicle cannot reach its center',
      runbook: RUNBOOK.communication,
    });
  }, 120_000);

  it('is an error naming the firmware when nothing listens on its port', async () => {
    const port = portOf(firmware);
    await close(firmware);
    const report = await diagnose();
    const ports = check(report, 'network.ports');
    expect(ports).toMatchObject({
      level: 'ERROR',
      message: `nothing listens on :${port}: the oht50-firmware API is not answering`,
      runbook: RUNBOOK.apiNotResponding,
    });
    expect(ports?.children?.map((c) => c.level)).toEqual(['OK', 'ERROR']);
  });
});
