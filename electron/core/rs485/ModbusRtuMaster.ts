import { AppError } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import { silentLogger, type Logger } from '../ports/Logger';
import { systemTimers, type Timers } from '../telemetry/timers';
import type { ByteChannel } from './ByteChannel';
import { FIRMWARE_BUS_TIMING, wireTimeMs, type BusTiming, type CharacterFormat } from './busTiming';
import {
  FC_READ_HOLDING,
  FC_READ_INPUT,
  FC_WRITE_MULTIPLE,
  FC_WRITE_SINGLE,
  ReplyAssembler,
  RtuStreamSplitter,
  describeFrame,
  encodeRequest,
  exceptionName,
  expectedReplyLength,
  hex2,
  hex4,
  judgeReply,
  type AssemblyEvent,
  type ModbusReply,
  type ModbusRequest,
} from './frame';
import {
  DEFAULT_SERIAL_SETTINGS,
  type BusFrame,
  type LineStats,
  type ModbusMaster,
  type RequestOptions,
} from './modbusTypes';
import { preciseClock } from './preciseClock';

/** LineStats plus what this master can also tell apart. */
export type RtuLineStats = LineStats & {
  /** Replies that carried another slave's address while this one was asked. */
  wrongSlaveReplies: number;
  /** Replies of the wrong shape, and bursts of bytes that formed no frame. */
  badFrames: number;
  /** Requests read back from an echoing adapter. */
  echoes: number;
};

export type ModbusRtuMasterOptions = {
  timing?: Partial<BusTiming>;
  /** The character format, for wire times; the baud rate matters, a pty ignores it. */
  format?: CharacterFormat;
  echoSuppression?: boolean;
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
  /** How many round-trip times each slave's stats keep (the newest). */
  latencySamples?: number;
};

type Job = {
  request: ModbusRequest;
  bytes: Uint8Array;
  options: RequestOptions;
  resolve: (reply: ModbusReply) => void;
  reject: (error: AppError) => void;
  settled: boolean;
  detachAbort: () => void;
};

type AttemptOutcome =
  | { kind: 'answer'; reply: ModbusReply }
  | { kind: 'exception'; exceptionCode: number }
  | { kind: 'mismatch'; reason: string }
  | { kind: 'wrongSlave'; slaves: number[] }
  | { kind: 'crc' }
  | { kind: 'garbage'; bytes: number }
  | { kind: 'timeout' }
  | { kind: 'closed'; reason: AppError }
  | { kind: 'cancelled' };

type PendingAttempt = {
  onBytes(chunk: Uint8Array): void;
  abort(outcome: AttemptOutcome): void;
};

type Waiter = { fail(error: AppError): void };

const cancelled = (): AppError => new AppError('CANCELLED', 'The Modbus request was cancelled');

/** A short label for messages: "FC03 read 0x0100 ×1". */
export function describeRequest(request: ModbusRequest): string {
  const fc = `FC${hex2(request.fc)}`;
  switch (request.fc) {
    case FC_READ_HOLDING:
    case FC_READ_INPUT:
      return `${fc} read ${hex4(request.address)} ×${request.count}`;
    case FC_WRITE_SINGLE:
      return `${fc} write ${hex4(request.address)} = ${request.value}`;
    case FC_WRITE_MULTIPLE:
      return `${fc} write ${hex4(request.address)} ×${request.values.length}`;
  }
}

/**
 * The Modbus RTU master over one ByteChannel. Requests queue and go out one at a time, each after the line has
 * been quiet for the inter-frame gap and after stray bytes are drained; a reply is assembled by its expected
 * length and judged by CRC, slave and function. Timeouts and CRC errors are retried; exception replies, wrong
 * slaves and mis-shaped replies are not. Every failure is a typed AppError, and every frame goes to onFrame.
 */
export class ModbusRtuMaster implements ModbusMaster {
  private timingNow: BusTiming;
  private readonly format: CharacterFormat;
  private readonly echoSuppression: boolean;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly latencySamples: number;

