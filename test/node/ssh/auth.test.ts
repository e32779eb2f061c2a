import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectSsh } from '../../../electron/core/transport/ssh/SshConnection';
import type { Connection } from '../../../electron/core/transport/transport';
import { generateKey } from '../../support/sshd/keys';
import { freePort } from '../../support/sshd/sshdProcess';
import { startSshd } from '../../support/sshd/startSshd';
import type { SshdFixture } from '../../support/sshd/startSshd';
import { capturingLogger, connectTo, keyAuth, LABEL, rejectionOf } from './sshTestKit';

let sshd: SshdFixture;

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

async function whoAmI(connection: Connection): Promise<string> {
  try {
    return (await connection.exec('id -un', { timeoutMs: 5000 })).stdout.trim();
  } finally {
    await connection.close();
  }
}

describe('authentication against a real sshd', () => {
  it('logs in with the password', async () => {
    const since = sshd.log().length;
    const connection = await connectTo(sshd, { auth: { kind: 'password', password: sshd.password } });
    expect(await whoAmI(connection)).toBe(sshd.user);
    expect(sshd.log().slice(since)).toContain(`Accepted password for ${sshd.user}`);
  });

  it('reports a wrong password as AUTH_FAILED naming the unit and the user', async () => {
    const error = await rejectionOf(connectTo(sshd, { auth: { kind: 'password', password: 'not-the-password' } }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe(`${LABEL}: 127.0.0.1:${sshd.port} refused the password for user '${sshd.user}'`);
    expect(error.retryable).toBe(false);
  });

  it('reports a key the vehicle does not authorize as AUTH_FAILED', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ohtw-stranger-'));
    try {
      await generateKey(join(dir, 'stranger'));
      const error = await rejectionOf(connectTo(sshd, { auth: await keyAuth(join(dir, 'stranger')) }));
      expect(error.code).toBe('AUTH_FAILED');
      expect(error.message).toBe(`${LABEL}: 127.0.0.1:${sshd.port} refused the key for user '${sshd.user}'`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an encrypted key without a passphrase as KEY_FILE', async () => {
    const error = await rejectionOf(connectTo(sshd, { auth: await keyAuth(sshd.encryptedClientKeyPath) }));
    expect(error.code).toBe('KEY_FILE');
    expect(error.message).toBe(`${LABEL}: the private key is encrypted and no passphrase was given`);
  });

  it('refuses an encrypted key with a wrong passphrase as KEY_FILE', async () => {
    const error = await rejectionOf(
      connectTo(sshd, { auth: await keyAuth(sshd.encryptedClientKeyPath, 'wrong passphrase') }),
    );
    expect(error.code).toBe('KEY_FILE');
    expect(error.message).toBe(`${LABEL}: wrong passphrase for the private key`);
  });

  it('logs in with an encrypted key and its passphrase', async () => {
    const auth = await keyAuth(sshd.encryptedClientKeyPath, sshd.clientKeyPassphrase);
    expect(await whoAmI(await connectTo(sshd, { auth }))).toBe(sshd.user);
  });

  it('refuses a file that is no private key as KEY_FILE', async () => {
    const error = await rejectionOf(
      connectTo(sshd, { auth: { kind: 'key', privateKey: Buffer.from('this is not a key\n') } }),
    );
    expect(error.code).toBe('KEY_FILE');
    expect(error.message).toMatch(new RegExp(`^${LABEL}: the private key cannot be read \\(.+\\)$`));
  });

  it('refuses a public key given as the private key as KEY_FILE', async () => {
    const error = await rejectionOf(
      connectTo(sshd, { auth: { kind: 'key', privateKey: await readFile(`${sshd.clientKeyPath}.pub`) } }),
    );
    expect(error.code).toBe('KEY_FILE');
    expect(error.message).toBe(`${LABEL}: the key file holds no private key (is it the .pub file?)`);
  });
});

describe('connection failures', () => {
  it('reports a closed port as a retryable CONNECT_FAILED', async () => {
    const port = await freePort();
    const error = await rejectionOf(connectTo(sshd, { port }));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `${LABEL}: connection refused by 127.0.0.1:${port} (is sshd running and the port right?)`,
    );
  });

  it('reports an unknown host name as CONNECT_FAILED', async () => {
    const error = await rejectionOf(
      connectSsh(
        { label: LABEL, host: 'no-such-unit.invalid', port: 22, username: 'oht' },
        { kind: 'password', password: 'never sent' },
        () => ({ kind: 'unknown' }),
        { logger: capturingLogger().logger, connectTimeoutMs: 5000 },
      ),
    );
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`${LABEL}: unknown host no-such-unit.invalid`);
  });

  it('gives up on a host that never speaks SSH after the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const started = performance.now();
      const error = await rejectionOf(connectTo(sshd, { port, options: { connectTimeoutMs: 300 } }));
      expect(error.code).toBe('CONNECT_FAILED');
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(`${LABEL}: no SSH login on 127.0.0.1:${port} within 0.3 s (connect timeout)`);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
  });
});
