import { createInputQueue, followStream, type StreamEnded } from '../../../shared/ipc/streamClient';
import { parseCommandLine, stringOption } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { CliIo, CliTerminal } from '../io';
import { openCore } from '../openCore';

export const SHELL_USAGE =
  'ohtw shell NAME   (a recorded shell on the unit; runs what is piped to it when its input is not a terminal)';

const nodeTimers = {
  setInterval: (callback: () => void, ms: number) => setInterval(callback, ms),
  clearInterval: (handle: unknown) => clearInterval(handle as NodeJS.Timeout),
};

/**
 * `ohtw shell NAME`: the unit's login shell in this terminal, over the pinned SSH connection and recorded into the
 * fleet history like a session of the Terminal tab. With a terminal: raw keystrokes, the window's size followed.
 * Without (input piped): the input is the script, the shell runs it and the command exits with its status.
 */
export async function shellCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {});
  const [name, ...extra] = parsed.positionals;
  if (name === undefined || extra.length > 0) {
    throw new UsageError('shell needs exactly one unit NAME');
  }
  const terminal = io.terminal;
  if (terminal === undefined) {
    throw new UsageError('shell needs a terminal or piped input');
  }
  const interactive = terminal.stdin.isTTY === true;
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    return await runShell(session.api, name, terminal, interactive, io);
  } finally {
    await session.core.close();
  }
}

async function runShell(
  api: Awaited<ReturnType<typeof openCore>>['api'],
  unit: string,
  terminal: CliTerminal,
  interactive: boolean,
  io: CliIo,
): Promise<number> {
  const { stdin, stdout } = terminal;
  let resolveEnded: (ended: StreamEnded) => void = () => undefined;
  const ended = new Promise<StreamEnded>((resolve) => {
    resolveEnded = resolve;
  });
  const size = { cols: clamp(stdout.columns ?? 80, 10, 500), rows: clamp(stdout.rows ?? 24, 4, 200) };
  const { opened, follower } = await followStream(
    api,
    'terminal.output',
    () => api.call('terminal.open', { unit, ...size, interactive }),
    {
      onData: (payload, f) => {
        stdout.write(payload.data, () => f.ack(payload.data.length));
      },
      onEnded: resolveEnded,
      timers: nodeTimers,
    },
  );
  if (interactive) {
    io.err(`Connected to ${unit}; this session is recorded. It ends when the shell exits.`);
  }
  const input = createInputQueue(
    (data, end) => api.call('terminal.input', { streamId: opened.streamId, data, end }),
    () => undefined,
  );
  const onData = (chunk: Buffer | string): void => input.push(chunk.toString());
  const onEnd = (): void => input.end();
  const onResize = (): void => {
    void api
      .call('terminal.resize', {
        streamId: opened.streamId,
        cols: clamp(stdout.columns ?? size.cols, 10, 500),
        rows: clamp(stdout.rows ?? size.rows, 4, 200),
      })
      .catch(() => undefined);
  };
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdout.on('resize', onResize);
  if (interactive) {
    stdin.setRawMode?.(true);
  }
  stdin.resume();
  try {
    const end = await Promise.race([ended, io.waitForStop().then(() => null)]);
    if (end === null) {
      await follower.close();
      return 130;
    }
    if (interactive) {
      io.err(`\r\nSession on ${unit} ended: ${end.reason}. Recorded as ${opened.sessionId}.`);
    }
    return end.exitCode ?? EXIT_FAILURE;
  } finally {
    if (interactive) {
      stdin.setRawMode?.(false);
    }
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdout.off('resize', onResize);
    stdin.pause();
    follower.dispose();
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.round(value)));
}
