import { AppError } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import { silentLogger, type Logger } from '../ports/Logger';
import { systemTimers, type Timers } from '../ports/Timers';
import type { ByteChannel } from './ByteChannel';
import { FIRMWARE_BUS_TIMING, frameSilenceMs, wireTimeMs, type BusTiming, type CharacterFormat } from './busTiming';
import {
  FC_READ_HOLDING,
  FC_READ_INPUT,
  FC_WRITE_MULTIPLE,
  FC_WRITE_SINGLE,
  encodeRequest,
  expectedReplyLength,
  type ModbusReply,
  type ModbusRequest,
} from './frame';
import { ReplyAssembler, type AssemblyEvent } from './frameAssembly';
import { describeFrame } from './frameMeaning';
import { BusListeners } from './busListeners';
import { UnansweredRequests, type LateReply } from './lateReplies';
import { createJob, Pauses, type Job } from './masterJob';
import { cancelled, describeRequest, requestFailure, type AttemptOutcome } from './masterFailure';
import { DEFAULT_SERIAL_SETTINGS, type BusFrame, type ModbusMaster, type RequestOptions } from './modbusTypes';
import { judgeAttemptReply, type AttemptJudging, type AttemptState } from './masterAttempt';
import { LineStatsBook, type RtuLineStats } from './masterStats';
import { preciseClock } from './preciseClock';
import { StrayBytes } from './strayBytes';

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

type PendingAttempt = {
  onBytes(chunk: Uint8Array): void;
  abort(outcome: AttemptOutcome): void;
};

export { describeRequest } from './masterFailure';
export type { LateReply } from './lateReplies';
export type { RtuLineStats } from './masterStats';

/**
 * The Modbus RTU master over one ByteChannel. Requests queue and go out one at a time, each after the line has
 * been quiet for the inter-frame gap (after a request nobody answered, the frame silence t3.5: there was no
 * exchange to recover from) and after stray bytes are drained; a reply is assembled by its expected length and
 * judged by CRC, slave and function. Timeouts and CRC errors are retried; exception replies, wrong slaves and
 * mis-shaped replies are not. A reply that comes after its request's wait ended is recognised by slave, function
 * and CRC, reported (onLateReply) and never taken for a later request's answer. Every failure is a typed AppError,
 * and every frame goes to onFrame.
 */
export class ModbusRtuMaster implements ModbusMaster {
  private timingNow: BusTiming;
  private readonly format: CharacterFormat;
  private readonly echoSuppression: boolean;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: Logger;