  private readonly queue: Job[] = [];
  private active: Job | null = null;
  private pending: PendingAttempt | null = null;
  private readonly waiters = new Set<Waiter>();
  private readonly frameListeners = new Set<(frame: BusFrame) => void>();
  private readonly statsBySlave = new Map<number, RtuLineStats>();
  private readonly stray = new RtuStreamSplitter();
  private strayTimer: ReturnType<Timers['setTimeout']> | null = null;
  private lastLineActivityAt = Number.NEGATIVE_INFINITY;
  private lastRxAt = Number.NEGATIVE_INFINITY;
  private closedReason: AppError | null = null;
  private closing: Promise<void> | null = null;
  private hasWarnedEcho = false;
  private readonly detachChannel: (() => void)[];

  constructor(
    private readonly channel: ByteChannel,
    options: ModbusRtuMasterOptions = {},
  ) {
    this.timingNow = { ...FIRMWARE_BUS_TIMING, ...options.timing };
    this.format = options.format ?? DEFAULT_SERIAL_SETTINGS;
    this.echoSuppression = options.echoSuppression ?? false;
    this.clock = options.clock ?? preciseClock;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? silentLogger;
    this.latencySamples = options.latencySamples ?? 200;
    this.detachChannel = [
      channel.onData((bytes) => this.onBytes(bytes)),
      channel.onClose((reason) => this.shutDown(reason)),
    ];
    if (!channel.isOpen) {
      this.shutDown(
        new AppError('SERIAL_PORT_CLOSED', `The serial port ${channel.label} is closed`, {
          details: { path: channel.label },
        }),
      );
    }
  }

  get timing(): BusTiming {
    return { ...this.timingNow };
  }

  /** Changes the timeout, retries or gap for the requests sent from now on. */
  setTiming(timing: Partial<BusTiming>): void {
    this.timingNow = { ...this.timingNow, ...timing };
  }

  get isOpen(): boolean {
    return this.closedReason === null;
  }

  get label(): string {
    return this.channel.label;
  }

  readHoldingRegisters(slave: number, address: number, count: number, options?: RequestOptions): Promise<number[]> {
    return this.execute({ fc: FC_READ_HOLDING, slave, address, count }, options).then(registerValues);
  }

  readInputRegisters(slave: number, address: number, count: number, options?: RequestOptions): Promise<number[]> {
    return this.execute({ fc: FC_READ_INPUT, slave, address, count }, options).then(registerValues);
  }

  writeSingleRegister(slave: number, address: number, value: number, options?: RequestOptions): Promise<void> {
    return this.execute({ fc: FC_WRITE_SINGLE, slave, address, value }, options).then(() => undefined);
  }

  writeMultipleRegisters(slave: number, address: number, values: number[], options?: RequestOptions): Promise<void> {
    return this.execute({ fc: FC_WRITE_MULTIPLE, slave, address, values: [...values] }, options).then(() => undefined);
  }

