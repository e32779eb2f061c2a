import type { AppLayout } from '../core/paths/appLayout';

/** Where the CLI writes; injected so tests can capture output without a subprocess. */
export type CliIo = {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where the application's own files are, resolved once where the CLI starts. */
  layout: AppLayout;
  /** Resolves when the user asks the long-running commands (serve, sim, demo) to stop. */
  waitForStop(): Promise<void>;
};

export function processIo(layout: AppLayout): CliIo {
  return {
    layout,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    waitForStop: () =>
      new Promise((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }),
  };
}
