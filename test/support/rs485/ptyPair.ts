import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { lstat, mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SOCAT, assertSocat } from './requirements';

export type PtyPair = {
  /** The two ends: what one writes, the other reads. */
  a: string;
  b: string;
  /** Ends the pair the way an unplugged adapter would: both ends vanish at once. */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

async function isLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink() && (await readlink(path)).startsWith('/dev/pts/');
  } catch {
    return false;
  }
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    await once(child, 'exit');
  }
}

/** A socat pseudo-terminal pair, ready once both links exist. */
export async function startPtyPair(timeoutMs = 5_000): Promise<PtyPair> {
  assertSocat();
  const dir = await mkdtemp(join(tmpdir(), 'ohtw-pty-'));
  const a = join(dir, 'ttyA');
  const b = join(dir, 'ttyB');
  const child = spawn(SOCAT, ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const deadline = Date.now() + timeoutMs;
  while (!((await isLink(a)) && (await isLink(b)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited(child);
      await rm(dir, { recursive: true, force: true });
      throw new Error(`socat did not make the pty pair within ${timeoutMs} ms: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const kill = async (): Promise<void> => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    a,
    b,
    kill,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      await exited(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
