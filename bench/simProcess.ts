import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** What a bench needs of a simulated unit to add it to a workstation. */
export type SimUnitAddress = {
  name: string;
  host: string;
  port: number;
  user: string;
  clientKeyPath: string;
  hostKeyFingerprint: string;
};

/**
 * Simulated units in a process of their own (`args` start it; it prints their addresses as one JSON array on stdout),
 * so the vehicles' SSH and tar work is not done by the workstation's process. stop() ends it and waits.
 */
export async function startSimProcess(
  args: readonly string[],
  what: string,
): Promise<{ units: SimUnitAddress[]; stop(): Promise<void> }> {
  const child = spawn(process.execPath, args, {
    cwd: resolve(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const units = await new Promise<SimUnitAddress[]>((resolvePromise, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      try {
        resolvePromise(JSON.parse(text) as SimUnitAddress[]);
      } catch {
        // The JSON array is not complete yet.
      }
    });
    child.on('exit', (code) => reject(new Error(`${what} ended early (exit ${code ?? '?'})`)));
  });
  return {
    units,
    stop: () =>
      new Promise<void>((resolvePromise) => {
        child.on('exit', () => resolvePromise());
        child.kill('SIGTERM');
      }),
  };
}
