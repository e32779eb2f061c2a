import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { captureIo } from '../../support/cli/captureIo';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const OHTW = fileURLToPath(new URL('../../../bin/ohtw.js', import.meta.url));

/** A process terminal as a test drives it: keystrokes in, screen out, a window of 90×30. */
function fakeTty() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
  const rawStdin = Object.assign(stdin, { setRawMode: (mode: boolean) => stdin.rawModes.push(mode) });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 90, rows: 30 });
  let screen = '';
  stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
  });
  return { stdin: rawStdin, stdout, screen: () => screen };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ohtw shell and ohtw logs against a real sshd', () => {
  let sshd: SshdFixture;
  let dataDir: string;
  const cli = (argv: string[], io = captureIo()) => runCli([...argv, '--data-dir', dataDir], io);

  beforeAll(async () => {
    sshd = await startSshd();
    dataDir = await mkdtemp(join(tmpdir(), 'ohtw-console-cli-'));
    const add = ['units', 'add', 'unit-cli', '--host', sshd.host, '--port', String(sshd.port), '--user', sshd.user];
    expect(await cli([...add, '--key', sshd.clientKeyPath])).toBe(0);
    expect(await cli(['units', 'trust', 'unit-cli', '--fingerprint', sshd.hostKeyFingerprint])).toBe(0);
    await sshd.appendJournal('oht50-firmware', [
      { message: '[INFO] System state = IDLE', identifier: 'oht50_main' },
      { message: '[WARN] E-Stop input bouncing', identifier: 'oht50_main', priority: 4 },
    ]);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await sshd?.stop();
  });

  it('runs a piped script like ssh does, exits with its status, and records it', async () => {
    const child = spawn(process.execPath, [OHTW, 'shell', 'unit-cli', '--data-dir', dataDir], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stdin.end('echo "piped-$((2 + 3))"\nexit 7\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stdout).toContain('piped-5');
    expect(code).toBe(7);

    const io = captureIo();
    expect(await cli(['audit', 'verify'], io)).toBe(0);
    expect(io.stdout()).toMatch(/1 recording\(s\) and log view\(s\) match their entries/);
  });

  it('passes keystrokes through in raw mode and follows the window size', async () => {
    const tty = fakeTty();
    const io = { ...captureIo(), terminal: { stdin: tty.stdin, stdout: tty.stdout } };
    const running = cli(['shell', 'unit-cli'], io);
    await until(() => /\$ $/m.test(tty.screen()), 'the prompt');
    tty.stdin.write('echo "tty-$((3 * 3))"; tput cols\r');
    await until(() => /tty-9\r\n90\r\n/.test(tty.screen()), 'the answer');
    tty.stdin.write('exit\r');
    expect(await running).toBe(0);
    expect(tty.stdin.rawModes).toEqual([true, false]);
    expect(io.stderr()).toMatch(/Connected to unit-cli; this session is recorded/);
    expect(io.stderr()).toMatch(/Recorded as [0-9a-f-]{36}/);
  });

  it("prints the unit's log, filtered by priority, and follows it until stopped", async () => {
    const io = captureIo();
    expect(await cli(['logs', 'unit-cli', '-p', 'warning'], io)).toBe(0);
    expect(io.stdout()).toMatch(/warning\s+oht50_main\[812\]: \[WARN\] E-Stop input bouncing/);
    expect(io.stdout()).not.toContain('System state = IDLE');

    const follow = captureIo();
    const running = cli(['logs', 'unit-cli', '-u', 'oht50-firmware', '--follow', '-n', '0'], follow);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await sshd.appendJournal('oht50-firmware', [{ message: '[ERROR] RS485 bus timeout', priority: 3 }]);
    await until(() => follow.stdout().includes('RS485 bus timeout'), 'the followed line');
    follow.stop();
    expect(await running).toBe(0);
  });

  it('refuses a priority it does not know, as a usage error', async () => {
    const io = captureIo();
    expect(await cli(['logs', 'unit-cli', '-p', 'loud'], io)).toBe(64);
    expect(io.stderr()).toMatch(/-p takes one of emerg, alert/);
  });
});
