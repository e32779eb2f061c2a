import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_OUTPUT_BYTES } from '../../../electron/core/transport/ssh/outputCollector';
import type { Connection } from '../../../electron/core/transport/transport';
import { startSshd } from '../../support/sshd/startSshd';
import type { SshdFixture } from '../../support/sshd/startSshd';
import { connectTo, LABEL, rejectionOf } from './sshTestKit';

let sshd: SshdFixture;
let connection: Connection;

beforeAll(async () => {
  sshd = await startSshd();
  connection = await connectTo(sshd);
});

afterAll(async () => {
  await connection?.close();
  await sshd?.stop();
});

/**
 * Remote waits for a process of this user to appear or to vanish, polling pgrep for at most 8 s: there is no event
 * to await on the vehicle side. Patterns are bracketed (`slee[p] 37`) so the check does not match itself.
 */
const waitFor = (pattern: string, present: boolean): string =>
  `i=0; while ${present ? '!' : ''} pgrep -u "$(id -u)" -f '${pattern}' >/dev/null; do ` +
  `i=$((i+1)); [ $i -ge 80 ] && exit 1; sleep 0.1; done`;
const WAIT = { timeoutMs: 20_000 };

describe('exec over a real sshd', () => {
  it('returns a non-zero exit with its output instead of throwing', async () => {
    const result = await connection.exec('echo out; echo err >&2; exit 3', { timeoutMs: 5000 });
    expect(result).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a command killed by a signal', async () => {
    const result = await connection.exec('kill -TERM $$', { timeoutMs: 5000 });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
  });

  it('passes stdin to the command', async () => {
    const result = await connection.exec('cat', { timeoutMs: 5000, stdin: 'line one\nline two\n' });
    expect(result.stdout).toBe('line one\nline two\n');
  });

  it('ends stdin when there is none, so a reading command does not hang', async () => {
    const result = await connection.exec('cat; echo eof', { timeoutMs: 5000 });
    expect(result.stdout).toBe('eof\n');
  });

  it('stops a command that outlives its timeout and keeps the connection usable', async () => {
    const error = await rejectionOf(connection.exec('sleep 37; echo finished', { timeoutMs: 300 }));
    expect(error.code).toBe('TRANSPORT_TIMEOUT');
    expect(error.message).toBe(`${LABEL}: "sleep 37; echo finished" did not finish within 0.3 s and was stopped`);
    const next = await connection.exec('echo still here', { timeoutMs: 5000 });
    expect(next.stdout).toBe('still here\n');
    expect((await connection.exec(waitFor('slee[p] 37', false), WAIT)).exitCode).toBe(0);
  });

  it('cancels a running command through its AbortSignal', async () => {
    const controller = new AbortController();
    const running = rejectionOf(connection.exec('sleep 38', { timeoutMs: 30_000, signal: controller.signal }));
    expect((await connection.exec(waitFor('slee[p] 38', true), WAIT)).exitCode).toBe(0);
    controller.abort();
    const error = await running;
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe(`${LABEL}: "sleep 38" was cancelled`);
    expect((await connection.exec(waitFor('slee[p] 38', false), WAIT)).exitCode).toBe(0);
  });

  it('does not start a command whose signal is already aborted', async () => {
    const error = await rejectionOf(connection.exec('echo never', { timeoutMs: 5000, signal: AbortSignal.abort() }));
    expect(error.code).toBe('CANCELLED');
  });

  it('caps collected output and says so', async () => {
    const bytes = MAX_OUTPUT_BYTES + 1024 * 1024;
    const result = await connection.exec(`head -c ${bytes} /dev/zero | tr '\\0' a`, { timeoutMs: 20_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith('a'.repeat(1000))).toBe(true);
    expect(result.stdout).toContain(
      `[output truncated: kept the first ${MAX_OUTPUT_BYTES} bytes, dropped 1048576 more]`,
    );
    expect(result.stdout.length).toBeLessThan(MAX_OUTPUT_BYTES + 200);
  });
});

describe('sudo', () => {
  it('runs a command as root for a user with passwordless sudo', async () => {
    const result = await connection.exec('id -u', { timeoutMs: 5000, sudo: true });
    expect(result).toMatchObject({ exitCode: 0, stdout: '0\n' });
  });

  it('passes a command with quotes through sudo intact', async () => {
    const result = await connection.exec(`printf '%s|%s\\n' "it's" "$(id -un)"`, { timeoutMs: 5000, sudo: true });
    expect(result.stdout).toBe("it's|root\n");
  });

  it('reports a user without passwordless sudo as SUDO_PASSWORD_REQUIRED', async () => {
    const plain = await connectTo(sshd, { user: sshd.noSudoUser });
    try {
      expect((await plain.exec('id -un', { timeoutMs: 5000 })).stdout).toBe(`${sshd.noSudoUser}\n`);
      const error = await rejectionOf(plain.exec('id -u', { timeoutMs: 5000, sudo: true }));
      expect(error.code).toBe('SUDO_PASSWORD_REQUIRED');
      expect(error.message).toBe(
        `${LABEL}: sudo asks user '${sshd.noSudoUser}' for a password; the workstation's root commands need ` +
          'passwordless sudo (NOPASSWD) for that user on the vehicle',
      );
    } finally {
      await plain.close();
    }
  });
});

describe('connection lifecycle', () => {
  it('reports a connection dropped mid-command as a retryable TRANSPORT_CLOSED', async () => {
    const doomed = await connectTo(sshd);
    // $PPID is this session's sshd process: killing it drops the connection as a crashing vehicle would.
    const error = await rejectionOf(doomed.exec('kill -9 $PPID; sleep 5', { timeoutMs: 10_000 }));
    expect(error.code).toBe('TRANSPORT_CLOSED');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^${LABEL}: the SSH connection was lost while "kill -9 \\$PPID; sleep 5" was running`),
    );
    const after = await rejectionOf(doomed.exec('true', { timeoutMs: 5000 }));
    expect(after.code).toBe('TRANSPORT_CLOSED');
    await doomed.close();
  });

  it('closes idempotently, stopping running commands and failing later ones', async () => {
    const closing = await connectTo(sshd);
    const running = rejectionOf(closing.exec('sleep 39', { timeoutMs: 30_000 }));
    expect((await connection.exec(waitFor('slee[p] 39', true), WAIT)).exitCode).toBe(0);
    await Promise.all([closing.close(), closing.close()]);
    await closing.close();
    const during = await running;
    expect(during.code).toBe('TRANSPORT_CLOSED');
    expect(during.retryable).toBe(false);
    const after = await rejectionOf(closing.exec('true', { timeoutMs: 5000 }));
    expect(after).toMatchObject({ code: 'TRANSPORT_CLOSED', message: `${LABEL}: the SSH connection is closed` });
    expect((await connection.exec(waitFor('slee[p] 39', false), WAIT)).exitCode).toBe(0);
  });
});
