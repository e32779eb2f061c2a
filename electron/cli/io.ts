import type { AppLayout } from '../core/paths/appLayout';

/** The process's own terminal, for the commands that pass keystrokes and bytes through (ohtw shell). */
export type CliTerminal = {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
};

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
  /** Raw input and output; absent where the CLI runs without a process terminal (some tests). */
  terminal?: CliTerminal;
};

export function processIo(layout: AppLayout): CliIo {
  return {
    layout,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    terminal: { stdin: process.stdin, stdout: process.stdout },
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
