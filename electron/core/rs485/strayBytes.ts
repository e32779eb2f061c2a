import type { Logger } from '../ports/Logger';
import type { Timers } from '../ports/Timers';
import { RtuStreamSplitter } from './frameAssembly';

/**
 * Bytes that arrive with no request waiting for them: frames are handed on as they complete, the rest after a
 * silence; before each request whatever is held is drained, so it is never taken for that request's reply.
 */
export class StrayBytes {
  private readonly splitter = new RtuStreamSplitter();
  private timer: ReturnType<Timers['setTimeout']> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: {
      timers: Timers;
      logger: Logger;
      label: string;
      /** How long the line must be silent before held bytes are handed on. */
      silenceMs: () => number;
      onFrame: (bytes: Uint8Array, crcOk: boolean) => void;
    },
  ) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) {
      return;
    }
    for (const frame of this.splitter.push(chunk)) {
      this.deps.onFrame(frame.bytes, frame.crcOk);
    }
    if (this.splitter.heldBytes > 0 && this.timer === null && !this.stopped) {
      this.timer = this.deps.timers.setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.deps.silenceMs());
    }
  }

  /** Before a request: hands on whatever is held now. */
  drain(): void {
    this.cancelTimer();
    if (this.splitter.heldBytes > 0) {
      this.deps.logger.debug('drained stray bytes before a request', {
        path: this.deps.label,
        bytes: this.splitter.heldBytes,
      });
    }
    this.flush();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private flush(): void {
    for (const frame of this.splitter.flush()) {
      this.deps.onFrame(frame.bytes, frame.crcOk);
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.deps.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
