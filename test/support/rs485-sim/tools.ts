import { execFile, spawnSync } from 'node:child_process';

/** Fails (never skips) when a program the RS485 simulator tests need is missing, saying what to install. */
export function requireTool(program: string, debianPackage: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(
      `${program} is not installed: install the Debian package ${debianPackage} (apt-get install ${debianPackage}; scripts/setup.sh --test does it)`,
    );
  }
}

export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs a program without blocking the event loop (the simulated slave answers from this same process). */
export function run(program: string, args: readonly string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The register values of one mbpoll poll ("[0]: \t246" lines), in order. */
export function mbpollValues(stdout: string): number[] {
  return [...stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)\s*$/gm)].map((m) => Number(m[2]));
}
