import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { EventPayload } from '../../../shared/ipc/contract';
import { runCli } from '../../../electron/cli/main';
import { createCore, type Core } from '../../../electron/core/createCore';
import { createCapturingLogger, type CapturedRecord } from '../../support/fakes/captureLogger';
import { captureIo } from '../../support/cli/captureIo';
import { freePort } from '../../support/sshd/sshdProcess';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { eventually, startFakeBackend, startTcpProxy, type FakeBackend, type TcpProxy } from './liveHelpers';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };

/**
 * Telemetry against a real OpenSSH sshd: the container's own /proc and df answer, curl reaches a tiny fake
 * backend, the fake systemctl answers is-active, and a TCP relay in front of sshd lets the test cut the link.
 */
describe('live telemetry against a real sshd', () => {
  let sshd: SshdFixture;
  let backend: FakeBackend;
  let proxy: TcpProxy;
  let dataDir: string;
  let core: Core;
  let records: CapturedRecord[];
  const batches: EventPayload<'telemetry.samples'>[] = [];
  const samplesOf = (streamId: string): TelemetrySample[] =>
    batches.filter((b) => b.streamId === streamId).flatMap((b) => b.samples);

  const addUnit = async (name: string, port: number): Promise<void> => {
    const added = await core.dispatch('units.add', {
      name,
      host: '127.0.0.1',
      port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      profile: { backendPort: backend.port, installDir: dataDir },
    });
    expect(added).toMatchObject({ ok: true, value: { profile: { variant: 'custom', backendPort: backend.port } } });
    const trusted = await core.dispatch('units.trust', { name, fingerprint: sshd.hostKeyFingerprint });
    expect(trusted).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    sshd = await startSshd();
    await sshd.setService('oht50-firmware', RUNNING);
    backend = await startFakeBackend();
    proxy = await startTcpProxy(sshd.port);
    dataDir = await mkdtemp(join(tmpdir(), 'ohtw-telemetry-'));
    const captured = createCapturingLogger();
    records = captured.records;
    core = await createCore({ dataDir: join(dataDir, 'core'), face: 'cli', logger: captured.logger, env: {} });
    core.events.subscribe((event) => {
      if (event.name === 'telemetry.samples') {
        batches.push(event.payload as EventPayload<'telemetry.samples'>);
      }
    });
    await addUnit('bench-1', proxy.port);
  });

  afterAll(async () => {
    await core?.close();
    await proxy?.close();
    await backend?.close();
    await sshd?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads CPU, memory and disk of the host, the backend’s motor values and the firmware state', async () => {
    const started = await core.dispatch('telemetry.start', { name: 'bench-1', intervalMs: 500 });
    expect(started.ok).toBe(true);
    const { streamId } = (started as { value: { streamId: string } }).value;
    const samples = await eventually('three full samples', () => {
      const full = samplesOf(streamId).filter((s) => s.metrics['cpu.percent'] !== undefined);
      return full.length >= 3 && full;
    });
    const expectedDisk = Number(
      /(\d+)%/.exec(execFileSync('df', ['-P', '-k', dataDir], { encoding: 'utf8' }).split('\n')[1] ?? '')?.[1],
    );
    for (const sample of samples) {
      expect(sample.problems).toBeUndefined();
      expect(sample.metrics['cpu.percent']).toBeGreaterThanOrEqual(0);
      expect(sample.metrics['cpu.percent']).toBeLessThanOrEqual(100);
      expect(sample.metrics['memory.percent']).toBeGreaterThan(0);
      expect(sample.metrics['memory.percent']).toBeLessThan(100);
      expect(Math.abs((sample.metrics['disk.percent'] ?? -10) - expectedDisk)).toBeLessThanOrEqual(1);
      expect(sample.metrics['backend.motor_speed']).toBeGreaterThanOrEqual(1000);
      expect(sample.metrics['backend.motor_temperature']).toBe(42.5);
      expect(sample.metrics['firmware.up']).toBe(1);
      expect(sample.metrics['sample.latencyMs']).toBeGreaterThan(0);
    }
    // Consecutive samples are about the interval apart, and batches carried them without loss.
    const times = samples.map((s) => s.at);
    expect(times.every((t, i) => i === 0 || t - times[i - 1]! >= 400)).toBe(true);
    expect(batches.every((b) => b.dropped === 0)).toBe(true);

    await sshd.setService('oht50-firmware', { ...RUNNING, ActiveState: 'failed', SubState: 'failed' });
    backend.mode = 'html';
    const degraded = await eventually('the firmware down and the backend wrong', () =>
      samplesOf(streamId).find((s) => s.metrics['firmware.up'] === 0 && s.problems?.length),
    );
    expect(degraded.problems).toEqual([
      `backend API :${backend.port}: /api/v1/telemetry/current did not answer JSON (<html>502 Bad Gateway</html>)`,
    ]);
    expect(degraded.metrics['cpu.percent']).toBeDefined();
    await sshd.setService('oht50-firmware', RUNNING);
    backend.mode = 'ok';

    expect(await core.dispatch('telemetry.stop', { streamId })).toEqual({ ok: true, value: { stopped: true } });
    await eventually('the SSH connection closed', () => proxy.open() === 0);
    const history = await core.dispatch('telemetry.history', { name: 'bench-1', maxPoints: 500 });
    expect(history.ok).toBe(true);
    const stored = (history as { value: { samples: TelemetrySample[] } }).value.samples;
    expect(stored.length).toBeGreaterThanOrEqual(samples.length);
  });

  it('recovers from a lost connection: problems while it is down, samples again after reconnecting', async () => {
    const started = await core.dispatch('telemetry.start', { name: 'bench-1', intervalMs: 500 });
    const { streamId } = (started as { value: { streamId: string } }).value;
    await eventually('a first sample', () => samplesOf(streamId).some((s) => s.metrics['memory.percent']));
    const acceptedBefore = proxy.accepted;

    proxy.dropAll();
    const lost = await eventually('a sample saying the connection was lost', () =>
      samplesOf(streamId).find((s) => s.problems?.some((p) => p.startsWith('connection:'))),
    );
    expect(lost.metrics).toEqual({});
    expect(lost.problems?.[0]).toMatch(/connection was lost|connection is closed/);

    const lostAt = lost.at;
    await eventually('samples again after reconnecting', () =>
      samplesOf(streamId).some((s) => s.at > lostAt && s.metrics['memory.percent'] !== undefined),
    );
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
    expect(proxy.open()).toBe(1);
    await core.dispatch('telemetry.stop', { streamId });
    await eventually('the SSH connection closed', () => proxy.open() === 0);
    expect(records.filter((r) => r.level === 'error')).toEqual([]);
  });

  describe('ohtw telemetry', () => {
    let cliDir: string;
    const cli = (io: ReturnType<typeof captureIo>, ...argv: string[]): Promise<number> =>
      runCli([...argv, '--data-dir', cliDir], io);

    beforeAll(async () => {
      cliDir = await mkdtemp(join(tmpdir(), 'ohtw-telemetry-cli-'));
      const io = captureIo();
      const add = (name: string, port: number): Promise<number> =>
        cli(
          io,
          'units',
          'add',
          name,
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--user',
          sshd.user,
          '--key',
          sshd.clientKeyPath,
        );
      expect(await add('bench-2', sshd.port)).toBe(0);
      expect(await cli(io, 'units', 'trust', 'bench-2', '--fingerprint', sshd.hostKeyFingerprint)).toBe(0);
      expect(await add('nowhere', await freePort())).toBe(0);
    });
    afterAll(async () => {
      await rm(cliDir, { recursive: true, force: true });
    });

    it('prints one line per sample until stopped', async () => {
      const io = captureIo();
      const running = cli(io, 'telemetry', 'bench-2', '--interval', '0.5');
      const lines = await eventually('three sample lines', () => {
        const found = io
          .stdout()
          .split('\n')
          .filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}cpu/.test(line));
        return found.length >= 3 && found;
      });
      io.stop();
      expect(await running).toBe(0);
      expect(io.stdout().split('\n')[0]).toBe('Live telemetry of bench-2 every 0.5 s. Press Ctrl-C to stop.');
      // The default profile's /opt/oht50 and :8000 do not exist on this host: disk and motor are "—" with reasons.
      expect(lines[2]).toMatch(
        /cpu +\d+\.\d % {2}mem +\d+\.\d % {2}disk +— % {2}motor +— @ +— °C {2}firmware up +\d+ ms$/,
      );
      expect(io.stdout()).toContain('  ! disk (df /opt/oht50): exit 1');
      expect(
        io
          .stdout()
          .split('\n')
          .filter((line) => line.includes('! disk')),
      ).toHaveLength(1);
    });

    it('prints JSON lines with --json', async () => {
      const io = captureIo();
      const running = cli(io, 'telemetry', 'bench-2', '--interval', '0.5', '--json');
      const lines = await eventually('two JSON lines', () => {
        const found = io.stdout().trim().split('\n').filter(Boolean);
        return found.length >= 2 && found;
      });
      io.stop();
      expect(await running).toBe(0);
      for (const line of lines) {
        expect(JSON.parse(line)).toMatchObject({
          unit: 'bench-2',
          at: expect.any(Number),
          metrics: expect.any(Object),
        });
      }
      expect(JSON.parse(lines[1]!).metrics['cpu.percent']).toEqual(expect.any(Number));
    });

    it('says in one line why an unreachable unit cannot be watched, and exits non-zero', async () => {
      const io = captureIo();
      expect(await cli(io, 'telemetry', 'nowhere')).toBe(1);
      expect(io.stdout()).toBe('');
      expect(io.stderr()).toMatch(/^ohtw: nowhere: .*\n$/);
      expect(io.stderr().trim().split('\n')).toHaveLength(1);
    });

    it('refuses a bad interval or a missing name as usage errors', async () => {
      const io = captureIo();
      expect(await cli(io, 'telemetry', 'bench-2', '--interval', '0.1')).toBe(64);
      expect(io.stderr()).toContain('--interval must be seconds from 0.5 to 600, not "0.1"');
      expect(await cli(io, 'telemetry')).toBe(64);
    });
  });
});
