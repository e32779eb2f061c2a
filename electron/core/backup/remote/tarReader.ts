import type { Readable } from 'node:stream';

import { AppError } from '../../../../shared/errors/AppError';

/**
 * A streaming reader of the tar archives GNU tar writes (ustar and GNU headers, GNU long names, pax extended
 * headers). Entries are handed over one at a time with their content as a stream read straight off the source, so
 * memory stays at a few chunks whatever the archive's size. Every header's checksum is checked: a damaged or
 * truncated archive is an error, never a short backup.
 */

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/**
 * A member's content: its bytes as they come off the archive, at most 64 KiB at a time (a small file in one piece).
 * Not a stream object: tens of thousands of small files each cost one iterator, not a stream's machinery.
 */
export type TarContent = AsyncIterable<Buffer>;

export type TarEntry = {
  /** The member name as stored (relative, `/` separated; a directory's trailing `/` removed). */
  name: string;
  type: TarEntryType;
  /** The raw type flag, for messages about entries that are not files, folders or links. */
  typeFlag: string;
  /** Permission bits with setuid, setgid and sticky. */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtimeMs: number;
  size: number;
  linkName: string;
};

const BLOCK = 512;

function damaged(message: string): AppError {
  return new AppError('COMMAND_FAILED', `the archive from the unit is damaged: ${message}`, {
    details: { archive: 'damaged' },
  });
}

/** True for the reader's own "damaged or cut short" error: the command that wrote the archive may say why. */
export function isArchiveDamage(error: unknown): boolean {
  return error instanceof AppError && error.details?.archive === 'damaged';
}

/** Pulls exact byte counts out of a stream of chunks without ever holding more than one chunk beyond the ask. */
class ByteSource {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  /** Bytes consumed so far: where in the archive a problem is. */
  offset = 0;

  constructor(private readonly iterator: AsyncIterator<unknown>) {}

  private async fill(): Promise<boolean> {
    if (this.ended) {
      return false;
    }
    const next = await this.iterator.next();
    if (next.done === true) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    return true;
  }

  /** Up to `max` bytes (at least one unless the source has ended). */
  async upTo(max: number): Promise<Buffer> {
    while (this.buffered === 0) {
      if (!(await this.fill())) {
        return Buffer.alloc(0);
      }
    }
    const first = this.chunks[0] as Buffer;
    const take = Math.min(max, first.length);
    const out = first.subarray(0, take);
    if (take === first.length) {
      this.chunks.shift();
    } else {
      this.chunks[0] = first.subarray(take);
    }
    this.buffered -= take;
    this.offset += take;
    return out;
  }

  /** Exactly `n` bytes, or null when the source ended before the first of them; a partial read is damage. */
  async exactly(n: number): Promise<Buffer | null> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const part = await this.upTo(n - got);
      if (part.length === 0) {
        if (got === 0) {
          return null;
        }
        throw damaged(`it ends in the middle of a block at byte ${this.offset}`);
      }
      parts.push(part);
      got += part.length;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, n);
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      const part = await this.upTo(left);
      if (part.length === 0) {
        throw damaged(`it ends ${left} bytes early at byte ${this.offset}`);
      }
      left -= part.length;
    }
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? field.length : nul).toString('utf8');
}

/** Octal ASCII, or GNU's base-256 (high bit of the first byte set) for values octal cannot hold. */
function numeric(block: Buffer, start: number, length: number, what: string): number {
  const field = block.subarray(start, start + length);
  if (((field[0] as number) & 0x80) !== 0) {
    if (((field[0] as number) & 0x40) !== 0) {
      throw damaged(`negative ${what}`);
    }
    let value = (field[0] as number) & 0x3f;
    for (let i = 1; i < field.length; i += 1) {
      value = value * 256 + (field[i] as number);
    }
    if (!Number.isSafeInteger(value)) {
      throw damaged(`${what} too large`);
    }
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === '') {
    return 0;
  }
  if (!/^[0-7]+$/.test(digits)) {
    throw damaged(`${what} "${digits}" is not a number`);
  }
  return parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = numeric(block, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) {
    sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  }
  return sum === stored;
}

/** "%d key=value\n" records; only the keys GNU tar writes for one member matter here. */
function parsePax(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space === -1) {
      break;
    }
    const length = Number(body.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || at + length > body.length) {
      throw damaged('a pax header record has a bad length');
    }
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) {
      out.set(record.slice(0, eq), record.slice(eq + 1));
    }
    at += length;
  }
  return out;
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return 'file';
    case '5':
      return 'dir';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** The metadata blocks GNU tar puts before a member (long names, pax headers) are small; anything larger is not. */
const MAX_META_BYTES = 1024 * 1024;

/** The bytes of one member, read off the archive as they are asked for. */
function memberContent(bytes: ByteSource, name: string, size: number): { content: TarContent; left(): number } {
  let left = size;
  const content: TarContent = {
    async *[Symbol.asyncIterator]() {
      while (left > 0) {
        const part = await bytes.upTo(Math.min(left, 64 * 1024));
        if (part.length === 0) {
          throw damaged(`it ends inside ${name}`);
        }
        left -= part.length;
        yield part;
      }
    },
  };
  return { content, left: () => left };
}

