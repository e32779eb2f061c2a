import { CreditWindow } from './CreditWindow';

export type TextOutboxOptions = {
  /** Characters in flight that the consumer has not acknowledged, at most. */
  window: number;
  /** Characters per message, at most. */
  chunkMax: number;
  /** Pending characters at which the source is paused (its producer then waits: nothing is dropped). */
  highWater: number;
  send(data: string): void;
  pauseSource(): void;
  resumeSource(): void;
  /** Runs `flush` soon, once: output that arrives together leaves together. */
  schedule(flush: () => void): void;
};

/**
 * Text on its way to a consumer that must get all of it, in order (a terminal's output): sent in chunks while the
 * credit window allows, held while it does not, and when too much is held the source is paused, so the program on
 * the vehicle waits for the technician's screen instead of the workstation's memory growing.
 */
export class TextOutbox {
  private readonly credit: CreditWindow;
  private pending: string[] = [];
  private pendingLength = 0;
  private isScheduled = false;
  private isPaused = false;

  constructor(private readonly options: TextOutboxOptions) {
    this.credit = new CreditWindow(options.window);
  }

  get held(): number {
    return this.pendingLength;
  }

  get inFlight(): number {
    return this.credit.inFlight;
  }

  push(text: string): void {
    if (text === '') {
      return;
    }
    this.pending.push(text);
    this.pendingLength += text.length;
    if (!this.isPaused && this.pendingLength >= this.options.highWater) {
      this.isPaused = true;
      this.options.pauseSource();
    }
    if (!this.isScheduled) {
      this.isScheduled = true;
      this.options.schedule(() => {
        this.isScheduled = false;
        this.flush();
      });
    }
  }

  acknowledged(amount: number): void {
    this.credit.acknowledged(amount);
    this.flush();
  }

  /** Sends what the window allows, in chunks of at most chunkMax. */
  flush(): void {
    while (this.pendingLength > 0 && this.credit.available() > 0) {
      const chunk = this.take(Math.min(this.credit.available(), this.options.chunkMax));
      if (chunk === '') {
        break;
      }
      this.credit.sent(chunk.length);
      this.options.send(chunk);
    }
    if (this.isPaused && this.pendingLength < this.options.highWater / 4) {
      this.isPaused = false;
      this.options.resumeSource();
    }
  }

  private take(max: number): string {
    let taken = '';
    while (this.pending.length > 0 && taken.length < max) {
      const head = this.pending[0] ?? '';
      const room = max - taken.length;
      if (head.length <= room) {
        taken += head;
        this.pending.shift();
      } else {
        // Never split a surrogate pair: the two halves would each be invalid text.
        const cut = isHighSurrogate(head.charCodeAt(room - 1)) ? room - 1 : room;
        taken += head.slice(0, cut);
        this.pending[0] = head.slice(cut);
        break;
      }
    }
    this.pendingLength -= taken.length;
    return taken;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
