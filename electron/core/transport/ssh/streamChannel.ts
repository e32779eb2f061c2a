import { Readable, Writable } from 'node:stream';

import type { Client, ClientChannel } from 'ssh2';

import type { AppError } from '../../../../shared/errors/AppError';
import type { StreamExecEnd, StreamExecOptions, StreamingExec } from '../transport';
import type { ExecContext } from './execChannel';
import {
  channelOpenFailed,
  closedByWorkstation,
  execCancelled,
  execIdle,
  lostDuring,
  sudoPasswordRequired,
} from './execErrors';
import { createOutputCollector } from './outputCollector';
import { stopChannel } from './stopChannel';
import { sudoCommand, sudoWantsPassword } from './sudo';

const DEFAULT_MAX_STDERR_BYTES = 64 * 1024;
/** What stdout buffers before the vehicle is held back; ssh2's own window (2 MiB) sits behind it. */
const STDOUT_HIGH_WATER_MARK = 256 * 1024;

/**
 * Runs one command on its own session channel with its stdout as a byte stream. Backpressure reaches the vehicle:
 * when the reader falls behind, the channel is paused, ssh2 stops opening the SSH window, and sshd stops reading
 * the command's output. Every path settles exactly once; a failure destroys stdout and stdin with the same error.
 */
export function execStreamOnClient(
  client: Client,
  command: string,
  options: StreamExecOptions,
  ctx: ExecContext,
  refused?: AppError,
): StreamingExec {
  const startedAt = performance.now();
  const stderr = createOutputCollector(options.maxStderrBytes ?? DEFAULT_MAX_STDERR_BYTES);
  let channel: ClientChannel | undefined;
  let settled = false;
  let held = false;
  let idleTimer: NodeJS.Timeout | undefined;
  let exitCode: number | null = null;
  let exitSignal: string | null = null;
  let markAnswered = (): void => undefined;
  const channelAnswered = new Promise<void>((resolve) => {
    markAnswered = resolve;
  });
  const whenOpen: ((opened: ClientChannel) => void)[] = [];
  const onOpen = (run: (opened: ClientChannel) => void): void => {
    if (channel !== undefined) {
      run(channel);
    } else {
      whenOpen.push(run);
    }
  };

  let resolveDone: (end: StreamExecEnd) => void = () => undefined;
  let rejectDone: (error: AppError) => void = () => undefined;
  const done = new Promise<StreamExecEnd>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // A caller that only reads stdout learns of a failure there; an unawaited `done` must not crash the process.
  done.catch(() => undefined);

  const arm = (): void => {
    clearTimeout(idleTimer);
    if (!settled && !held) {
      idleTimer = setTimeout(() => fail(execIdle(ctx.label, command, options.idleTimeoutMs)), options.idleTimeoutMs);
    }
  };

  const stdout = new Readable({
    highWaterMark: STDOUT_HIGH_WATER_MARK,
    read() {
      if (held) {
        held = false;
        channel?.resume();
        arm();
      }
    },
    destroy(error, callback) {
      // The reader gave up (or the pipeline failed downstream): the command has nobody to talk to any more.
      if (!settled) {
        fail(execCancelled(ctx.label, command));
      }
      callback(error);
    },
  });
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      onOpen((opened) => {
        opened.write(chunk, (error?: Error | null) => {
          arm();
          callback(error ?? null);
        });
      });
    },
    final(callback) {
      onOpen((opened) => {
        opened.end();
        callback();
      });
    },
  });
  // The error reaches the caller through `done`, a pipeline or the async iterator; a bare stream must not throw.
  stdout.on('error', () => undefined);
  stdin.on('error', () => undefined);

  const settle = (): boolean => {
    if (settled) {
      return false;
    }
    settled = true;
    clearTimeout(idleTimer);
    options.signal?.removeEventListener('abort', onAbort);
    unregisterEnd();
    return true;
  };
  function fail(error: AppError): void {
    if (!settle()) {
      return;
    }
    if (channel !== undefined) {
      stopChannel(channel);
    }
    ctx.logger.debug('ssh stream failed', { command, code: error.code });
    stdout.destroy(error);
    stdin.destroy(error);
    rejectDone(error);
  }
  const finish = (): void => {
    const text = stderr.text();
    if (options.sudo === true && sudoWantsPassword(exitCode, text)) {
      fail(sudoPasswordRequired(ctx.label, ctx.username));
      return;
    }
    if (!settle()) {
      return;
    }
    const durationMs = Math.round(performance.now() - startedAt);
    ctx.logger.debug('ssh stream done', { command, exitCode, signal: exitSignal, durationMs });
    stdout.push(null);
    resolveDone({ exitCode, signal: exitSignal, stderr: text, durationMs });
  };

  const onChannel = (error: Error | undefined, opened: ClientChannel): void => {
    markAnswered();
    if (error !== undefined) {
      fail(channelOpenFailed(ctx.label, command, error));
      return;
    }
    if (settled) {
      stopChannel(opened);
      return;
    }
    channel = opened;
    let pending = 2;
    const onEnded = (): void => {
      pending -= 1;
      if (pending === 0) {
        finish();
      }
    };
    opened.on('data', (chunk: Buffer) => {
      arm();
      if (!stdout.push(chunk)) {
        held = true;
        clearTimeout(idleTimer);
        opened.pause();
      }
    });
    opened.stderr.on('data', (chunk: Buffer) => {
      arm();
      stderr.push(chunk);
    });
    opened.on('exit', (code: number | null, signalName?: string) => {
      exitCode = code;
      exitSignal = signalName ?? null;
    });
    opened.on('error', (channelError: Error) => ctx.logger.debug('ssh channel error', { error: channelError.message }));
    opened.stderr.on('error', (channelError: Error) =>
      ctx.logger.debug('ssh channel stderr error', { error: channelError.message }),
    );
    opened.once('close', onEnded);
    opened.stderr.once('end', onEnded);
    for (const run of whenOpen.splice(0)) {
      run(opened);
    }
    arm();
  };

  const onAbort = (): void => fail(execCancelled(ctx.label, command));
  const unregisterEnd = ctx.onEnd((end) => {
    const opening = channel === undefined;
    fail(end.byWorkstation ? closedByWorkstation(ctx.label) : lostDuring(ctx.label, command, end.reason));
    return opening ? channelAnswered : undefined;
  });
  if (refused !== undefined) {
    fail(refused);
  } else if (options.signal?.aborted === true) {
    fail(execCancelled(ctx.label, command));
  } else {
    options.signal?.addEventListener('abort', onAbort, { once: true });
    arm();
    try {
      client.exec(options.sudo === true ? sudoCommand(command) : command, onChannel);
    } catch (error) {
      ctx.logger.debug('ssh stream on a closed client', { error: String(error) });
      fail(closedByWorkstation(ctx.label));
    }
  }
  if (options.stdin !== 'pipe') {
    stdin.end();
  }

  return {
    stdout,
    stdin,
    done,
    cancel(reason) {
      ctx.logger.debug('ssh stream cancelled', { command, reason: reason ?? 'by the caller' });
      fail(execCancelled(ctx.label, command));
    },
  };
}
