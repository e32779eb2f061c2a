import { createHash } from 'node:crypto';

import { castEventLine, serializeCast, type CastEvent } from '../../../../shared/domain/asciicast';
import { InputRedactor } from './inputRedactor';

export type RecorderOptions = {
  cols: number;
  rows: number;
  startedAtMs: number;
  title: string;
  env: Record<string, string>;
  /** Recorded output beyond this many bytes ends the session: nothing unrecorded may happen on it. */
  maxBytes: number;
};

export type FinishedRecording = { text: string; sha256: string; bytes: number };

/** One terminal session as asciicast v2: what the shell printed, the input it echoed, the resizes. */
export class AsciicastRecorder {
  private readonly events: CastEvent[] = [];
  private readonly redactor: InputRedactor;
  private bytes = 0;
  private isFinished = false;

  constructor(private readonly options: RecorderOptions) {
    this.redactor = new InputRedactor((event) => this.push(event));
  }

  /** The recording is at its limit: the session must end. */
  get isFull(): boolean {
    return this.bytes >= this.options.maxBytes;
  }

  output(atMs: number, text: string): void {
    if (text === '' || this.isFinished) {
      return;
    }
    const t = this.seconds(atMs);
    this.push([t, 'o', text]);
    this.redactor.output(t, text);
  }

  input(atMs: number, data: string): void {
    if (data !== '' && !this.isFinished) {
      this.redactor.input(this.seconds(atMs), data);
    }
  }

  resize(atMs: number, cols: number, rows: number): void {
    if (!this.isFinished) {
      this.push([this.seconds(atMs), 'r', `${cols}x${rows}`]);
    }
  }

  finish(atMs: number): FinishedRecording {
    if (!this.isFinished) {
      this.redactor.flush();
      this.isFinished = true;
      // A last, empty output at the end keeps the recording as long as the session, idle tail included.
      this.events.push([this.seconds(atMs), 'o', '']);
    }
    // Input waits for its echo, so events are entered out of order; the recording is in time order.
    const ordered = this.events.map((event, index) => ({ event, index }));
    ordered.sort((a, b) => a.event[0] - b.event[0] || a.index - b.index);
    const text = serializeCast({
      header: {
        version: 2,
        width: this.options.cols,
        height: this.options.rows,
        timestamp: Math.floor(this.options.startedAtMs / 1000),
        title: this.options.title,
        env: this.options.env,
      },
      events: ordered.map(({ event }) => event),
    });
    return { text, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), bytes: Buffer.byteLength(text) };
  }

  private seconds(atMs: number): number {
    return Math.max(0, atMs - this.options.startedAtMs) / 1000;
  }

  private push(event: CastEvent): void {
    this.events.push(event);
    this.bytes += castEventLine(event).length + 1;
  }
}
