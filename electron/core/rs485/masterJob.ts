import type { AppError } from '../../../shared/errors/AppError';
import type { Timers } from '../ports/Timers';
import type { ModbusReply, ModbusRequest } from './frame';
import { cancelled } from './masterFailure';
import type { RequestOptions } from './modbusTypes';

/** One request from the moment it is asked until it settles, exactly once. */
export type Job = {
  request: ModbusRequest;
  bytes: Uint8Array;
  options: RequestOptions;
  readonly settled: boolean;
  resolve(reply: ModbusReply): void;
  reject(error: AppError): void;
};

/**
 * A job settling its promise once; its signal takes it out of the queue while it waits there (the attempt in
 * flight notices the signal itself).
 */
export function createJob(
  request: ModbusRequest,
  bytes: Uint8Array,
  options: RequestOptions,
  settle: { resolve: (reply: ModbusReply) => void; reject: (error: AppError) => void },
  dequeue: (job: Job) => boolean,
): Job {
  let settled = false;
  let detach = (): void => undefined;
  const end = (): boolean => {
    if (settled) {
      return false;
    }
    settled = true;
    detach();
    return true;
  };
  const job: Job = {
    request,
    bytes,
    options,
    get settled() {
      return settled;
    },
    resolve: (reply) => end() && settle.resolve(reply),
    reject: (error) => end() && settle.reject(error),
  };
  const signal = options.signal;
  if (signal) {
    const onAbort = (): void => {
      if (dequeue(job)) {
        job.reject(cancelled());
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    detach = () => signal.removeEventListener('abort', onAbort);
  }
  return job;
}

/** Waits that a closing master or a cancelled request ends early, each with its error. */
export class Pauses {
  private readonly waiters = new Set<(error: AppError) => void>();

  constructor(private readonly timers: Timers) {}

  wait(ms: number, signal: AbortSignal | undefined, closed: AppError | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (closed !== null) {
        reject(closed);
        return;
      }
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const cleanup = (): void => {
        this.timers.clearTimeout(handle);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(fail);
      };
      const fail = (error: AppError): void => {
        cleanup();
        reject(error);
      };
      const onAbort = (): void => fail(cancelled());
      const handle = this.timers.setTimeout(() => {
        cleanup();
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(fail);
    });
  }

  failAll(error: AppError): void {
    for (const fail of [...this.waiters]) {
      fail(error);
    }
  }
}
