import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import ssh2, { type ParsedKey } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimFleet, type SimFleet, type SimUnitInfo } from '../../../electron/sim/SimServer';
import { closed, connect, exec } from './sshHelpers';

const run = promisify(execFile);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ohtw-sim-'));
}

function keyAuth(unit: SimUnitInfo, privateKey: string | Buffer): ssh2.ConnectConfig {
  return { host: unit.host, port: unit.port, username: unit.user, privateKey };
}

function parse(key: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) {
    throw parsed;
  }
  return parsed;
}

/** Offers the fleet's public key but signs with another key: a server that skips the signature check lets it in. */
class ForgingAgent extends ssh2.BaseAgent<ParsedKey> {
  constructor(
    private readonly offered: ParsedKey,
    private readonly signer: ParsedKey,
  ) {
    super();
  }

  getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    cb(undefined, [this.offered]);
  }

  sign(_key: ParsedKey, data: Buffer, ...rest: unknown[]): void {
    const cb = rest[rest.length - 1] as (err: Error | undefined, signature?: Buffer) => void;
    cb(undefined, this.signer.sign(data));
  }
}

function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) {
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe('simulated fleet over SSH', () => {
  let stateDir: string;
  let fleet: SimFleet;
  let clientKey: string;
  let runbook: SimUnitInfo;
  let newer: SimUnitInfo;

  beforeAll(async () => {
    stateDir = await tempDir();
    fleet = await startSimFleet({ count: 2, stateDir, variants: ['runbook', 'newer'] });
    clientKey = await readFile(join(stateDir, 'client_ed25519'), 'utf8');
    [runbook, newer] = fleet.units as [SimUnitInfo, SimUnitInfo];
  });

  afterAll(async () => {
    await fleet.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('names the units and presents each one its own host key, persisted in the state folder', async () => {
    expect(fleet.units.map((u) => [u.name, u.host, u.user, u.hostKeyAlgorithm])).toEqual([
      ['sim-01', '127.0.0.1', 'oht', 'ssh-ed25519'],
      ['sim-02', '127.0.0.1', 'oht', 'ssh-ed25519'],
    ]);
    expect(runbook.hostKeyFingerprint).not.toBe(newer.hostKeyFingerprint);
    for (const unit of fleet.units) {
      const { client, presentedFingerprint } = await connect(keyAuth(unit, clientKey));
      client.end();
      expect(presentedFingerprint).toBe(unit.hostKeyFingerprint);
      const { stdout } = await run('ssh-keygen', ['-l', '-f', join(stateDir, unit.name, 'host_ed25519')]);
      expect(stdout.split(' ')[1]).toBe(unit.hostKeyFingerprint);
    }
  });

  it('keeps its secrets readable by the owner only', async () => {
    for (const file of ['client_ed25519', 'password', 'sim-01/host_ed25519', 'sim-02/host_ed25519']) {
      expect(((await stat(join(stateDir, file))).mode & 0o777).toString(8)).toBe('600');
    }
    expect(runbook.clientKeyPath).toBe(join(stateDir, 'client_ed25519'));
    expect((await readFile(join(stateDir, 'password'), 'utf8')).trim()).toBe(runbook.password);
    expect(await readFile(join(stateDir, 'client_ed25519.pub'), 'utf8')).toMatch(/^ssh-ed25519 AAAA/);
  });

  it('lets the fleet client key and the fleet password in', async () => {
    const byKey = await connect(keyAuth(runbook, clientKey));
    expect(await exec(byKey.client, 'id -un')).toEqual({ stdout: 'oht\n', stderr: '', code: 0 });
    byKey.client.end();
    const byPassword = await connect({
      host: runbook.host,
      port: runbook.port,
      username: runbook.user,
      password: runbook.password,
    });
    expect((await exec(byPassword.client, 'hostname')).stdout).toBe('sim-01\n');
    byPassword.client.end();
  });

  it('refuses a wrong password, an unknown key, a forged signature and any other user', async () => {
    const base = { host: runbook.host, port: runbook.port };
    const stranger = ssh2.utils.generateKeyPairSync('ed25519').private;
    const attempts: ssh2.ConnectConfig[] = [
      { ...base, username: 'oht', password: `${runbook.password}x` },
      { ...base, username: 'oht', privateKey: stranger },
      { ...base, username: 'oht', agent: new ForgingAgent(parse(clientKey), parse(stranger)) },
      { ...base, username: 'root', privateKey: clientKey },
      { ...base, username: 'root', password: runbook.password },
    ];
    for (const attempt of attempts) {
      await expect(connect(attempt)).rejects.toMatchObject({ level: 'client-authentication' });
    }
  });

  it('answers exec from the live vehicle, so an injected crash shows at once', async () => {
    const { client } = await connect(keyAuth(runbook, clientKey));
    const ask = 'systemctl show -p ActiveState oht50-firmware';
    expect(await exec(client, ask)).toEqual({ stdout: 'ActiveState=active\n', stderr: '', code: 0 });
    runbook.vehicle.crashService('firmware');
    expect(await exec(client, ask)).toEqual({ stdout: 'ActiveState=failed\n', stderr: '', code: 0 });
    expect(await exec(client, 'sudo -n systemctl restart oht50-firmware')).toMatchObject({ code: 0 });
    expect((await exec(client, ask)).stdout).toBe('ActiveState=active\n');
    client.end();
  });

  it('keeps stderr apart and passes the exit status on', async () => {
    const { client } = await connect(keyAuth(newer, clientKey));
    expect(await exec(client, 'nosuch-tool')).toEqual({
      stdout: '',
      stderr: 'sh: 1: nosuch-tool: not found\n',
      code: 127,
    });
    expect(await exec(client, 'systemctl is-active oht50-firmware')).toEqual({
      stdout: 'inactive\n',
      stderr: '',
      code: 3,
    });
    client.end();
  });

  it('runs a shell without a terminal as a script, serves its files over SFTP, and refuses port forwarding', async () => {
    const { client } = await connect(keyAuth(runbook, clientKey));
    const shell = await new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
      client.shell(false, (error, stream) => {
        if (error) {
          reject(error);
          return;
        }
        let stdout = '';
        let code: number | null = null;
        stream.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        stream.on('exit', (exitCode: number | null) => {
          code = exitCode;
        });
        stream.on('close', () => resolve({ stdout, code }));
        stream.end('cat /opt/oht50/VERSION\nexit 4\n');
      });
    });
    expect(shell).toEqual({ stdout: '1.0.0\n', code: 4 });
    const names = await new Promise<string[]>((resolve, reject) =>
      client.sftp((error, sftp) => {
        if (error) {
          reject(error);
          return;
        }
        sftp.readdir('/opt/oht50', (listError, list) =>
          listError ? reject(listError) : resolve(list.map((entry) => entry.filename)),
        );
      }),
    );
    expect(names).toEqual(expect.arrayContaining(['VERSION', 'config', 'backend']));
    await expect(
      new Promise((resolve, reject) =>
        client.forwardOut('127.0.0.1', 0, '127.0.0.1', 8000, (error, stream) =>
          error ? reject(error) : resolve(stream),
        ),
      ),
    ).rejects.toThrow();
    expect((await exec(client, 'true')).code).toBe(0);
    client.end();
  });

  it('answers no sooner than vehicle.latencyMs', async () => {
    const { client } = await connect(keyAuth(runbook, clientKey));
    runbook.vehicle.latencyMs = 300;
    try {
      const started = Date.now();
      expect((await exec(client, 'true')).code).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      runbook.vehicle.latencyMs = 0;
      client.end();
    }
  });

  it('keeps serving after a client resets its connection mid-handshake', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = tcpConnect(runbook.port, '127.0.0.1', () => {
        socket.write('SSH-2.0-reset-test\r\n', () => {
          socket.resetAndDestroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { client } = await connect(keyAuth(runbook, clientKey));
    expect((await exec(client, 'echo still-here')).stdout).toBe('still-here\n');
    client.end();
  });

  it.runIf(existsSync('/usr/bin/ssh'))('answers the OpenSSH client', async () => {
    const { stdout } = await run('ssh', [
      '-F',
      '/dev/null',
      '-i',
      runbook.clientKeyPath,
      '-p',
      String(runbook.port),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'LogLevel=ERROR',
      'oht@127.0.0.1',
      'systemctl is-active oht50-backend',
    ]);
    expect(stdout).toBe('active\n');
  });
});

describe('simulated fleet lifecycle', () => {
  it('keeps fingerprints, client key and password when restarted on the same state folder', async () => {
    const stateDir = await tempDir();
    try {
      const first = await startSimFleet({ count: 2, stateDir });
      const before = first.units.map((u) => [u.name, u.hostKeyFingerprint, u.password]);
      const clientKey = await readFile(first.units[0]!.clientKeyPath, 'utf8');
      await first.close();

      const second = await startSimFleet({ count: 2, stateDir });
      expect(second.units.map((u) => [u.name, u.hostKeyFingerprint, u.password])).toEqual(before);
      expect(await readFile(second.units[0]!.clientKeyPath, 'utf8')).toBe(clientKey);
      const { client, presentedFingerprint } = await connect(keyAuth(second.units[1]!, clientKey));
      expect(presentedFingerprint).toBe(before[1]![1]);
      client.end();
      await second.close();
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('uses a given password and name prefix instead of its defaults', async () => {
    const stateDir = await tempDir();
    try {
      const fleet = await startSimFleet({
        count: 1,
        stateDir,
        namePrefix: 'trainer-',
        password: 'pw',
        user: 'orangepi',
      });
      const unit = fleet.units[0]!;
      expect([unit.name, unit.user, unit.password]).toEqual(['trainer-01', 'orangepi', 'pw']);
      expect(existsSync(join(stateDir, 'password'))).toBe(false);
      const { client } = await connect({ host: unit.host, port: unit.port, username: 'orangepi', password: 'pw' });
      expect((await exec(client, 'whoami')).stdout).toBe('orangepi\n');
      client.end();
      await fleet.close();
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('close() ends client connections, frees the ports and leaves no open handles', async () => {
    const stateDir = await tempDir();
    try {
      const baseline = activeHandles();
      const fleet = await startSimFleet({ count: 2, stateDir });
      const unit = fleet.units[0]!;
      const clientKey = await readFile(unit.clientKeyPath, 'utf8');
      const { client } = await connect(keyAuth(unit, clientKey));
      unit.vehicle.latencyMs = 10_000; // an answer still pending when the fleet closes
      client.exec('true', () => undefined);
      const clientGone = closed(client);

      await fleet.close();
      await clientGone;
      const after = activeHandles();
      for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout']) {
        expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(baseline[kind] ?? 0);
      }
      await fleet.close(); // a second close is harmless

      await expect(
        new Promise((resolve, reject) => {
          const socket = tcpConnect(unit.port, '127.0.0.1', () => resolve(socket));
          socket.on('error', reject);
        }),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('fails to start on a taken port and closes the units it had started', async () => {
    const stateDir = await tempDir();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const before = activeHandles();
      await expect(startSimFleet({ count: 2, stateDir, ports: [0, taken] })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
      expect(activeHandles().TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
