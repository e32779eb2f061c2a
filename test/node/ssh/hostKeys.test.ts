import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppError } from '../../../shared/errors/AppError';
import { probeHostKey } from '../../../electron/core/transport/ssh/SshConnection';
import type { PresentedHostKey } from '../../../electron/core/transport/transport';
import { startSshd } from '../../support/sshd/startSshd';
import type { SshdFixture } from '../../support/sshd/startSshd';
import { capturingLogger, connectTo, LABEL, rejectionOf } from './sshTestKit';

/** What sshd logs (LogLevel VERBOSE) once a client has started to authenticate. */
const AUTH_TRACES = /Accepted|Failed|Postponed|userauth|authenticating user|invalid user/i;
/** sshd's last line about a connection that ended before login. */
const PREAUTH_END = /(Connection (closed|reset) by|Disconnected from) 127\.0\.0\.1 port \d+ \[preauth\]/;

let sshd: SshdFixture;

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

/** The part of sshd's log about the single connection made by `act`, once sshd has logged its end. */
async function sshdLogOf(act: () => Promise<unknown>): Promise<string> {
  const since = sshd.log().length;
  await act();
  await sshd.waitForLog(PREAUTH_END, since);
  const slice = sshd.log().slice(since);
  expect(slice.match(/Connection from /g)).toHaveLength(1);
  return slice;
}

describe('host key checking against a real sshd', () => {
  it('accepts a pinned host key and runs commands as the non-root user', async () => {
    const since = sshd.log().length;
    const connection = await connectTo(sshd);
    try {
      const uname = await connection.exec('uname -a', { timeoutMs: 5000 });
      expect(uname.exitCode).toBe(0);
      expect(uname.stdout).toMatch(/^Linux /);
      const id = await connection.exec('id -un', { timeoutMs: 5000 });
      expect(id.stdout.trim()).toBe(sshd.user);
      expect(sshd.user).not.toBe('root');
      expect(connection.description).toBe(`ssh://${sshd.user}@127.0.0.1:${sshd.port}`);
    } finally {
      await connection.close();
    }
    // The positive control for the checks below: a login does leave these traces.
    expect(sshd.log().slice(since)).toMatch(new RegExp(`Accepted publickey for ${sshd.user}`));
  });

  it('refuses an unknown host key and names the fingerprint ssh-keygen -lf prints', async () => {
    const seen: PresentedHostKey[] = [];
    let error: AppError | undefined;
    const log = await sshdLogOf(async () => {
      error = await rejectionOf(
        connectTo(sshd, {
          verify: (key) => {
            seen.push(key);
            return { kind: 'unknown' };
          },
        }),
      );
    });
    expect(seen).toEqual([{ fingerprint: sshd.hostKeyFingerprint, algorithm: 'ssh-ed25519' }]);
    expect(error).toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      details: { fingerprint: sshd.hostKeyFingerprint, algorithm: 'ssh-ed25519' },
    });
    expect(error!.message).toBe(
      `${LABEL}: unknown host key ${sshd.hostKeyFingerprint} (ssh-ed25519). Check it against the vehicle and trust it: ` +
        `ohtw units trust ${LABEL} --fingerprint ${sshd.hostKeyFingerprint}`,
    );
    expect(log).not.toMatch(AUTH_TRACES);
  });

  it('refuses a changed host key before any authentication attempt', async () => {
    const pinned = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    let error: AppError | undefined;
    const log = await sshdLogOf(async () => {
      error = await rejectionOf(
        connectTo(sshd, {
          auth: { kind: 'password', password: sshd.password },
          verify: () => ({ kind: 'mismatch', pinnedFingerprint: pinned }),
        }),
      );
    });
    expect(error).toMatchObject({
      code: 'HOST_KEY_MISMATCH',
      details: { fingerprint: sshd.hostKeyFingerprint, pinnedFingerprint: pinned, algorithm: 'ssh-ed25519' },
    });
    const message = error!.message;
    expect(message).toMatch(new RegExp(`^${LABEL}: host key changed`));
    expect(message).toContain(sshd.hostKeyFingerprint);
    expect(message).toContain(pinned);
    expect(message).toMatch(/no credentials were sent/i);
    expect(message).not.toContain('\n');
    expect(log).not.toMatch(AUTH_TRACES);
  });

  it('probes the host key without sending any credential', async () => {
    const { logger } = capturingLogger();
    let key: PresentedHostKey | undefined;
    const log = await sshdLogOf(async () => {
      key = await probeHostKey({ label: LABEL, host: sshd.host, port: sshd.port }, { logger });
    });
    expect(key).toEqual({ fingerprint: sshd.hostKeyFingerprint, algorithm: sshd.hostKeyAlgorithm });
    expect(log).not.toMatch(AUTH_TRACES);
  });

  it('reports a verifier that throws without connecting', async () => {
    const error = await rejectionOf(
      connectTo(sshd, {
        verify: () => {
          throw new Error('pin store unavailable');
        },
      }),
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(`${LABEL}: the host key check failed (pin store unavailable); no credentials were sent`);
  });
});