  private readonly queue: Job[] = [];
  private active: Job | null = null;
  private pending: PendingAttempt | null = null;
  private readonly listeners: BusListeners;
  private readonly unanswered = new UnansweredRequests();
  private readonly lineStats: LineStatsBook;
  private readonly pauses: Pauses;
  private readonly stray: StrayBytes;
  private lastLineActivityAt = Number.NEGATIVE_INFINITY;
  private lastRxAt = Number.NEGATIVE_INFINITY;
  private lastTxAt = Number.NEGATIVE_INFINITY;
  private closedReason: AppError | null = null;
  private closing: Promise<void> | null = null;
  private hasWarnedEcho = false;
  private readonly detachChannel: (() => void)[];
  /** What judging a reply needs of the master. */
  private readonly judging: AttemptJudging;

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
    this.lineStats = new LineStatsBook(options.latencySamples ?? 200);
    this.listeners = new BusListeners({ clock: this.clock, logger: this.logger });
    this.judging = {
      clock: this.clock,
      listeners: this.listeners,
      lineStats: this.lineStats,
      lateReply: (bytes) => this.lateReply(bytes),
    };
    this.pauses = new Pauses(this.timers);
    this.stray = new StrayBytes({
      timers: this.timers,
      logger: this.logger,
      label: channel.label,
      silenceMs: () => Math.max(this.timingNow.interFrameGapMs, 5),
      onFrame: (bytes, crcOk) => {
        if (!(crcOk && this.lateReply(bytes))) {
          this.emitStrayFrame(bytes, crcOk);
        }
      },
    });
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
      const dequeue = (job: Job): boolean => {
        const index = this.queue.indexOf(job);
        if (index >= 0) {
          this.queue.splice(index, 1);
        }
        return index >= 0;
      };
      this.queue.push(createJob(request, bytes, options, { resolve, reject }, dequeue));
      this.pump();
    });
  }

  onFrame(listener: (frame: BusFrame) => void): () => void {
    return this.listeners.onFrame(listener);
  }

  /** Each reply that arrives after its request's wait had ended: a slow module, with how long it took. */
  onLateReply(listener: (late: LateReply) => void): () => void {
    return this.listeners.onLate(listener);
  }

  stats(slave: number): RtuLineStats {
    return this.lineStats.copy(slave);
  }

  /** Stats of every slave this master has addressed. */
  allStats(): Map<number, RtuLineStats> {
    return this.lineStats.all();
  }

  resetStats(): void {
    this.lineStats.reset();
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
    this.stray.stop();
    for (const job of this.queue.splice(0)) {
      job.reject(reason);
    }
    this.pauses.failAll(reason);
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
        const quiet = this.waitForQuietLine(job, timeoutMs);
        if (quiet !== null) {
          await quiet;
        }
        this.stray.drain();
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
      job.reject(requestFailure(this.channel.label, job.request, last, attempts, timeoutMs));
    } catch (error) {
      job.reject(error instanceof AppError ? error : new AppError('INTERNAL', String(error), { cause: error }));
    }
  }

  /**
   * Waits until the line has been quiet for the gap, or returns null when it already has (no trip through the
   * event loop). After an exchange the gap is the bus's; after a request nobody answered, at most the frame
   * silence (t3.5): no slave has to recover from answering, and a scan of empty addresses does not pay the gap
   * for each. Bytes that keep coming (another master?) do not stall it forever.
   */
  private waitForQuietLine(job: Job, timeoutMs: number): Promise<void> | null {
    const answered = this.lastRxAt >= this.lastTxAt;
    const gap = answered
      ? this.timingNow.interFrameGapMs
      : Math.min(this.timingNow.interFrameGapMs, frameSilenceMs(this.format));
    if (this.lastLineActivityAt + gap <= this.clock.now()) {
      return null;
    }
    const startedAt = this.clock.now();
    return (async () => {
      for (;;) {
        const now = this.clock.now();
        const remaining = this.lastLineActivityAt + gap - now;
        if (remaining <= 0 || now - startedAt > gap + timeoutMs) {
          return;
        }
        await this.pauses.wait(remaining, job.options.signal, this.closedReason);
      }
    })();
  }

  private attempt(job: Job, timeoutMs: number): Promise<AttemptOutcome> {
    const { request, bytes } = job;
    const requestWireMs = wireTimeMs(this.format, bytes.length);
    // The reply must begin within the timeout after the request has left the wire; once it has begun, it gets its
    // own wire time (and the timeout again, for a slow adapter). An absent slave costs no reply's wire time.
    const beginMs = timeoutMs + requestWireMs + wireTimeMs(this.format, 1);
    const restMs = timeoutMs + wireTimeMs(this.format, expectedReplyLength(request));
    const assembler = new ReplyAssembler(bytes, this.echoSuppression);
    const signal = job.options.signal;

    return new Promise<AttemptOutcome>((resolve) => {
      let timer: ReturnType<Timers['setTimeout']> | null = null;
      const onAbort = (): void => state.finish({ kind: 'cancelled' });
      const state: AttemptState = {
        request,
        stats: this.lineStats.of(request.slave),
        sentAt: this.clock.now(),
        wrongSlaves: [],
        mismatch: null,
        garbageBytes: 0,
        begun: false,
        done: false,
        finish: (outcome) => {
          if (state.done) {
            return;
          }
          state.done = true;
          if (timer !== null) {
            this.timers.clearTimeout(timer);
          }
          signal?.removeEventListener('abort', onAbort);
          this.pending = null;
          resolve(outcome);
        },
      };
      this.pending = {
        onBytes: (chunk) => {
          if (!state.begun && !state.done) {
            state.begun = true;
            if (timer !== null) {
              this.timers.clearTimeout(timer);
            }
            timer = this.timers.setTimeout(() => this.attemptTimedOut(state, assembler), restMs);
          }
          for (const event of assembler.push(chunk)) {
            this.onAttemptEvent(state, event);
          }
          if (state.done) {
            for (const event of assembler.finish()) {
              this.stray.push(event.bytes);
            }
          }
        },
        abort: (outcome) => state.finish(outcome),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) {
        state.finish({ kind: 'cancelled' });
        return;
      }

      state.stats.requests += 1;
      this.listeners.frame('tx', bytes, true, () => describeFrame(bytes, 'request'));
      this.lastTxAt = state.sentAt;
      // The bytes are on the wire for their wire time; the wait for the reply starts as they are handed over (the
      // driver takes them at once: waiting for its callback would cost every request a trip through the event loop).
      this.lastLineActivityAt = state.sentAt + requestWireMs;
      timer = this.timers.setTimeout(() => this.attemptTimedOut(state, assembler), beginMs);
      this.channel.write(bytes).catch((error: unknown) =>
        state.finish({
          kind: 'closed',
          reason:
            error instanceof AppError
              ? error
              : new AppError('SERIAL_PORT_CLOSED', `Writing to ${this.channel.label} failed: ${String(error)}`),
        }),
      );
    });
  }

  /** The wait is over: what came instead of the reply decides how the attempt failed. */
  private attemptTimedOut(state: AttemptState, assembler: ReplyAssembler): void {
    for (const event of assembler.finish()) {
      state.garbageBytes += event.bytes.length;
      this.listeners.frame('rx', event.bytes, false, () => `${describeFrame(event.bytes)}: no complete reply`);
      state.stats.badFrames += 1;
    }
    state.stats.timeouts += 1;
    // Its reply may still come: then it is known for what it is.
    this.unanswered.remember(state.request, state.sentAt);
    if (state.wrongSlaves.length > 0) {
      state.finish({ kind: 'wrongSlave', slaves: [...new Set(state.wrongSlaves)] });
    } else if (state.mismatch !== null) {
      state.finish({ kind: 'mismatch', reason: state.mismatch });
    } else if (state.garbageBytes > 0) {
      state.finish({ kind: 'garbage', bytes: state.garbageBytes });
    } else {
      state.finish({ kind: 'timeout' });
    }
  }

  private onAttemptEvent(state: AttemptState, event: AssemblyEvent): void {
    const { stats } = state;
    if (state.done) {
      // Whatever followed the reply (a second answer from a duplicate address?) is stray, not this reply's.
      this.stray.push(event.bytes);
      return;
    }
    switch (event.kind) {
      case 'echo':
        stats.echoes += 1;
        this.listeners.frame('rx', event.bytes, true, 'echo of the request (the adapter reads back what it sends)');
        if (!this.hasWarnedEcho && !this.echoSuppression) {
          this.hasWarnedEcho = true;
          this.logger.warn('the RS485 adapter echoes requests; consider echo suppression', {
            path: this.channel.label,
          });
        }
        return;
      case 'garbage':
        state.garbageBytes += event.bytes.length;
        stats.badFrames += 1;
        this.listeners.frame('rx', event.bytes, false, () => `${event.bytes.length} stray bytes`);
        return;
      case 'crcError':
        stats.crcErrors += 1;
        this.listeners.frame('rx', event.bytes, false, () => describeFrame(event.bytes));
        state.finish({ kind: 'crc' });
        return;
      case 'reply':
        judgeAttemptReply(this.judging, state, event.bytes, event.reply);
        return;
    }
  }

  /** A CRC-valid frame that is the reply to an earlier request nobody waited for any more: reported as such. */
  private lateReply(bytes: Uint8Array): boolean {
    const late = this.unanswered.match(bytes, this.clock.now());
    if (late === null) {
      return false;
    }
    this.lineStats.of(late.slave).lateReplies += 1;
    this.listeners.frame(
      'rx',
      bytes,
      true,
      () =>
        `${describeFrame(bytes, 'reply')} (late: the reply to ${describeRequest(late.request)}, ` +
        `${Math.round(late.afterMs)} ms after it was asked, after its wait had ended)`,
    );
    this.listeners.late(late);
    return true;
  }

  private onBytes(chunk: Uint8Array): void {
    this.lastRxAt = this.clock.now();
    this.lastLineActivityAt = this.lastRxAt;
    if (this.pending) {
      this.pending.onBytes(chunk);
    } else {
      this.stray.push(chunk);
    }
  }

  private emitStrayFrame(bytes: Uint8Array, crcOk: boolean): void {
    this.listeners.frame('rx', bytes, crcOk, () =>
      crcOk
        ? `${describeFrame(bytes)} (unsolicited: a second answer, another master, or a reply to nothing asked)`
        : `${bytes.length} stray byte${bytes.length === 1 ? '' : 's'}`,
    );
  }
}

function registerValues(reply: ModbusReply): number[] {
  return reply.kind === 'registers' ? reply.values : [];
}
