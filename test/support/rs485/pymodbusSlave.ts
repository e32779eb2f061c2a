import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import { PYTHON, assertPymodbus } from './requirements';

export type PymodbusSlave = { log(): string; stop(): Promise<void> };

const SCRIPT = join(import.meta.dirname, 'pymodbus_slave.py');

/**
 * Debian's pymodbus serving `slaves` (e.g. ['1', '2:2', '3:3:minimal']; see pymodbus_slave.py) on `path`.
 * Resolves once it has printed its start line; callers still poll for the first answer, because the server
 * opens the port just after that.
 */
export async function startPymodbusSlave(path: string, slaves: string[]): Promise<PymodbusSlave> {
  assertPymodbus();
  const args = [SCRIPT, path, ...slaves.flatMap((slave) => ['--slave', slave])];
  const child: ChildProcess = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const deadline = Date.now() + 10_000;
  while (!text.includes('pymodbus slave on')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the pymodbus slave did not start: ${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    log: () => text,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
