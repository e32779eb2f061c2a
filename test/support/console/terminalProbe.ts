import type { WorkstationApi } from '../../../shared/ipc/api';
import type { CallOutput } from '../../../shared/ipc/contract';
import { followStream, type StreamEnded, type StreamFollower } from '../../../shared/ipc/streamClient';

export type TerminalProbe = {
  opened: CallOutput<'terminal.open'>;
  follower: StreamFollower;
  /** Everything the shell printed so far, as received through the contract. */
  text(): string;
  /** Sends keystrokes in one piece, as a paste would. */
  type(text: string): Promise<void>;
  /** Resolves with the text received so far once it matches. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  ended: Promise<StreamEnded>;
};

const nodeTimers = {
  setInterval: (callback: () => void, ms: number) => setInterval(callback, ms),
  clearInterval: (handle: unknown) => clearInterval(handle as NodeJS.Timeout),
};

/**
 * A terminal opened and followed through the contract as a face does it: every output event acknowledged once it
 * is taken (unless `ack` is false: a page that stopped reading), keystrokes sent as calls.
 */
export async function openTerminal(
  api: WorkstationApi,
  unit: string,
  options: { cols?: number; rows?: number; ack?: boolean; interactive?: boolean } = {},
): Promise<TerminalProbe> {
  let received = '';
  const waiters = new Set<() => void>();
  let resolveEnded: (ended: StreamEnded) => void = () => undefined;
  const ended = new Promise<StreamEnded>((resolve) => {
    resolveEnded = resolve;
  });
  const { opened, follower } = await followStream(
    api,
    'terminal.output',
    () =>
      api.call('terminal.open', {
        unit,
        cols: options.cols ?? 100,
        rows: options.rows ?? 30,
        interactive: options.interactive ?? true,
      }),
    {
      onData: (payload, follower) => {
        received += payload.data;
        if (options.ack !== false) {
          follower.ack(payload.data.length);
        }
        waiters.forEach((wake) => wake());
      },
      onEnded: (end) => {
        resolveEnded(end);
        waiters.forEach((wake) => wake());
      },
      timers: nodeTimers,
      ...(options.ack === false ? { keepaliveMs: 3_600_000 } : {}),
    },
  );
  const matches = (pattern: RegExp | string): boolean =>
    typeof pattern === 'string' ? received.includes(pattern) : pattern.test(received);
  return {
    opened,
    follower,
    text: () => received,
    async type(text) {
      await api.call('terminal.input', { streamId: opened.streamId, data: text });
    },
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (matches(pattern)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(received);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`terminal never showed ${String(pattern)}; it showed:\n${received.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    ended,
  };
}