/** What the metadata records before a member (GNU long names, a pax header) say about it. */
type Pending = { longName?: string; longLink?: string; pax: Map<string, string> };

/** Reads a long-name, long-link or pax record's body into `pending`. */
async function readMeta(bytes: ByteSource, flag: string, size: number, pending: Pending): Promise<void> {
  if (size > MAX_META_BYTES) {
    throw damaged(`a ${flag} header of ${size} bytes`);
  }
  const body = (await bytes.exactly(size)) ?? Buffer.alloc(0);
  if (body.length !== size) {
    throw damaged('it ends inside a header');
  }
  await bytes.skip(padding(size));
  if (flag === 'L') {
    pending.longName = text(body, 0, body.length);
  } else if (flag === 'K') {
    pending.longLink = text(body, 0, body.length);
  } else if (flag === 'x') {
    pending.pax = parsePax(body);
  }
}

/** A member's header, with what the records before it said. */
function entryOf(block: Buffer, flag: string, size: number, pending: Pending): TarEntry {
  const { pax } = pending;
  const magic = block.subarray(257, 263).toString('latin1');
  const prefix = magic === 'ustar\0' ? text(block, 345, 155) : '';
  let name =
    pax.get('path') ?? pending.longName ?? (prefix === '' ? text(block, 0, 100) : `${prefix}/${text(block, 0, 100)}`);
  const paxNumber = (key: string, fallback: number): number => {
    const value = pax.get(key);
    return value === undefined || !/^\d+(\.\d+)?$/.test(value) ? fallback : Number(value);
  };
  const type = typeOf(flag);
  while (name.endsWith('/') && name.length > 1) {
    name = name.slice(0, -1);
  }
  return {
    name,
    type,
    typeFlag: flag,
    mode: numeric(block, 100, 8, 'mode') & 0o7777,
    uid: paxNumber('uid', numeric(block, 108, 8, 'uid')),
    gid: paxNumber('gid', numeric(block, 116, 8, 'gid')),
    uname: pax.get('uname') ?? text(block, 265, 32),
    gname: pax.get('gname') ?? text(block, 297, 32),
    mtimeMs: Math.round(paxNumber('mtime', numeric(block, 136, 12, 'mtime')) * 1000),
    size: type === 'file' ? paxNumber('size', size) : 0,
    linkName: pax.get('linkpath') ?? pending.longLink ?? text(block, 157, 100),
  };
}

/**
 * Reads `source` to the end of the archive and calls `onEntry` for each member in order. A file's content must be
 * consumed (or left: the rest is skipped) before `onEntry`'s promise settles; other entries get empty content.
 * Resolves with the number of members; rejects on a damaged or truncated archive, or with the first error of
 * `onEntry` or of the source.
 */
export async function readTar(
  source: Readable,
  onEntry: (entry: TarEntry, content: TarContent) => Promise<void>,
): Promise<number> {
  const bytes = new ByteSource(source[Symbol.asyncIterator]());
  let members = 0;
  let pending: Pending = { pax: new Map() };
  try {
    for (;;) {
      const block = await bytes.exactly(BLOCK);
      if (block === null) {
        throw damaged('it ends without the end-of-archive blocks');
      }
      if (block.every((b) => b === 0)) {
        // End of archive: GNU tar writes two zero blocks and pads to its record size; what follows is padding.
        await drain(bytes);
        return members;
      }
      if (!checksumOk(block)) {
        throw damaged(`a header checksum does not match at byte ${bytes.offset - BLOCK}`);
      }
      const flag = String.fromCharCode(block[156] as number);
      const size = numeric(block, 124, 12, 'size');
      if (flag === 'L' || flag === 'K' || flag === 'x' || flag === 'g') {
        await readMeta(bytes, flag, size, pending);
        continue;
      }
      const entry = entryOf(block, flag, size, pending);
      const paxSize = pending.pax.get('size');
      pending = { pax: new Map() };
      members += 1;
      // Only regular files carry content here; a body on anything else (GNU's dumpdir, a device) is skipped.
      const bodySize = ['1', '2', '3', '4', '5', '6'].includes(flag)
        ? 0
        : paxSize !== undefined && /^\d+$/.test(paxSize)
          ? Number(paxSize)
          : size;
      const member = memberContent(bytes, entry.name, entry.type === 'file' ? bodySize : 0);
      await onEntry(entry, member.content);
      await bytes.skip(entry.type === 'file' ? member.left() : bodySize);
      await bytes.skip(padding(bodySize));
    }
  } finally {
    await bytes.close();
  }
}

async function drain(bytes: ByteSource): Promise<void> {
  while ((await bytes.upTo(64 * 1024)).length > 0) {
    // Record padding after the end-of-archive blocks.
  }
}
