import type { CliIo } from '../../../electron/cli/io';
import { TEST_LAYOUT } from '../appLayout';

export type CapturedIo = CliIo & { stdout(): string; stderr(): string; reset(): void; stop(): void };

/** A CliIo that records what the CLI prints; long-running commands stop when the test calls stop(). */
export function captureIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CapturedIo {
  let out = '';
  let err = '';
  let release: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    out: (text) => {
      out += text.endsWith('\n') ? text : `${text}\n`;
    },
    err: (text) => {
      err += text.endsWith('\n') ? text : `${text}\n`;
    },
    env,
    cwd,
    layout: TEST_LAYOUT,
    waitForStop: () => stopped,
    stdout: () => out,
    stderr: () => err,
    reset: () => {
      out = '';
      err = '';
    },
    stop: () => release?.(),
  };
}
