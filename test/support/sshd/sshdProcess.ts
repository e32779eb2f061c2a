import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export type SshdProcess = {
  log(): string;
  /** Resolves with the log once `pattern` matches the part written at or after `since` (a log length). */
  waitForLog(pattern: RegExp, since?: number, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
};

/** A port that was free a moment ago; sshd may still lose the race for it, which startSshdProcess reports. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') {
    throw new Error('could not learn a free port');
  }
  return address.port;
}

/** Runs `sshd -D -e` (foreground, log on stderr) and resolves once it says it is listening. */
export async function startSshdProcess(configPath: string): Promise<SshdProcess> {
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let exited = false;
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const watcher of [...watchers]) {
      watcher();
    }
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      for (const watcher of [...watchers]) {
        watcher();
      }
      resolve();
    });
  });

  const waitForLog = (pattern: RegExp, since = 0, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(text.slice(since))) {
          done();
          resolve(text);
        } else if (exited) {
          done();
          reject(new Error(`sshd exited before logging ${String(pattern)}; its log:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`sshd did not log ${String(pattern)} within ${timeoutMs} ms; its log:\n${text}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      await exit;
    }
  };

  try {
    await waitForLog(/Server listening on /);
  } catch (error) {
    await stop();
    throw error;
  }
  return { log: () => text, waitForLog, stop };
}
