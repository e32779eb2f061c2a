import { setImmediate } from 'node:timers';
import { StringDecoder } from 'node:string_decoder';

import { TERMINAL_OUTPUT_CHUNK_MAX } from '../../../shared/ipc/contracts/terminal';
import type { JsonValue } from '../../../shared/errors/AppError';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { StreamHandle, StreamSource } from '../streams/StreamHub';
import { TextOutbox } from '../streams/TextOutbox';
import type { Connection, InteractiveShell, ShellEnd } from '../transport/transport';
import type { AsciicastRecorder } from './recording/AsciicastRecorder';
import type { TerminalStore } from './TerminalStore';

/** Output the consumer has not acknowledged, at most (characters): a screenful many times over, never megabytes. */
const OUTPUT_WINDOW = 256 * 1024;
/** Output held back before the vehicle is made to wait (the shell's output then waits in the SSH window). */
const OUTPUT_HIGH_WATER = 1024 * 1024;

export const TERMINAL_SESSION_ACTION = 'terminal.session';

export type TerminalSessionParts = {
  id: string;
  unit: string;
  actor: string;
  face: string;
  interactive: boolean;
  runId: string | null;
  startedAtMs: number;
  shell: InteractiveShell;
  connection: Connection;
  recorder: AsciicastRecorder;
  store: TerminalStore;
  history: HistoryRepository;
  clock: Clock;
  logger: Logger;
};

/**
 * One live terminal: the shell's output decoded once and used twice (recorded, and sent under the stream's credit),
 * keystrokes and resizes passed to the vehicle and recorded. When it ends, however it ends, the recording is saved
 * and its SHA-256 entered in the audit log, then the unit's connection is closed.
 */
export class TerminalSession implements StreamSource {
  private readonly decoder = new StringDecoder('utf8');
  private readonly outbox: TextOutbox;
  private handle: StreamHandle | undefined;
  private seq = 0;
  private stopReason: string | undefined;
  private readonly finished: Promise<void>;
  /** Settles once the session ended and its recording was saved. */
  get done(): Promise<void> {
    return this.finished;
  }

  constructor(private readonly parts: TerminalSessionParts) {
    const { shell } = parts;
    this.outbox = new TextOutbox({
      window: OUTPUT_WINDOW,
      chunkMax: TERMINAL_OUTPUT_CHUNK_MAX,
      highWater: OUTPUT_HIGH_WATER,
      send: (data) => {
        this.seq += 1;
        this.handle?.emit('terminal.output', { streamId: this.handle.id, seq: this.seq, data });
      },
      pauseSource: () => shell.output.pause(),
      resumeSource: () => shell.output.resume(),
      schedule: (flush) => setImmediate(flush),
    });
    this.finished = shell.done.then(
      (end) => this.finish(end),
      (error: unknown) => this.finish({ exitCode: null, signal: null }, String(error)),
    );
  }

  /** Starts passing output to the stream's consumer. */
  attach(handle: StreamHandle): void {
    this.handle = handle;
    this.parts.shell.output.on('data', (chunk: Buffer) => this.onOutput(this.decoder.write(chunk)));
  }

  write(data: string, end: boolean): number {
    const now = this.parts.clock.now();
    if (data !== '') {
      this.parts.recorder.input(now, data);
      this.parts.shell.write(data);
    }
    if (end) {
      this.parts.shell.endInput();
    }
    return data.length;
  }

  resize(cols: number, rows: number): void {
    this.parts.recorder.resize(this.parts.clock.now(), cols, rows);
    this.parts.shell.resize(cols, rows);
  }

  onAck(amount: number): void {
    this.outbox.acknowledged(amount);
  }

  async stop(reason: string): Promise<void> {
    this.stopReason ??= reason;
    this.parts.shell.close();
    await this.finished;
  }

  private onOutput(text: string): void {
    this.parts.recorder.output(this.parts.clock.now(), text);
    this.outbox.push(text);
    if (this.parts.recorder.isFull && this.stopReason === undefined) {
      this.stopReason = 'the recording reached its size limit; open a new session to go on';
      this.parts.shell.close();
    }
  }

  private async finish(end: ShellEnd, failure?: string): Promise<void> {
    const tail = this.decoder.end();
    if (tail !== '') {
      this.onOutput(tail);
    }
    // The last words of the shell (logout, an error) reach the screen whatever the credit.
    this.outbox.acknowledged(Number.MAX_SAFE_INTEGER);
    this.outbox.flush();
    const reason = this.stopReason ?? failure ?? describeEnd(end);
    try {
      this.save(end, reason);
    } catch (error) {
      this.parts.logger.error('a terminal recording could not be saved', {
        session: this.parts.id,
        error: String(error),
      });
    }
    this.handle?.ended(reason, end.exitCode);
    await this.parts.connection.close();
  }

  private save(end: ShellEnd, reason: string): void {
    const { parts } = this;
    const endedAtMs = parts.clock.now();
    const recording = parts.recorder.finish(endedAtMs);
    const durationMs = Math.max(0, Math.round(endedAtMs - parts.startedAtMs));
    const startedAt = new Date(parts.startedAtMs).toISOString();
    const endedAt = new Date(endedAtMs).toISOString();
    parts.store.end(parts.id, {
      endedAt,
      durationMs,
      endReason: reason,
      exitCode: end.exitCode,
      cast: recording.text,
      sha256: recording.sha256,
      bytes: recording.bytes,
    });
    const details: Record<string, JsonValue> = {
      sessionId: parts.id,
      sha256: recording.sha256,
      bytes: recording.bytes,
      startedAt,
      endedAt,
      durationMs,
      interactive: parts.interactive,
      face: parts.face,
      endReason: reason,
      exitCode: end.exitCode,
      ...(parts.runId === null ? {} : { runId: parts.runId }),
    };
    const receipt = parts.history.appendAudit({
      actor: parts.actor,
      unit: parts.unit,
      action: 'terminal.session',
      outcome: 'ok',
      details,
    });
    parts.store.setAuditSeq(parts.id, receipt.seq);
  }
}

function describeEnd(end: ShellEnd): string {
  if (end.exitCode !== null) {
    return `the shell exited with status ${end.exitCode}`;
  }
  if (end.signal !== null) {
    return `the shell was ended by SIG${end.signal}`;
  }
  return 'the connection to the unit closed';
}
