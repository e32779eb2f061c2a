import { Readable, Writable } from 'node:stream';

import type { Client, ClientChannel } from 'ssh2';

import type { AppError } from '../../../../shared/errors/AppError';
import type { StreamExecEnd, StreamExecOptions, StreamingExec } from '../transport';
import { ChannelRequest, type ExecContext } from './channelRequest';
import { channelOpenFailed, execCancelled, execIdle, sudoPasswordRequired } from './execErrors';
import { createOutputCollector } from './outputCollector';
import { stopChannel } from './stopChannel';
import { sudoWantsPassword } from './sudo';

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
  const streamed = new StreamedCommand(command, options, ctx);
  streamed.start(client, refused);
  return {
    stdout: streamed.stdout,
    stdin: streamed.stdin,
    done: streamed.done,
    cancel(reason) {
      ctx.logger.debug('ssh stream cancelled', { command, reason: reason ?? 'by the caller' });
      streamed.fail(execCancelled(ctx.label, command));
    },
  };
}

/** One streamed command's state: its channel once open, whether it is held back, settled, and how it exited. */
class StreamedCommand {
  readonly stdout: Readable;
  readonly stdin: Writable;
  readonly done: Promise<StreamExecEnd>;
  private readonly startedAt = performance.now();
  private readonly stderr: ReturnType<typeof createOutputCollector>;
  private channel: ClientChannel | undefined;
  private settled = false;
  private held = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private exitCode: number | null = null;
  private exitSignal: string | null = null;
  private readonly whenOpen: ((opened: ClientChannel) => void)[] = [];
  private resolveDone: (end: StreamExecEnd) => void = () => undefined;
  private rejectDone: (error: AppError) => void = () => undefined;
  private unregisterEnd: () => void = () => undefined;
  private readonly onAbort = (): void => this.fail(execCancelled(this.ctx.label, this.command));

  constructor(
    private readonly command: string,
    private readonly options: StreamExecOptions,
    private readonly ctx: ExecContext,
  ) {
    this.stderr = createOutputCollector(options.maxStderrBytes ?? DEFAULT_MAX_STDERR_BYTES);
    this.done = new Promise<StreamExecEnd>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // A caller that only reads stdout learns of a failure there; an unawaited `done` must not crash the process.
    this.done.catch(() => undefined);
    this.stdout = this.makeStdout();
    this.stdin = this.makeStdin();
    // The error reaches the caller through `done`, a pipeline or the async iterator; a bare stream must not throw.
    this.stdout.on('error', () => undefined);
    this.stdin.on('error', () => undefined);
  }

  start(client: Client, refused: AppError | undefined): void {
    const { ctx, command, options } = this;
    const request = new ChannelRequest(command, ctx);
    const fail = (error: AppError): void => this.fail(error);
    this.unregisterEnd = request.failOnEnd(fail);
    if (refused !== undefined) {
      this.fail(refused);
    } else if (options.signal?.aborted === true) {
      this.fail(execCancelled(ctx.label, command));
    } else {
      options.signal?.addEventListener('abort', this.onAbort, { once: true });
      this.arm();
      request.send(client, options.sudo === true, fail, (error, opened) => this.onChannel(error, opened));
    }
    if (options.stdin !== 'pipe') {
      this.stdin.end();
    }
  }

  fail(error: AppError): void {
    if (!this.settle()) {
      return;
    }
    if (this.channel !== undefined) {
      stopChannel(this.channel);
    }
    this.ctx.logger.debug('ssh stream failed', { command: this.command, code: error.code });
    this.stdout.destroy(error);
    this.stdin.destroy(error);
    this.rejectDone(error);
  }

  private makeStdout(): Readable {
    return new Readable({
      highWaterMark: STDOUT_HIGH_WATER_MARK,
      read: () => {
        if (this.held) {
          this.held = false;
          this.channel?.resume();
          this.arm();
        }
      },
      destroy: (error, callback) => {
        // The reader gave up (or the pipeline failed downstream): the command has nobody to talk to any more.
        if (!this.settled) {
          this.fail(execCancelled(this.ctx.label, this.command));
        }
        callback(error);
      },
    });
  }

  private makeStdin(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.onOpen((opened) => {
          opened.write(chunk, (error?: Error | null) => {
            this.arm();
            callback(error ?? null);
          });
        });
      },
      final: (callback) => {
        this.onOpen((opened) => {
          opened.end();
          callback();
        });
      },
    });
  }

  private onOpen(run: (opened: ClientChannel) => void): void {
    if (this.channel !== undefined) {
      run(this.channel);
    } else {
      this.whenOpen.push(run);
    }
  }

  private arm(): void {
    clearTimeout(this.idleTimer);
    if (!this.settled && !this.held) {
      const { idleTimeoutMs } = this.options;
      this.idleTimer = setTimeout(
        () => this.fail(execIdle(this.ctx.label, this.command, idleTimeoutMs)),
        idleTimeoutMs,
      );
    }
  }

  private settle(): boolean {
    if (this.settled) {
      return false;
    }
    this.settled = true;
    clearTimeout(this.idleTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.unregisterEnd();
    return true;
  }

  private finish(): void {
    const text = this.stderr.text();
    if (this.options.sudo === true && sudoWantsPassword(this.exitCode, text)) {
      this.fail(sudoPasswordRequired(this.ctx.label, this.ctx.username));
      return;
    }
    if (!this.settle()) {
      return;
    }
    const durationMs = Math.round(performance.now() - this.startedAt);
    const { exitCode, exitSignal: signal } = this;
    this.ctx.logger.debug('ssh stream done', { command: this.command, exitCode, signal, durationMs });
    this.stdout.push(null);
    this.resolveDone({ exitCode, signal, stderr: text, durationMs });
  }

  private onChannel(error: Error | undefined, opened: ClientChannel): void {
    if (error !== undefined) {
      this.fail(channelOpenFailed(this.ctx.label, this.command, error));
      return;
    }
    if (this.settled) {
      stopChannel(opened);
      return;
    }
    this.channel = opened;
    this.listen(opened);
    for (const run of this.whenOpen.splice(0)) {
      run(opened);
    }
    this.arm();
  }

  /** The channel's output feeds stdout (held back when the reader is behind) and stderr; both ends finish the run. */
  private listen(opened: ClientChannel): void {
    const { logger } = this.ctx;
    let pending = 2;
    const onEnded = (): void => {
      pending -= 1;
      if (pending === 0) {
        this.finish();
      }
    };
    opened.on('data', (chunk: Buffer) => {
      this.arm();
      if (!this.stdout.push(chunk)) {
        this.held = true;
        clearTimeout(this.idleTimer);
        opened.pause();
      }
    });
    opened.stderr.on('data', (chunk: Buffer) => {
      this.arm();
      this.stderr.push(chunk);
    });
    opened.on('exit', (code: number | null, signalName?: string) => {
      this.exitCode = code;
      this.exitSignal = signalName ?? null;
    });
    opened.on('error', (channelError: Error) => logger.debug('ssh channel error', { error: channelError.message }));
    opened.stderr.on('error', (channelError: Error) =>
      logger.debug('ssh channel stderr error', { error: channelError.message }),
    );
    opened.once('close', onEnded);
    opened.stderr.once('end', onEnded);
  }
}
