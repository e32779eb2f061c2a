import { hasValidCrc } from './crc16';
import {
  decodeReply,
  FC_READ_HOLDING,
  FC_READ_INPUT,
  FC_WRITE_MULTIPLE,
  FC_WRITE_SINGLE,
  MODBUS_LIMITS,
  type ModbusReply,
} from './frame';

/**
 * Frames out of a byte stream that has no reliable silence between them (a pty, an adapter's buffering): the reply
 * to one request assembled by the length its function code and byte count imply, and a stream of unknown
 * direction split the same way, each frame checked by its CRC.
 */

function candidateLengths(bytes: Uint8Array, roles: 'reply' | 'any'): number[] | null {
  const fc = bytes[1];
  if (fc === undefined) {
    return null;
  }
  if (fc & 0x80) {
    return [5];
  }
  const lengths: number[] = [];
  switch (fc) {
    case 0x01:
    case 0x02:
    case FC_READ_HOLDING:
    case FC_READ_INPUT: {
      if (roles === 'any') {
        lengths.push(8);
      }
      const byteCount = bytes[2];
      if (byteCount === undefined) {
        return lengths.length > 0 && bytes.length >= 8 ? lengths : null;
      }
      const isRegisters = fc === FC_READ_HOLDING || fc === FC_READ_INPUT;
      if (byteCount > 0 && byteCount <= 250 && (!isRegisters || byteCount % 2 === 0)) {
        lengths.push(5 + byteCount);
      }
      break;
    }
    case 0x05:
    case FC_WRITE_SINGLE:
      lengths.push(8);
      break;
    case 0x0f:
    case FC_WRITE_MULTIPLE: {
      lengths.push(8);
      if (roles === 'any') {
        const byteCount = bytes[6];
        if (byteCount === undefined) {
          return bytes.length >= 8 ? lengths : null;
        }
        lengths.push(9 + byteCount);
      }
      break;
    }
    default:
      return [];
  }
  return [...new Set(lengths)].sort((a, b) => a - b);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) {
    return Uint8Array.from(b);
  }
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Whether `bytes` begins with `prefix`, compared in place (this runs for every chunk of every reply). */
function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) {
    return false;
  }
  for (let i = 0; i < prefix.length; i += 1) {
    if (bytes[i] !== prefix[i]) {
      return false;
    }
  }
  return true;
}

export type AssemblyEvent =
  /** A CRC-valid reply frame from any slave; judge it against the request with judgeReply. */
  | { kind: 'reply'; bytes: Uint8Array; reply: ModbusReply }
  /** A frame shaped like the awaited reply (right slave, right function) whose CRC fails. */
  | { kind: 'crcError'; bytes: Uint8Array }
  /** The request itself, read back from an adapter that echoes what it sends. */
  | { kind: 'echo'; bytes: Uint8Array }
  /** Bytes that belong to no frame: noise, a wrong baud rate or parity, a cut-off frame. */
  | { kind: 'garbage'; bytes: Uint8Array };

/**
 * Builds the reply to one request from the bytes as they arrive, by the length the function code and byte
 * count imply. Leading bytes that cannot start a frame are skipped and reported as garbage, so a burst of
 * noise before the reply does not hide it. Bounded: it never holds more than one maximal frame of garbage.
 */
export class ReplyAssembler {
  private buffer: Uint8Array = new Uint8Array(0);
  private garbage: number[] = [];
  private echoPossible: boolean;
  private readonly slave: number;
  private readonly fc: number;

  /**
   * @param requestBytes the request as sent.
   * @param expectEcho the adapter echoes every request: strip it first (required for FC06, whose echo and reply
   *   are identical). Without it an exact echo of any other request is still recognised and stripped.
   */
  constructor(
    private readonly requestBytes: Uint8Array,
    private readonly expectEcho = false,
  ) {
    this.slave = requestBytes[0] ?? 0;
    this.fc = requestBytes[1] ?? 0;
    this.echoPossible = expectEcho || this.fc !== FC_WRITE_SINGLE;
  }

  push(chunk: Uint8Array): AssemblyEvent[] {
    this.buffer = concat(this.buffer, chunk);
    const events: AssemblyEvent[] = [];
    for (;;) {
      const step = this.step(events);
      if (step === 'wait') {
        break;
      }
    }
    if (this.garbage.length > MODBUS_LIMITS.maxFrameBytes) {
      this.flushGarbage(events);
    }
    return events;
  }

  /** What is left when the wait ends: held garbage and any incomplete frame, as one garbage event (or none). */
  finish(): AssemblyEvent[] {
    const rest = [...this.garbage, ...this.buffer];
    this.garbage = [];
    this.buffer = new Uint8Array(0);
    return rest.length > 0 ? [{ kind: 'garbage', bytes: Uint8Array.from(rest) }] : [];
  }

