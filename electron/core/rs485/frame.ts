/**
 * The Modbus RTU codec: pure functions over Uint8Array, no I/O and no time.
 *
 * A frame is `slave, function code, data…, CRC low, CRC high`. A pty (and a USB adapter's buffering) has no
 * reliable 3.5-character silence between frames, so replies are assembled by the length their function code
 * and byte count imply, and checked by CRC; a stream of unknown direction is split the same way.
 */
import { hex4 } from '../../../shared/domain/rs485Text';
import { AppError } from '../../../shared/errors/AppError';
import { hasValidCrc, withCrc } from './crc16';

export const FC_READ_HOLDING = 0x03;
export const FC_READ_INPUT = 0x04;
export const FC_WRITE_SINGLE = 0x06;
export const FC_WRITE_MULTIPLE = 0x10;

export type ReadFunctionCode = typeof FC_READ_HOLDING | typeof FC_READ_INPUT;

/** Limits from the Modbus application protocol (and the OHT-50 firmware, which uses the same). */
export const MODBUS_LIMITS = {
  minSlave: 1,
  maxSlave: 247,
  maxReadCount: 125,
  maxWriteCount: 123,
  /** The largest RTU frame: address, 253 bytes of PDU, CRC. */
  maxFrameBytes: 256,
} as const;

export type ModbusRequest =
  | { fc: ReadFunctionCode; slave: number; address: number; count: number }
  | { fc: typeof FC_WRITE_SINGLE; slave: number; address: number; value: number }
  | { fc: typeof FC_WRITE_MULTIPLE; slave: number; address: number; values: readonly number[] };

export type ModbusReply =
  | { kind: 'registers'; fc: ReadFunctionCode; slave: number; values: number[] }
  | { kind: 'writeSingle'; fc: typeof FC_WRITE_SINGLE; slave: number; address: number; value: number }
  | { kind: 'writeMultiple'; fc: typeof FC_WRITE_MULTIPLE; slave: number; address: number; count: number }
  /** `fc` is the function code the exception answers, without the 0x80 flag. */
  | { kind: 'exception'; fc: number; slave: number; exceptionCode: number }
  /** A well-formed frame of a function this master does not issue (coils, discrete inputs). */
  | { kind: 'other'; fc: number; slave: number; data: Uint8Array };

export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  0x01: 'illegal function',
  0x02: 'illegal data address',
  0x03: 'illegal data value',
  0x04: 'slave device failure',
  0x05: 'acknowledge',
  0x06: 'slave device busy',
  0x08: 'memory parity error',
  0x0a: 'gateway path unavailable',
  0x0b: 'gateway target failed to respond',
};

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? 'unknown exception';
}

export function hex2(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}

export { hex4 };

/** `01 03 00 00 00 0A C5 CD` */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, hex2).join(' ');
}