  /** Sends one request (after those queued before it) and resolves with the slave's answer. */
  execute(request: ModbusRequest, options: RequestOptions = {}): Promise<ModbusReply> {
    let bytes: Uint8Array;
    try {
      bytes = encodeRequest(request);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.closedReason !== null) {
      return Promise.reject(this.closedReason);
    }
    if (options.signal?.aborted) {
      return Promise.reject(cancelled());
    }
    return new Promise<ModbusReply>((resolve, reject) => {
      const job: Job = {
        request,
        bytes,
        options,
        settled: false,
        detachAbort: () => undefined,
        resolve: (reply) => {
          if (!job.settled) {
            job.settled = true;
            job.detachAbort();
            resolve(reply);
          }
        },
        reject: (error) => {
          if (!job.settled) {
            job.settled = true;
            job.detachAbort();
            reject(error);
          }
        },
      };
      const signal = options.signal;
      if (signal) {
        const onAbort = (): void => {
          const index = this.queue.indexOf(job);
          if (index >= 0) {
            this.queue.splice(index, 1);
            job.reject(cancelled());
          }
          // The active job notices through its own listeners and stops waiting.
        };
        signal.addEventListener('abort', onAbort, { once: true });
        job.detachAbort = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.pump();
    });
  }

  onFrame(listener: (frame: BusFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  stats(slave: number): RtuLineStats {
    const stats = this.statsBySlave.get(slave);
    return stats ? { ...stats, latenciesMs: [...stats.latenciesMs] } : emptyStats();
  }

  /** Stats of every slave this master has addressed. */
  allStats(): Map<number, RtuLineStats> {
    return new Map([...this.statsBySlave.keys()].map((slave) => [slave, this.stats(slave)]));
  }

  resetStats(): void {
    this.statsBySlave.clear();
  }

  /** Once, when the master stops: released by close(), or the port went away. */
  onClose(listener: (reason: AppError) => void): () => void {
    return this.channel.onClose(listener);
  }

  /** Fails what is queued and in flight with SERIAL_PORT_CLOSED and releases the port. Idempotent. */
  close(): Promise<void> {
    if (this.closing) {
      return this.closing;
    }
    this.shutDown(
      new AppError('SERIAL_PORT_CLOSED', `The Modbus master on ${this.channel.label} was closed`, {
        details: { path: this.channel.label, reason: 'released' },
      }),
    );
    this.closing = this.channel.close();
    return this.closing;
  }

  private shutDown(reason: AppError): void {
    if (this.closedReason !== null) {
      return;
    }
    this.closedReason = reason;
    for (const detach of this.detachChannel ?? []) {
      detach();
    }
    if (this.strayTimer !== null) {
      this.timers.clearTimeout(this.strayTimer);
      this.strayTimer = null;
    }
    for (const job of this.queue.splice(0)) {
      job.reject(reason);
    }
    for (const waiter of [...this.waiters]) {
      waiter.fail(reason);
    }
    this.pending?.abort({ kind: 'closed', reason });
  }

  private pump(): void {
    if (this.active !== null || this.closedReason !== null) {
      return;
    }
    const job = this.queue.shift();
    if (!job) {
      return;
    }
    this.active = job;
    void this.run(job).finally(() => {
      this.active = null;
      this.pump();
    });
  }

  /** Runs one job to the end; never rejects (the job's own promise carries the outcome). */
  private async run(job: Job): Promise<void> {
    const retries = job.options.retries ?? this.timingNow.retries;
    const timeoutMs = job.options.timeoutMs ?? this.timingNow.timeoutMs;
    let last: AttemptOutcome = { kind: 'timeout' };
    let attempts = 0;
    try {
      for (let attempt = 0; attempt <= retries && !job.settled; attempt += 1) {
        await this.waitForQuietLine(job, timeoutMs);
        this.drainStray();
        attempts += 1;
        last = await this.attempt(job, timeoutMs);
        if (last.kind === 'answer') {
          job.resolve(last.reply);
          return;
        }
        // A reply of the wrong shape is most often a late answer to an earlier, timed-out request that slipped in
        // after the drain: asking again gets the real one. Exceptions and wrong slaves are answers; never retried.
        if (last.kind !== 'crc' && last.kind !== 'garbage' && last.kind !== 'timeout' && last.kind !== 'mismatch') {
          break;
        }
        if (attempt < retries) {
          this.logger.debug('modbus retry', { slave: job.request.slave, outcome: last.kind, attempt: attempt + 1 });
        }
      }
      job.reject(this.failure(job, last, attempts, timeoutMs));
    } catch (error) {
      job.reject(error instanceof AppError ? error : new AppError('INTERNAL', String(error), { cause: error }));
    }
  }

  private failure(job: Job, outcome: AttemptOutcome, attempts: number, timeoutMs: number): AppError {
    const { request } = job;
    const what = describeRequest(request);
    const details = {
      path: this.channel.label,
      slave: request.slave,
      function: request.fc,
      address: request.address,
      attempts,
      timeoutMs,
    };
    const tries = attempts === 1 ? '' : ` (${attempts} attempts)`;
    switch (outcome.kind) {
      case 'answer':
        return new AppError('INTERNAL', 'An answered request was reported as failed');
      case 'exception':
        return new AppError(
          'MODBUS_EXCEPTION',
          `Slave ${request.slave} refused ${what}: exception ${hex2(outcome.exceptionCode)} (${exceptionName(outcome.exceptionCode)})`,
          {
            details: {
              ...details,
              exceptionCode: outcome.exceptionCode,
              exceptionName: exceptionName(outcome.exceptionCode),
            },
          },
        );
      case 'mismatch':
        return new AppError('MODBUS_BAD_FRAME', `Slave ${request.slave} answered ${what} with ${outcome.reason}`, {
          details: { ...details, reason: outcome.reason },
        });
      case 'wrongSlave':
        return new AppError(
          'MODBUS_WRONG_SLAVE',
          `Asked slave ${request.slave} (${what}), but slave ${outcome.slaves.join(' and ')} answered: ` +
            'a module on the wrong address, or two modules on one address?',
          { details: { ...details, answeredBy: outcome.slaves } },
        );
      case 'crc':
        return new AppError(
          'MODBUS_CRC',
          `Slave ${request.slave}'s reply to ${what} failed its CRC check${tries}: check wiring, termination and the baud rate`,
          { details, retryable: true },
        );
      case 'garbage':
        return new AppError(
          'MODBUS_BAD_FRAME',
          `Slave ${request.slave} did not answer ${what}${tries}; ${outcome.bytes} bytes came back that are not a Modbus reply ` +
            '(wrong baud rate or parity, or noise on the line?)',
          { details: { ...details, strayBytes: outcome.bytes }, retryable: true },
        );
      case 'timeout':
        return new AppError(
          'MODBUS_TIMEOUT',
          `Slave ${request.slave} did not answer ${what} within ${Math.round(timeoutMs)} ms${tries}`,
          { details, retryable: true },
        );
      case 'closed':
        return outcome.reason;
      case 'cancelled':
        return cancelled();
    }
  }

  /** Waits until the line has been quiet for the gap; bytes that keep coming (another master?) do not stall it forever. */
  private async waitForQuietLine(job: Job, timeoutMs: number): Promise<void> {
    const gap = this.timingNow.interFrameGapMs;
    const startedAt = this.clock.now();
    for (;;) {
      const now = this.clock.now();
      const remaining = this.lastLineActivityAt + gap - now;
      if (remaining <= 0 || now - startedAt > gap + timeoutMs) {
        return;
      }
      await this.delay(remaining, job.options.signal);
    }
  }

  private delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.closedReason !== null) {
        reject(this.closedReason);
        return;
      }
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const cleanup = (): void => {
        this.timers.clearTimeout(handle);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        fail: (error) => {
          cleanup();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.fail(cancelled());
      const handle = this.timers.setTimeout(() => {
        cleanup();
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  private attempt(job: Job, timeoutMs: number): Promise<AttemptOutcome> {
    const { request, bytes } = job;
    const stats = this.statsFor(request.slave);
    const requestWireMs = wireTimeMs(this.format, bytes.length);
    const waitMs = timeoutMs + requestWireMs + wireTimeMs(this.format, expectedReplyLength(request));
    const assembler = new ReplyAssembler(bytes, this.echoSuppression);
    const signal = job.options.signal;
    const wrongSlaves: number[] = [];
    let mismatch: string | null = null;
    let garbageBytes = 0;

    return new Promise<AttemptOutcome>((resolve) => {
      let done = false;
      let timer: ReturnType<Timers['setTimeout']> | null = null;
      const sentAt = this.clock.now();

      const finish = (outcome: AttemptOutcome): void => {
        if (done) {
          return;
        }
        done = true;
        if (timer !== null) {
          this.timers.clearTimeout(timer);
        }
        signal?.removeEventListener('abort', onAbort);
        this.pending = null;
        resolve(outcome);
      };

      const onTimeout = (): void => {
        for (const event of assembler.finish()) {
          garbageBytes += event.bytes.length;
          this.emit('rx', event.bytes, false, `${describeFrame(event.bytes)}: no complete reply`);
          stats.badFrames += 1;
        }
        stats.timeouts += 1;
        if (wrongSlaves.length > 0) {
          finish({ kind: 'wrongSlave', slaves: [...new Set(wrongSlaves)] });
        } else if (mismatch !== null) {
          finish({ kind: 'mismatch', reason: mismatch });
        } else if (garbageBytes > 0) {
          finish({ kind: 'garbage', bytes: garbageBytes });
        } else {
          finish({ kind: 'timeout' });
        }
      };

      const onAbort = (): void => finish({ kind: 'cancelled' });

      const handle = (events: AssemblyEvent[]): void => {
        for (const event of events) {
          if (done) {
            // Whatever followed the reply (a second answer from a duplicate address?) is stray, not this reply's.
            this.strayBytes(event.bytes);
            continue;
          }
          switch (event.kind) {
            case 'echo':
              stats.echoes += 1;
              this.emit('rx', event.bytes, true, 'echo of the request (the adapter reads back what it sends)');
              if (!this.hasWarnedEcho && !this.echoSuppression) {
                this.hasWarnedEcho = true;
                this.logger.warn('the RS485 adapter echoes requests; consider echo suppression', {
                  path: this.channel.label,
                });
              }
              break;
            case 'garbage':
              garbageBytes += event.bytes.length;
              stats.badFrames += 1;
              this.emit('rx', event.bytes, false, `${event.bytes.length} stray bytes`);
              break;
            case 'crcError':
              stats.crcErrors += 1;
              this.emit('rx', event.bytes, false, describeFrame(event.bytes));
              finish({ kind: 'crc' });
              break;
            case 'reply': {
              const verdict = judgeReply(request, event.reply);
              switch (verdict.kind) {
                case 'answer':
                  this.recordLatency(stats, this.clock.now() - sentAt);
                  this.emit('rx', event.bytes, true, describeFrame(event.bytes, 'reply'));
                  finish({ kind: 'answer', reply: event.reply });
                  break;
                case 'exception':
                  stats.exceptions += 1;
                  this.recordLatency(stats, this.clock.now() - sentAt);
                  this.emit('rx', event.bytes, true, describeFrame(event.bytes, 'reply'));
                  finish({ kind: 'exception', exceptionCode: verdict.exceptionCode });
                  break;
                case 'wrongSlave':
                  stats.wrongSlaveReplies += 1;
                  wrongSlaves.push(event.reply.slave);
                  this.emit(
                    'rx',
                    event.bytes,
                    true,
                    `${describeFrame(event.bytes, 'reply')} (slave ${request.slave} was asked)`,
                  );
                  break;
                case 'mismatch':
                  stats.badFrames += 1;
                  this.emit('rx', event.bytes, true, `${describeFrame(event.bytes, 'reply')} (${verdict.reason})`);
                  if (event.reply.fc === request.fc) {
                    finish({ kind: 'mismatch', reason: verdict.reason });
                  } else {
                    mismatch = verdict.reason;
                  }
                  break;
              }
              break;
            }
          }
        }
      };

      this.pending = {
        onBytes: (chunk) => {
          handle(assembler.push(chunk));
          if (done) {
            for (const event of assembler.finish()) {
              this.strayBytes(event.bytes);
            }
          }
        },
        abort: (outcome) => finish(outcome),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) {
        finish({ kind: 'cancelled' });
        return;
      }

      stats.requests += 1;
      this.emit('tx', bytes, true, describeFrame(bytes, 'request'));
      this.lastLineActivityAt = this.clock.now();
      this.channel.write(bytes).then(
        () => {
          // The driver has the bytes; they are on the wire for a while yet, unless an answer is already coming in.
          if (this.lastRxAt < sentAt) {
            this.lastLineActivityAt = Math.max(this.lastLineActivityAt, this.clock.now() + requestWireMs);
          }
          if (!done) {
            timer = this.timers.setTimeout(onTimeout, waitMs);
          }
        },
        (error: unknown) => {
          finish({
            kind: 'closed',
            reason:
              error instanceof AppError
                ? error
                : new AppError('SERIAL_PORT_CLOSED', `Writing to ${this.channel.label} failed: ${String(error)}`),
          });
        },
      );
    });
  }

  private onBytes(chunk: Uint8Array): void {
    this.lastRxAt = this.clock.now();
    this.lastLineActivityAt = this.lastRxAt;
    if (this.pending) {
      this.pending.onBytes(chunk);
    } else {
      this.strayBytes(chunk);
    }
  }

  /** Bytes that arrived with no request waiting: frames are shown as they complete, the rest after a silence. */
  private strayBytes(chunk: Uint8Array): void {
    if (chunk.length === 0) {
      return;
    }
    for (const frame of this.stray.push(chunk)) {
      this.emitStrayFrame(frame.bytes, frame.crcOk);
    }
    if (this.stray.heldBytes > 0 && this.strayTimer === null && this.closedReason === null) {
      this.strayTimer = this.timers.setTimeout(
        () => {
          this.strayTimer = null;
          this.flushStray();
        },
        Math.max(this.timingNow.interFrameGapMs, 5),
      );
    }
  }

  private emitStrayFrame(bytes: Uint8Array, crcOk: boolean): void {
    const meaning = crcOk
      ? `${describeFrame(bytes)} (unsolicited: a late reply, a second answer or another master)`
      : `${bytes.length} stray byte${bytes.length === 1 ? '' : 's'}`;
    this.emit('rx', bytes, crcOk, meaning);
  }

  private flushStray(): void {
    for (const frame of this.stray.flush()) {
      this.emitStrayFrame(frame.bytes, frame.crcOk);
    }
  }

  /** Before each request: nothing left over from earlier may be taken for its reply. */
  private drainStray(): void {
    if (this.strayTimer !== null) {
      this.timers.clearTimeout(this.strayTimer);
      this.strayTimer = null;
    }
    if (this.stray.heldBytes > 0) {
      this.logger.debug('drained stray bytes before a request', {
        path: this.channel.label,
        bytes: this.stray.heldBytes,
      });
    }
    this.flushStray();
  }

  private emit(direction: BusFrame['direction'], bytes: Uint8Array, crcOk: boolean, meaning: string): void {
    if (this.frameListeners.size === 0) {
      return;
    }
    const frame: BusFrame = { at: this.clock.now(), direction, bytes: Uint8Array.from(bytes), crcOk, meaning };
    for (const listener of [...this.frameListeners]) {
      try {
        listener(frame);
      } catch (error) {
        this.logger.warn('a bus frame listener failed', { error: String(error) });
      }
    }
  }

  private statsFor(slave: number): RtuLineStats {
    let stats = this.statsBySlave.get(slave);
    if (!stats) {
      stats = emptyStats();
      this.statsBySlave.set(slave, stats);
    }
    return stats;
  }

  private recordLatency(stats: RtuLineStats, latencyMs: number): void {
    stats.latenciesMs.push(Math.max(0, latencyMs));
    if (stats.latenciesMs.length > this.latencySamples) {
      stats.latenciesMs.splice(0, stats.latenciesMs.length - this.latencySamples);
    }
  }
}

function emptyStats(): RtuLineStats {
  return {
    requests: 0,
    timeouts: 0,
    crcErrors: 0,
    exceptions: 0,
    latenciesMs: [],
    wrongSlaveReplies: 0,
    badFrames: 0,
    echoes: 0,
  };
}

function registerValues(reply: ModbusReply): number[] {
  return reply.kind === 'registers' ? reply.values : [];
}
