import { describe, expect, it } from 'vitest';

import { Chunker, DEFAULT_CHUNKER } from '../../../../electron/core/backup/store/chunker';
import { seededBytes, sha256 } from './storeHarness';

function chunk(data: Buffer, blockSize: number): Buffer[] {
  const chunker = new Chunker();
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += blockSize) {
    out.push(...chunker.push(data.subarray(i, i + blockSize)));
  }
  const tail = chunker.finish();
  if (tail !== null) {
    out.push(tail);
  }
  return out;
}

describe('content-defined chunker', () => {
  const data = seededBytes('chunker', 12 * 1024 * 1024);

  it('cuts at the same places whatever the read sizes, within the size bounds', () => {
    const small = data.subarray(0, 2 * 1024 * 1024);
    expect(chunk(small, 1).map((x) => x.length)).toEqual(chunk(small, 4099).map((x) => x.length));
    const b = chunk(data, 65536);
    const c = chunk(data, 7_000_001);
    expect(b.map((x) => x.length)).toEqual(c.map((x) => x.length));
    expect(Buffer.concat(b).equals(data)).toBe(true);
    for (const piece of b.slice(0, -1)) {
      expect(piece.length).toBeGreaterThanOrEqual(DEFAULT_CHUNKER.minSize);
      expect(piece.length).toBeLessThanOrEqual(DEFAULT_CHUNKER.maxSize);
    }
    const average = data.length / b.length;
    expect(average).toBeGreaterThan(DEFAULT_CHUNKER.avgSize * 0.6);
    expect(average).toBeLessThan(DEFAULT_CHUNKER.avgSize * 1.6);
  });

  it('an insertion near the start moves only the boundaries next to it', () => {
    const before = chunk(data, 65536).map(sha256);
    const shifted = Buffer.concat([data.subarray(0, 1000), Buffer.from('inserted bytes'), data.subarray(1000)]);
    const after = chunk(shifted, 65536).map(sha256);
    const known = new Set(before);
    const fresh = after.filter((id) => !known.has(id));
    expect(fresh.length).toBeLessThanOrEqual(2);
    expect(after.length - fresh.length).toBeGreaterThan(before.length - 3);
  });

  it('forces a cut at maxSize on data with no cut points', () => {
    const zeros = Buffer.alloc(3 * DEFAULT_CHUNKER.maxSize + 5);
    const pieces = chunk(zeros, 100_000);
    expect(pieces.map((p) => p.length)).toEqual([
      DEFAULT_CHUNKER.maxSize,
      DEFAULT_CHUNKER.maxSize,
      DEFAULT_CHUNKER.maxSize,
      5,
    ]);
  });

  it('refuses parameters that cannot work', () => {
    expect(() => new Chunker({ minSize: 1024, avgSize: 1000, maxSize: 4096 })).toThrow(RangeError);
    expect(() => new Chunker({ minSize: 4096, avgSize: 2048, maxSize: 8192 })).toThrow(RangeError);
  });
});