function invalid(message: string, details: Record<string, number>): AppError {
  return new AppError('VALIDATION', message, { details });
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}, not ${String(value)}`, { [name]: value });
  }
}

/** Throws VALIDATION for a request the protocol does not allow; broadcasts (slave 0) are not sent by this master. */
export function validateRequest(request: ModbusRequest): void {
  checkInt('slave', request.slave, MODBUS_LIMITS.minSlave, MODBUS_LIMITS.maxSlave);
  checkInt('address', request.address, 0, 0xffff);
  switch (request.fc) {
    case FC_READ_HOLDING:
    case FC_READ_INPUT:
      checkInt('count', request.count, 1, MODBUS_LIMITS.maxReadCount);
      checkInt('last address', request.address + request.count - 1, 0, 0xffff);
      return;
    case FC_WRITE_SINGLE:
      checkInt('value', request.value, 0, 0xffff);
      return;
    case FC_WRITE_MULTIPLE:
      checkInt('count', request.values.length, 1, MODBUS_LIMITS.maxWriteCount);
      checkInt('last address', request.address + request.values.length - 1, 0, 0xffff);
      request.values.forEach((value) => checkInt('value', value, 0, 0xffff));
      return;
  }
}

/** The request frame with its CRC; throws VALIDATION for values outside the protocol's limits. */
export function encodeRequest(request: ModbusRequest): Uint8Array {
  validateRequest(request);
  const head = [request.slave, request.fc, request.address >>> 8, request.address & 0xff];
  switch (request.fc) {
    case FC_READ_HOLDING:
    case FC_READ_INPUT:
      return withCrc(Uint8Array.from([...head, request.count >>> 8, request.count & 0xff]));
    case FC_WRITE_SINGLE:
      return withCrc(Uint8Array.from([...head, request.value >>> 8, request.value & 0xff]));
    case FC_WRITE_MULTIPLE: {
      const n = request.values.length;
      const body = [...head, n >>> 8, n & 0xff, n * 2];
      for (const value of request.values) {
        body.push(value >>> 8, value & 0xff);
      }
      return withCrc(Uint8Array.from(body));
    }
  }
}

/** How many bytes the normal (non-exception) reply to `request` has, CRC included. */
export function expectedReplyLength(request: ModbusRequest): number {
  switch (request.fc) {
    case FC_READ_HOLDING:
    case FC_READ_INPUT:
      return 5 + request.count * 2;
    case FC_WRITE_SINGLE:
    case FC_WRITE_MULTIPLE:
      return 8;
  }
}

/** The big-endian 16-bit word at `at`. */
export const word = (bytes: Uint8Array, at: number): number => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);

function badFrame(message: string, bytes: Uint8Array): AppError {
  return new AppError('MODBUS_BAD_FRAME', message, { details: { bytes: toHex(bytes) } });
}

/** Decodes a request frame (what a slave, a simulator or the bus monitor sees). Throws MODBUS_CRC or MODBUS_BAD_FRAME. */
export function decodeRequest(frame: Uint8Array): ModbusRequest {
  if (!hasValidCrc(frame)) {
    throw new AppError('MODBUS_CRC', 'The request frame fails its CRC check', { details: { bytes: toHex(frame) } });
  }
  const slave = frame[0] ?? 0;
  const fc = frame[1] ?? 0;
  const address = word(frame, 2);
  if ((fc === FC_READ_HOLDING || fc === FC_READ_INPUT || fc === FC_WRITE_SINGLE) && frame.length === 8) {
    return fc === FC_WRITE_SINGLE
      ? { fc, slave, address, value: word(frame, 4) }
      : { fc, slave, address, count: word(frame, 4) };
  }
  if (fc === FC_WRITE_MULTIPLE && frame.length >= 11) {
    const count = word(frame, 4);
    const byteCount = frame[6] ?? 0;
    if (byteCount === count * 2 && frame.length === 9 + byteCount) {
      const values = Array.from({ length: count }, (_, i) => word(frame, 7 + i * 2));
      return { fc, slave, address, values };
    }
  }
  throw badFrame(`Not a request this master understands (function ${hex2(fc)}, ${frame.length} bytes)`, frame);
}

/** Encodes a reply (what a slave or simulator sends back). */
export function encodeReply(reply: ModbusReply): Uint8Array {
  switch (reply.kind) {
    case 'registers': {
      const body = [reply.slave, reply.fc, reply.values.length * 2];
      for (const value of reply.values) {
        body.push((value >>> 8) & 0xff, value & 0xff);
      }
      return withCrc(Uint8Array.from(body));
    }
    case 'writeSingle':
      return withCrc(
        Uint8Array.from([
          reply.slave,
          reply.fc,
          reply.address >>> 8,
          reply.address & 0xff,
          reply.value >>> 8,
          reply.value & 0xff,
        ]),
      );
    case 'writeMultiple':
      return withCrc(
        Uint8Array.from([
          reply.slave,
          reply.fc,
          reply.address >>> 8,
          reply.address & 0xff,
          reply.count >>> 8,
          reply.count & 0xff,
        ]),
      );
    case 'exception':
      return withCrc(Uint8Array.from([reply.slave, reply.fc | 0x80, reply.exceptionCode]));
    case 'other':
      return withCrc(Uint8Array.from([reply.slave, reply.fc, ...reply.data]));
  }
}

/** Decodes a reply frame. Throws MODBUS_CRC when the CRC fails and MODBUS_BAD_FRAME when the shape is wrong. */
export function decodeReply(frame: Uint8Array): ModbusReply {
  if (frame.length < 5) {
    throw badFrame(`A reply of ${frame.length} bytes is too short to be Modbus`, frame);
  }
  if (frame.length > MODBUS_LIMITS.maxFrameBytes) {
    throw badFrame(`A reply of ${frame.length} bytes is longer than any Modbus RTU frame`, frame);
  }
  if (!hasValidCrc(frame)) {
    throw new AppError('MODBUS_CRC', 'The reply fails its CRC check', { details: { bytes: toHex(frame) } });
  }
  const slave = frame[0] ?? 0;
  const fc = frame[1] ?? 0;
  if (fc & 0x80) {
    if (frame.length !== 5) {
      throw badFrame('An exception reply must be 5 bytes long', frame);
    }
    return { kind: 'exception', fc: fc & 0x7f, slave, exceptionCode: frame[2] ?? 0 };
  }
  switch (fc) {
    case FC_READ_HOLDING:
    case FC_READ_INPUT: {
      const byteCount = frame[2] ?? 0;
      if (byteCount % 2 !== 0 || frame.length !== 5 + byteCount) {
        throw badFrame(`A register reply whose byte count (${byteCount}) does not fit its length`, frame);
      }
      const values = Array.from({ length: byteCount / 2 }, (_, i) => word(frame, 3 + i * 2));
      return { kind: 'registers', fc, slave, values };
    }
    case FC_WRITE_SINGLE:
    case FC_WRITE_MULTIPLE:
      if (frame.length !== 8) {
        throw badFrame('A write reply must be 8 bytes long', frame);
      }
      return fc === FC_WRITE_SINGLE
        ? { kind: 'writeSingle', fc, slave, address: word(frame, 2), value: word(frame, 4) }
        : { kind: 'writeMultiple', fc, slave, address: word(frame, 2), count: word(frame, 4) };
    default:
      return { kind: 'other', fc, slave, data: frame.slice(2, frame.length - 2) };
  }
}

export type ReplyVerdict =
  | { kind: 'answer' }
  | { kind: 'exception'; exceptionCode: number }
  | { kind: 'wrongSlave' }
  /** From the addressed slave, but not an answer to this request (another function, or the wrong size). */
  | { kind: 'mismatch'; reason: string };

/** Whether a CRC-valid reply answers `request`. */
export function judgeReply(request: ModbusRequest, reply: ModbusReply): ReplyVerdict {
  if (reply.slave !== request.slave) {
    return { kind: 'wrongSlave' };
  }
  if (reply.fc !== request.fc) {
    return { kind: 'mismatch', reason: `a reply to function ${hex2(reply.fc)} instead of ${hex2(request.fc)}` };
  }
  switch (reply.kind) {
    case 'exception':
      return { kind: 'exception', exceptionCode: reply.exceptionCode };
    case 'registers':
      if ((request.fc === FC_READ_HOLDING || request.fc === FC_READ_INPUT) && reply.values.length !== request.count) {
        return { kind: 'mismatch', reason: `${reply.values.length} registers instead of ${request.count}` };
      }
      return { kind: 'answer' };
    case 'writeSingle':
      if (request.fc === FC_WRITE_SINGLE && (reply.address !== request.address || reply.value !== request.value)) {
        return {
          kind: 'mismatch',
          reason: `the write was confirmed as ${hex4(reply.address)} = ${reply.value}, not ${hex4(request.address)} = ${request.value}`,
        };
      }
      return { kind: 'answer' };
    case 'writeMultiple':
      if (
        request.fc === FC_WRITE_MULTIPLE &&
        (reply.address !== request.address || reply.count !== request.values.length)
      ) {
        return {
          kind: 'mismatch',
          reason: `the write was confirmed as ${reply.count} registers at ${hex4(reply.address)}, not ${request.values.length} at ${hex4(request.address)}`,
        };
      }
      return { kind: 'answer' };
    case 'other':
      return { kind: 'mismatch', reason: `an unexpected function ${hex2(reply.fc)}` };
  }
}

/**
 * The lengths a frame starting with `bytes` could have, as a request or as a reply, or null while a needed
 * byte (a byte count) has not arrived yet. Empty when the function code is unknown.
 */