  private flushGarbage(events: AssemblyEvent[]): void {
    if (this.garbage.length > 0) {
      events.push({ kind: 'garbage', bytes: Uint8Array.from(this.garbage) });
      this.garbage = [];
    }
  }

  private consume(length: number): Uint8Array {
    const frame = this.buffer.slice(0, length);
    this.buffer = this.buffer.slice(length);
    return frame;
  }

  private skipOne(): void {
    this.garbage.push(this.buffer[0] ?? 0);
    this.buffer = this.buffer.slice(1);
  }

  private step(events: AssemblyEvent[]): 'again' | 'wait' {
    const buf = this.buffer;
    if (buf.length === 0) {
      return 'wait';
    }
    const isEchoPrefix = this.echoPossible && startsWith(this.requestBytes, buf.subarray(0, this.requestBytes.length));
    if (isEchoPrefix && buf.length >= this.requestBytes.length) {
      this.flushGarbage(events);
      events.push({ kind: 'echo', bytes: this.consume(this.requestBytes.length) });
      this.echoPossible = false;
      return 'again';
    }
    if (this.expectEcho && this.echoPossible && !isEchoPrefix) {
      // The adapter was said to echo, but what came back is not the request: read it as a reply.
      this.echoPossible = false;
    }
    if (buf.length < 2) {
      return 'wait';
    }
    const lengths = candidateLengths(buf, 'reply');
    if (lengths === null) {
      return 'wait';
    }
    const length = lengths[0];
    if (length === undefined) {
      if (isEchoPrefix) {
        return 'wait';
      }
      this.skipOne();
      return 'again';
    }
    if (buf.length < length) {
      return 'wait';
    }
    const frame = buf.subarray(0, length);
    if (hasValidCrc(frame)) {
      let reply: ModbusReply;
      try {
        reply = decodeReply(frame);
      } catch {
        this.skipOne();
        return 'again';
      }
      this.flushGarbage(events);
      this.consume(length);
      this.echoPossible = false;
      events.push({ kind: 'reply', bytes: frame, reply });
      return 'again';
    }
    if (isEchoPrefix) {
      // Still possibly the echo of our own request: wait for the rest of it.
      return 'wait';
    }
    const fc = buf[1] ?? 0;
    if (buf[0] === this.slave && (fc === this.fc || fc === (this.fc | 0x80))) {
      this.flushGarbage(events);
      events.push({ kind: 'crcError', bytes: this.consume(length) });
      return 'again';
    }
    this.skipOne();
    return 'again';
  }
}

export type SplitFrame = { bytes: Uint8Array; crcOk: boolean };

/**
 * Splits a byte stream of unknown direction (a passive bus monitor, or bytes that arrive between requests)
 * into frames: a frame is where a request or reply length implied by the function code carries a valid CRC.
 * Bytes that fit no frame come out as one crcOk=false chunk. Call flush() after a silence.
 */
export class RtuStreamSplitter {
  private buffer: Uint8Array = new Uint8Array(0);
  private garbage: number[] = [];

  push(chunk: Uint8Array): SplitFrame[] {
    this.buffer = concat(this.buffer, chunk);
    const out: SplitFrame[] = [];
    for (;;) {
      const buf = this.buffer;
      if (buf.length < 4) {
        break;
      }
      const lengths = candidateLengths(buf, 'any');
      if (lengths === null) {
        break;
      }
      const found = lengths.find((length) => length <= buf.length && hasValidCrc(buf.slice(0, length)));
      if (found !== undefined) {
        this.flushGarbage(out);
        out.push({ bytes: buf.slice(0, found), crcOk: true });
        this.buffer = buf.slice(found);
        continue;
      }
      const waitingFor = lengths.some((length) => length > buf.length);
      if (waitingFor && buf.length < MODBUS_LIMITS.maxFrameBytes) {
        break;
      }
      this.garbage.push(buf[0] ?? 0);
      this.buffer = buf.slice(1);
    }
    if (this.garbage.length >= MODBUS_LIMITS.maxFrameBytes) {
      this.flushGarbage(out);
    }
    return out;
  }

  /** Everything held, as one crcOk=false chunk: the line went quiet before it made a frame. */
  flush(): SplitFrame[] {
    const rest = [...this.garbage, ...this.buffer];
    this.garbage = [];
    this.buffer = new Uint8Array(0);
    return rest.length > 0 ? [{ bytes: Uint8Array.from(rest), crcOk: false }] : [];
  }

  get heldBytes(): number {
    return this.garbage.length + this.buffer.length;
  }

  private flushGarbage(out: SplitFrame[]): void {
    if (this.garbage.length > 0) {
      out.push({ bytes: Uint8Array.from(this.garbage), crcOk: false });
      this.garbage = [];
    }
  }
}
