import type { LogLine } from '../../../shared/domain/unitLogs';
import type { WorkstationApi } from '../../../shared/ipc/api';
import type { CallInput, CallOutput } from '../../../shared/ipc/contract';
import { followStream, type StreamEnded, type StreamFollower } from '../../../shared/ipc/streamClient';

export type LogProbe = {
  opened: CallOutput<'logs.follow'>;
  follower: StreamFollower;
  lines: LogLine[];
  /** Lines the workstation said it left out. */
  dropped(): number;
  /** Acknowledges what was received but not yet acknowledged (for a probe made with ack: false). */
  ackAll(): void;
  waitFor(check: (lines: LogLine[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  ended: Promise<StreamEnded>;
};

const nodeTimers = {
  setInterval: (callback: () => void, ms: number) => setInterval(callback, ms),
  clearInterval: (handle: unknown) => clearInterval(handle as NodeJS.Timeout),
};

/** A log follow as a face does it: batches kept and acknowledged (unless `ack` is false: a page that fell behind). */
export async function followLogs(
  api: WorkstationApi,
  input: CallInput<'logs.follow'>,
  options: { ack?: boolean } = {},
): Promise<LogProbe> {
  const lines: LogLine[] = [];
  let dropped = 0;
  let unacknowledged = 0;
  const waiters = new Set<() => void>();
  let resolveEnded: (ended: StreamEnded) => void = () => undefined;
  const ended = new Promise<StreamEnded>((resolve) => {
    resolveEnded = resolve;
  });
  const { opened, follower } = await followStream(api, 'logs.lines', () => api.call('logs.follow', input), {
    onData: (batch, f) => {
      lines.push(...batch.lines);
      dropped += batch.dropped;
      if (options.ack === false) {
        unacknowledged += batch.lines.length;
      } else {
        f.ack(batch.lines.length);
      }
      waiters.forEach((wake) => wake());
    },
    onEnded: resolveEnded,
    timers: nodeTimers,
  });
  return {
    opened,
    follower,
    lines,
    dropped: () => dropped,
    ackAll() {
      follower.ack(unacknowledged);
      unacknowledged = 0;
    },
    waitFor(check, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const test = (): void => {
          if (check(lines)) {
            clearTimeout(timer);
            waiters.delete(test);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`timed out waiting for ${what}; ${lines.length} line(s), ${dropped} dropped`));
        }, timeoutMs);
        waiters.add(test);
        test();
      });
    },
    ended,
  };
}
