import { CreditWindow } from './CreditWindow';

export type LineOutboxOptions<T> = {
  /** Items in flight that the consumer has not acknowledged, at most. */
  window: number;
  /** Items per message, at most. */
  batchMax: number;
  /** Items held for a consumer that is behind; beyond it the oldest go, counted. */
  capacity: number;
  send(items: T[], dropped: number): void;
};

/**
 * Items on their way to a consumer that wants the newest rather than all of them (a live log): sent in batches while
 * the credit window allows; while the consumer is behind, at most `capacity` wait and the oldest give way, and the
 * next batch says how many were dropped. The producer is never held back, so a chatty service cannot stall the
 * vehicle's journal reader, and memory stays bounded.
 */
export class LineOutbox<T> {
  private readonly credit: CreditWindow;
  private readonly pending: T[] = [];
  private head = 0;
  private dropped = 0;
  private totalDropped = 0;

  constructor(private readonly options: LineOutboxOptions<T>) {
    this.credit = new CreditWindow(options.window);
  }

  get held(): number {
    return this.pending.length - this.head;
  }

  /** Everything dropped since the stream began. */
  get droppedTotal(): number {
    return this.totalDropped;
  }

  push(items: readonly T[]): void {
    for (const item of items) {
      this.pending.push(item);
    }
    const over = this.held - this.options.capacity;
    if (over > 0) {
      this.head += over;
      this.dropped += over;
      this.totalDropped += over;
    }
    // Compact now and then rather than shifting on every drop.
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }

  acknowledged(amount: number): void {
    this.credit.acknowledged(amount);
  }

  /** Sends what the window allows; a drop with nothing to send is still told (an empty batch with the count). */
  flush(): void {
    while (this.held > 0 && this.credit.available() > 0) {
      const count = Math.min(this.held, this.credit.available(), this.options.batchMax);
      const batch = this.pending.slice(this.head, this.head + count);
      this.head += count;
      this.credit.sent(count);
      this.options.send(batch, this.dropped);
      this.dropped = 0;
    }
    if (this.dropped > 0 && this.credit.available() > 0) {
      this.options.send([], this.dropped);
      this.dropped = 0;
    }
  }
}
