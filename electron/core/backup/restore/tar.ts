import { Readable } from 'node:stream';

import { AppError } from '../../../../shared/errors/AppError';

/**
 * The small part of POSIX tar (ustar with pax extended headers) a restore needs: regular files sent to the unit, and
 * regular files read back from it for the snapshot. GNU tar on the unit reads and writes it.
 */
const BLOCK = 512;

export type TarOutMember = {
  /** Relative to `/` on the unit (no leading slash). */
  name: string;
  size: number;
  /**
   * The owner and mode tar gives the file it extracts (as root, with --same-owner --same-permissions): the name where
   * the unit has such an account, else the number. Absent: root-only 0600.
   */
  owner?: { mode: number; uid: number; gid: number; uname: string; gname: string };
  open(): Promise<Readable>;
};

type HeaderOwner = NonNullable<TarOutMember['owner']>;
const ROOT_ONLY: HeaderOwner = { mode: 0o600, uid: 0, gid: 0, uname: '', gname: '' };
/** The largest id the 8-byte octal field holds; a larger one travels in the pax header. */
const MAX_OCTAL_ID = 0o7777777;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) {
    length = String(length).length + Buffer.byteLength(body);
  }
  return `${length}${body}`;
}

function header(name: string, size: number, type: string, owner: HeaderOwner): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(owner.mode, 8), 100, 'ascii');
  block.write(octal(Math.min(owner.uid, MAX_OCTAL_ID), 8), 108, 'ascii');
  block.write(octal(Math.min(owner.gid, MAX_OCTAL_ID), 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  // Plain account names only (the manifest's safety rules): they fit the 32-byte fields.
  block.write(owner.uname.slice(0, 31), 265, 32, 'utf8');
  block.write(owner.gname.slice(0, 31), 297, 32, 'utf8');
  let sum = 0;
  for (const byte of block) {
    sum += byte;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** A numeric owner's name written out is no name at all: tar then uses the number, as the restore wants. */
const nameOf = (name: string): string => (/^\d+$/.test(name) ? '' : name);

/**
 * A file's header: plain ustar when everything fits, else a pax header before it carrying the path, a huge size or a
 * large owner id.
 */
function memberHeader(name: string, size: number, given: HeaderOwner = ROOT_ONLY): Buffer[] {
  const owner = { ...given, uname: nameOf(given.uname), gname: nameOf(given.gname) };
  const records =
    (Buffer.byteLength(name) < 100 ? '' : paxRecord('path', name)) +
    (size < 8 ** 11 ? '' : paxRecord('size', String(size))) +
    (owner.uid <= MAX_OCTAL_ID ? '' : paxRecord('uid', String(owner.uid))) +
    (owner.gid <= MAX_OCTAL_ID ? '' : paxRecord('gid', String(owner.gid)));
  const plain = header(Buffer.byteLength(name) < 100 ? name : 'ohtw-long-name', size < 8 ** 11 ? size : 0, '0', owner);
  if (records === '') {
    return [plain];
  }
  const pax = Buffer.from(records);
  return [header('ohtw-pax', pax.length, 'x', ROOT_ONLY), pax, padding(pax.length), plain];
}

/** The archive as a stream of buffers; each member's content must be exactly its size (else BACKUP_DAMAGED). */
export async function* tarStream(members: Iterable<TarOutMember>): AsyncGenerator<Buffer> {
  for (const member of members) {
    yield* memberHeader(member.name, member.size, member.owner);
    const content = await member.open();
    let sent = 0;
    try {
      for await (const chunk of content as AsyncIterable<Buffer>) {
        sent += chunk.length;
        if (sent > member.size) {
          break;
        }
        yield chunk;
      }
    } finally {
      content.destroy();
    }
    if (sent !== member.size) {
      throw new AppError('BACKUP_DAMAGED', `/${member.name}: the backup delivered ${sent} bytes, not ${member.size}`, {
        details: { path: `/${member.name}` },
      });
    }
    yield padding(member.size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Pulls exact byte counts out of a stream. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(stream: Readable) {
    this.iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done === true) {
        this.ended = true;
      } else {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
    return this.length >= n;
  }

  /** Up to `max` bytes (at least one), or null at the end. */
  async some(max: number): Promise<Buffer | null> {
    if (!(await this.fill(1))) {
      return null;
    }
    const all = Buffer.concat(this.buffered);
    const take = all.subarray(0, Math.min(max, all.length));
    const rest = all.subarray(take.length);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return take;
  }

  async exactly(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const piece = await this.some(n - got);
      if (piece === null) {
        throw new AppError('COMMAND_FAILED', 'the archive from the unit ended in the middle of a file');
      }
      parts.push(piece);
      got += piece.length;
    }
    return Buffer.concat(parts, n);
  }
}

function parseOctal(field: Buffer): number {
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i += 1) {
      value = value * 256 + (field[i] ?? 0);
    }
    return value;
  }
  const text = field
    .toString('ascii')
    .replace(/[\0 ]+$/g, '')
    .trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function parsePax(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const length = Number(body.subarray(at, space).toString('ascii'));
    if (space < 0 || !Number.isInteger(length) || length <= 0) {
      break;
    }
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

/**
 * Reads a tar stream and hands each regular file to `onFile` with its content as a stream (the
 * reader moves on once onFile resolves, which must have read it to its end). Other member types are skipped.
 */
export async function readTar(
  stream: Readable,
  onFile: (name: string, size: number, content: Readable) => Promise<void>,
): Promise<void> {
  const reader = new ByteReader(stream);
  let longName: string | undefined;
  let pax = new Map<string, string>();
  for (;;) {
    const block = await reader.exactly(BLOCK);
    if (block.every((b) => b === 0)) {
      return;
    }
    const type = String.fromCharCode(block[156] ?? 0);
    let size = parseOctal(block.subarray(124, 136));
    if (type === 'x' || type === 'L' || type === 'g') {
      const body = await reader.exactly(size);
      await reader.exactly(padding(size).length);
      if (type === 'x') {
        pax = parsePax(body);
      } else if (type === 'L') {
        longName = cString(body);
      }
      continue;
    }
    const prefix = cString(block.subarray(345, 500));
    const name =
      pax.get('path') ??
      longName ??
      (prefix === '' ? cString(block.subarray(0, 100)) : `${prefix}/${cString(block.subarray(0, 100))}`);
    const paxSize = pax.get('size');
    if (paxSize !== undefined) {
      size = Number(paxSize);
    }
    pax = new Map();
    longName = undefined;
    const isFile = type === '0' || type === '\0' || type === '7';
    if (!isFile) {
      await reader.exactly(size + padding(size).length);
      continue;
    }
    let left = size;
    const content = Readable.from(
      (async function* () {
        while (left > 0) {
          const piece = await reader.some(Math.min(left, 256 * 1024));
          if (piece === null) {
            throw new AppError('COMMAND_FAILED', `the archive from the unit ended in the middle of ${name}`);
          }
          left -= piece.length;
          yield piece;
        }
      })(),
      { objectMode: false },
    );
    await onFile(name, size, content);
    if (left > 0) {
      content.destroy();
      throw new AppError('COMMAND_FAILED', `${name} from the unit was not read to its end`);
    }
    await reader.exactly(padding(size).length);
  }
}
