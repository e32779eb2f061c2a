import { createHash } from 'node:crypto';

/**
 * Content-defined chunking with a gear rolling hash and two cut masks (the "normalized chunking" idea): a cut point
 * depends only on the last 32 bytes seen, so an insertion or a change moves the boundaries near it and nowhere else.
 * A SQLite page rewritten or a firmware rebuilt with a small change therefore shares most chunks with its previous
 * version. Sizes: no cut before `minSize`, a harder mask until `avgSize`, an easier one after, a forced cut at `maxSize`.
 */
export type ChunkerParams = { minSize: number; avgSize: number; maxSize: number };

/** Chosen with bench/backup-store.ts: small enough that a changed database page costs ~256 KiB, large enough that a
 * 200 MB file is under a thousand chunk files. */
export const DEFAULT_CHUNKER: ChunkerParams = { minSize: 64 * 1024, avgSize: 256 * 1024, maxSize: 1024 * 1024 };

const GEAR = buildGear();
const CHECKED = new WeakSet<ChunkerParams>();

/** Int32 arithmetic throughout: the hash stays a small integer for the engine, never a heap number. */
function buildGear(): Int32Array {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i += 1) {
    table[i] = createHash('sha256').update(`ohtw-gear-${i}`).digest().readInt32BE(0);
  }
  return table;
}

/** A mask of `bits` ones in the high bits of the 32-bit hash (the high bits mix the most bytes). */
function highMask(bits: number): number {
  return bits <= 0 ? 0 : ((2 ** bits - 1) * 2 ** (32 - bits)) | 0;
}

export function validateChunkerParams(p: ChunkerParams): void {
  const ok =
    Number.isInteger(p.minSize) &&
    Number.isInteger(p.avgSize) &&
    Number.isInteger(p.maxSize) &&
    p.minSize >= 64 &&
    p.minSize < p.avgSize &&
    p.avgSize < p.maxSize &&
    (p.avgSize & (p.avgSize - 1)) === 0;
  if (!ok) {
    throw new RangeError(`Invalid chunker parameters ${JSON.stringify(p)}`);
  }
}

/** Streaming: push buffers in, get whole chunks out; `finish` returns the tail. Holds at most `maxSize` bytes. */
export class Chunker {
  private readonly minSize: number;
  private readonly avgSize: number;
  private readonly maxSize: number;
  private readonly maskSmall: number;
  private readonly maskLarge: number;
  private parts: Buffer[] = [];
  private length = 0;
  private hash = 0;

  constructor(params: ChunkerParams = DEFAULT_CHUNKER) {
    // A chunker per file: parameters already checked once are not checked again.
    if (!CHECKED.has(params)) {
      validateChunkerParams(params);
      CHECKED.add(params);
    }
    this.minSize = params.minSize;
    this.avgSize = params.avgSize;
    this.maxSize = params.maxSize;
    const bits = Math.log2(params.avgSize);
    this.maskSmall = highMask(bits + 2);
    this.maskLarge = highMask(bits - 2);
  }

  push(data: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let start = 0;
    while (start < data.length) {
      const cut = this.scan(data, start);
      if (cut < 0) {
        this.parts.push(data.subarray(start));
        this.length += data.length - start;
        break;
      }
      this.parts.push(data.subarray(start, cut));
      this.length += cut - start;
      out.push(this.take());
      start = cut;
    }
    return out;
  }

  finish(): Buffer | null {
    return this.length === 0 ? null : this.take();
  }

  /** Scans data[from..] for the next cut; returns the index just after it, or -1 (keeping the hash) when data ends. */
  private scan(data: Buffer, from: number): number {
    const n = data.length;
    const gear = GEAR;
    // The chunk's length when index i has been consumed is base + i.
    const base = this.length - from;
    let i = from;
    let h = this.hash;
    // Bytes before minSize are never a cut point and need no hashing: the hash only remembers 32 bytes.
    if (base + i < this.minSize) {
      i = Math.min(n, this.minSize - base);
      h = 0;
    }
    // Two tight loops, the harder mask up to avgSize and the easier one up to maxSize, their ends computed up front.
    const small = this.maskSmall;
    const smallEnd = Math.min(n, this.avgSize - base);
    while (i < smallEnd) {
      h = ((h << 1) + (gear[data[i] as number] as number)) | 0;
      i += 1;
      if ((h & small) === 0) {
        return i;
      }
    }
    const large = this.maskLarge;
    const largeEnd = Math.min(n, this.maxSize - base);
    while (i < largeEnd) {
      h = ((h << 1) + (gear[data[i] as number] as number)) | 0;
      i += 1;
      if ((h & large) === 0) {
        return i;
      }
    }
    if (base + i >= this.maxSize) {
      return i;
    }
    this.hash = h;
    return -1;
  }

  /** Always a copy: a chunk outlives the caller's buffers (it is compressed and written later), and holding a
   * slice would keep a whole large input buffer alive or see it reused. */
  private take(): Buffer {
    const chunk = Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    this.hash = 0;
    return chunk;
  }
}
