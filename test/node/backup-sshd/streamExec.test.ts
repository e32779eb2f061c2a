import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hasStreamExec, type StreamChannel } from '../../../electron/core/transport/transport';
import type { Connection } from '../../../electron/core/transport/transport';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { connectTo, LABEL, rejectionOf } from '../ssh/sshTestKit';

let sshd: SshdFixture;
let connection: Connection & StreamChannel;
let noSudo: Connection & StreamChannel;

const streaming = (c: Connection): Connection & StreamChannel => {
  if (!hasStreamExec(c)) {
    throw new Error('the SSH connection does not stream');
  }
  return c;
};

beforeAll(async () => {
  sshd = await startSshd();
  connection = streaming(await connectTo(sshd));
  noSudo = streaming(await connectTo(sshd, { user: sshd.noSudoUser }));
});

afterAll(async () => {
  await connection?.close();
  await noSudo?.close();
  await sshd?.stop();
});

async function sha256Of(stream: Readable): Promise<{ hex: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hex: hash.digest('hex'), bytes };
}

describe('streaming exec over a real sshd', () => {
  it('streams binary stdout intact and reports the exit code', async () => {
    // 8 MiB of every byte value, far beyond one SSH window.
    const command =
      'head -c 8388608 /dev/urandom | tee /tmp/ohtw-stream-$$ ; sha256sum /tmp/ohtw-stream-$$ >&2; rm -f /tmp/ohtw-stream-$$; exit 4';
    const run = connection.execStream(command, { idleTimeoutMs: 10_000 });
    const [{ hex, bytes }, end] = await Promise.all([sha256Of(run.stdout), run.done]);
    expect(bytes).toBe(8 * 1024 * 1024);
    expect(end.exitCode).toBe(4);
    expect(end.stderr.split(' ')[0]).toBe(hex);
  });

  it('holds the vehicle back while the reader does not read', async () => {
    const marker = `/tmp/ohtw-held-${process.pid}`;
    const run = connection.execStream(`rm -f ${marker}; head -c 33554432 /dev/zero; touch ${marker}`, {
      idleTimeoutMs: 1000,
    });
    // Nobody reads for 1.5 s: 32 MiB cannot all have left the vehicle, and the idle limit must not fire.
    await sleep(1500);
    const early = await connection.exec(`test -e ${marker} && echo written || echo held`, { timeoutMs: 5000 });
    expect(early.stdout).toBe('held\n');
    const { bytes } = await sha256Of(run.stdout);
    expect(bytes).toBe(32 * 1024 * 1024);
    expect((await run.done).exitCode).toBe(0);
    const late = await connection.exec(`test -e ${marker} && echo written; rm -f ${marker}`, { timeoutMs: 5000 });
    expect(late.stdout).toBe('written\n');
  });

  it('writes stdin with backpressure and reads it back', async () => {
    const data = Buffer.alloc(6 * 1024 * 1024, 7);
    data.write('the start', 0);
    const run = connection.execStream('sha256sum', { idleTimeoutMs: 10_000, stdin: 'pipe' });
    const chunks: Buffer[] = [];
    run.stdout.on('data', (c: Buffer) => chunks.push(c));
    await pipeline(Readable.from([data.subarray(0, 3_000_000), data.subarray(3_000_000)]), run.stdin);
    const end = await run.done;
    expect(end.exitCode).toBe(0);
    expect(Buffer.concat(chunks).toString().split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('runs through sudo -n, and says so when sudo wants a password', async () => {
    const run = connection.execStream('id -u', { idleTimeoutMs: 5000, sudo: true });
    const text = await new Promise<string>((resolve) => {
      let t = '';
      run.stdout.on('data', (c: Buffer) => (t += c.toString()));
      run.stdout.on('end', () => resolve(t));
    });
    expect(text).toBe('0\n');
    expect((await run.done).exitCode).toBe(0);

    const refused = noSudo.execStream('id -u', { idleTimeoutMs: 5000, sudo: true });
    refused.stdout.resume();
    const error = await rejectionOf(refused.done);
    expect(error.code).toBe('SUDO_PASSWORD_REQUIRED');
  });

  it('stops a command that sends nothing within the idle limit, and one that is cancelled', async () => {
    const idle = connection.execStream('sleep 30', { idleTimeoutMs: 300 });
    idle.stdout.resume();
    const error = await rejectionOf(idle.done);
    expect(error.code).toBe('TRANSPORT_TIMEOUT');
    expect(error.message).toBe(`${LABEL}: "sleep 30" moved no data for 0.3 s and was stopped`);
    expect(idle.stdout.destroyed).toBe(true);

    const controller = new AbortController();
    const cancelled = connection.execStream('head -c 100000000 /dev/zero', {
      idleTimeoutMs: 5000,
      signal: controller.signal,
    });
    let seen = 0;
    const reading = (async () => {
      for await (const chunk of cancelled.stdout) {
        seen += (chunk as Buffer).length;
        if (seen > 1_000_000) {
          controller.abort();
        }
      }
    })();
    expect((await rejectionOf(cancelled.done)).code).toBe('CANCELLED');
    expect((await rejectionOf(reading)).code).toBe('CANCELLED');
    expect(seen).toBeLessThan(100_000_000);
    // The connection still serves the next command.
    expect((await connection.exec('echo ok', { timeoutMs: 5000 })).stdout).toBe('ok\n');
  });

  it('fails at once on a closed connection', async () => {
    const spare = streaming(await connectTo(sshd));
    await spare.close();
    const run = spare.execStream('echo hi', { idleTimeoutMs: 5000 });
    expect((await rejectionOf(run.done)).code).toBe('TRANSPORT_CLOSED');
  });
});
