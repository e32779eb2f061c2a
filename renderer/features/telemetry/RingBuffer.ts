/**
 * A fixed-capacity buffer that overwrites its oldest item: the live view keeps the last N samples, whatever
 * the stream delivers and however long the page stays open.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive whole number, not ${capacity}`);
    }
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(...values: T[]): void {
    for (const value of values) {
      const end = (this.start + this.count) % this.capacity;
      this.items[end] = value;
      if (this.count < this.capacity) {
        this.count += 1;
      } else {
        this.start = (this.start + 1) % this.capacity;
      }
    }
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i += 1) {
      out.push(this.items[(this.start + i) % this.capacity] as T);
    }
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
