import { describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import { withCrc } from '../../../electron/core/rs485/crc16';
import {
  decodeReply,
  decodeRequest,
  encodeReply,
  encodeRequest,
  expectedReplyLength,
  judgeReply,
  toHex,
  type ModbusRequest,
} from '../../../electron/core/rs485/frame';
import { ReplyAssembler, RtuStreamSplitter, type AssemblyEvent } from '../../../electron/core/rs485/frameAssembly';
import { describeFrame } from '../../../electron/core/rs485/frameMeaning';

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'no error';
}

const kinds = (events: AssemblyEvent[]): string[] => events.map((e) => `${e.kind}:${toHex(e.bytes)}`);

describe('request frames', () => {
  it('encodes the spec examples for FC03, FC04, FC06 and FC16', () => {
    expect(toHex(encodeRequest({ fc: 0x03, slave: 0x11, address: 0x006b, count: 3 }))).toBe('11 03 00 6B 00 03 76 87');
    expect(toHex(encodeRequest({ fc: 0x04, slave: 0x11, address: 0x0008, count: 1 }))).toBe(
      toHex(withCrc(bytes('11 04 00 08 00 01'))),
    );
    expect(toHex(encodeRequest({ fc: 0x06, slave: 0x11, address: 0x0001, value: 3 }))).toBe('11 06 00 01 00 03 9A 9B');
    expect(toHex(encodeRequest({ fc: 0x10, slave: 0x11, address: 0x0001, values: [0x000a, 0x0102] }))).toBe(
      '11 10 00 01 00 02 04 00 0A 01 02 C6 F0',
    );
  });

  it('round-trips through decodeRequest', () => {
    const requests: ModbusRequest[] = [
      { fc: 0x03, slave: 2, address: 0x0100, count: 9 },
      { fc: 0x04, slave: 247, address: 0xff00, count: 125 },
      { fc: 0x06, slave: 5, address: 0x0109, value: 0xffff },
      { fc: 0x10, slave: 3, address: 0x0030, values: Array.from({ length: 123 }, (_, i) => i * 500) },
    ];
    for (const request of requests) {
      expect(decodeRequest(encodeRequest(request))).toEqual(request);
    }
  });

  it('refuses what the protocol does not allow, as VALIDATION', () => {
    expect(codeOf(() => encodeRequest({ fc: 0x03, slave: 0, address: 0, count: 1 }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x03, slave: 248, address: 0, count: 1 }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x03, slave: 1, address: 0, count: 0 }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x04, slave: 1, address: 0, count: 126 }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x03, slave: 1, address: 0xfff0, count: 17 }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x06, slave: 1, address: 0x10000, value: 1 }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x06, slave: 1, address: 1, value: 65536 }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x06, slave: 1, address: 1, value: -1 }))).toBe('VALIDATION');
    expect(
      codeOf(() => encodeRequest({ fc: 0x10, slave: 1, address: 0, values: new Array<number>(124).fill(0) })),
    ).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x10, slave: 1, address: 0, values: [] }))).toBe('VALIDATION');
    expect(codeOf(() => encodeRequest({ fc: 0x03, slave: 1.5, address: 0, count: 1 }))).toBe('VALIDATION');
  });

  it('knows the length of each normal reply', () => {
    expect(expectedReplyLength({ fc: 0x03, slave: 1, address: 0, count: 10 })).toBe(25);
    expect(expectedReplyLength({ fc: 0x06, slave: 1, address: 0, value: 1 })).toBe(8);
    expect(expectedReplyLength({ fc: 0x10, slave: 1, address: 0, values: [1, 2] })).toBe(8);
  });
});

describe('reply frames', () => {
  it('decodes the spec FC03 reply, write confirmations and exceptions', () => {
    expect(decodeReply(bytes('11 03 06 02 2B 00 00 00 64 C8 BA'))).toEqual({
      kind: 'registers',
      fc: 3,
      slave: 0x11,
      values: [0x022b, 0, 0x64],
    });
    expect(decodeReply(bytes('11 06 00 01 00 03 9A 9B'))).toEqual({
      kind: 'writeSingle',
      fc: 6,
      slave: 0x11,
      address: 1,
      value: 3,
    });
    expect(decodeReply(bytes('11 10 00 01 00 02 12 98'))).toEqual({
      kind: 'writeMultiple',
      fc: 0x10,
      slave: 0x11,
      address: 1,
      count: 2,
    });
    expect(decodeReply(bytes('01 83 02 C0 F1'))).toEqual({ kind: 'exception', fc: 3, slave: 1, exceptionCode: 2 });
  });

  it('round-trips encodeReply', () => {
    const reply = { kind: 'registers' as const, fc: 0x04 as const, slave: 9, values: [1, 65535, 0x1234] };
    expect(decodeReply(encodeReply(reply))).toEqual(reply);
  });

  it('reports a CRC error as MODBUS_CRC and a wrong shape as MODBUS_BAD_FRAME', () => {
    expect(codeOf(() => decodeReply(bytes('11 03 06 02 2B 00 00 00 64 C8 BB')))).toBe('MODBUS_CRC');
    expect(codeOf(() => decodeReply(withCrc(bytes('11 03 05 02 2B 00 00 00'))))).toBe('MODBUS_BAD_FRAME');
    expect(codeOf(() => decodeReply(bytes('11 03 00')))).toBe('MODBUS_BAD_FRAME');
    expect(codeOf(() => decodeReply(withCrc(new Uint8Array(300).fill(0x11))))).toBe('MODBUS_BAD_FRAME');
    expect(codeOf(() => decodeReply(withCrc(bytes('01 83 02 00'))))).toBe('MODBUS_BAD_FRAME');
  });

  it('judges a reply against its request', () => {
    const read: ModbusRequest = { fc: 0x03, slave: 2, address: 0x0100, count: 2 };
    expect(judgeReply(read, { kind: 'registers', fc: 3, slave: 2, values: [1, 2] })).toEqual({ kind: 'answer' });
    expect(judgeReply(read, { kind: 'registers', fc: 3, slave: 3, values: [1, 2] })).toEqual({ kind: 'wrongSlave' });
    expect(judgeReply(read, { kind: 'exception', fc: 3, slave: 2, exceptionCode: 2 })).toEqual({
      kind: 'exception',
      exceptionCode: 2,
    });
    expect(judgeReply(read, { kind: 'registers', fc: 3, slave: 2, values: [1] }).kind).toBe('mismatch');
    expect(judgeReply(read, { kind: 'registers', fc: 4, slave: 2, values: [1, 2] }).kind).toBe('mismatch');
    const write: ModbusRequest = { fc: 0x06, slave: 2, address: 0x0101, value: 5 };
    expect(judgeReply(write, { kind: 'writeSingle', fc: 6, slave: 2, address: 0x0101, value: 4 }).kind).toBe(
      'mismatch',
    );
  });
});

describe('ReplyAssembler', () => {
  const request = encodeRequest({ fc: 0x03, slave: 2, address: 0x0100, count: 2 });
  const reply = encodeReply({ kind: 'registers', fc: 3, slave: 2, values: [2, 0x0102] });

  it('assembles a reply that arrives one byte at a time', () => {
    const assembler = new ReplyAssembler(request);
    const events: AssemblyEvent[] = [];
    for (const byte of reply) {
      events.push(...assembler.push(Uint8Array.of(byte)));
    }
    expect(kinds(events)).toEqual([`reply:${toHex(reply)}`]);
    expect(assembler.finish()).toEqual([]);
  });

  it('skips garbage in front of the reply and reports it', () => {
    const assembler = new ReplyAssembler(request);
    const events = assembler.push(Uint8Array.from([0xff, 0x00, 0x42, ...reply]));
    expect(kinds(events)).toEqual(['garbage:FF 00 42', `reply:${toHex(reply)}`]);
  });

  it('reports a garbled reply from the addressed slave as a CRC error, once it is complete', () => {
    const garbled = Uint8Array.from(reply);
    garbled[4] = (garbled[4] ?? 0) ^ 0x10;
    const assembler = new ReplyAssembler(request);
    expect(assembler.push(garbled.slice(0, 5))).toEqual([]);
    expect(kinds(assembler.push(garbled.slice(5)))).toEqual([`crcError:${toHex(garbled)}`]);
  });

  it('hands over a reply from another slave for judging, and keeps going', () => {
    const other = encodeReply({ kind: 'registers', fc: 3, slave: 3, values: [3, 3] });
    const events = new ReplyAssembler(request).push(Uint8Array.from([...other, ...reply]));
    expect(kinds(events)).toEqual([`reply:${toHex(other)}`, `reply:${toHex(reply)}`]);
  });

  it('leaves bytes after the reply (an oversize answer) for finish()', () => {
    const assembler = new ReplyAssembler(request);
    expect(kinds(assembler.push(Uint8Array.from([...reply, 0xde, 0xad])))).toEqual([`reply:${toHex(reply)}`]);
    expect(kinds(assembler.finish())).toEqual(['garbage:DE AD']);
  });

  it('strips an exact echo of the request (FC03) without being told', () => {
    const events = new ReplyAssembler(request).push(Uint8Array.from([...request, ...reply]));
    expect(kinds(events)).toEqual([`echo:${toHex(request)}`, `reply:${toHex(reply)}`]);
  });

  it('strips the echo of a FC06 write only when told the adapter echoes, since echo and reply look the same', () => {
    const write = encodeRequest({ fc: 0x06, slave: 2, address: 0x0101, value: 5 });
    expect(kinds(new ReplyAssembler(write).push(write))).toEqual([`reply:${toHex(write)}`]);
    const echoing = new ReplyAssembler(write, true);
    expect(kinds(echoing.push(write))).toEqual([`echo:${toHex(write)}`]);
    expect(kinds(echoing.push(write))).toEqual([`reply:${toHex(write)}`]);
  });

  it('keeps at most one frame of garbage before reporting it (noise, a wrong baud rate)', () => {
    const assembler = new ReplyAssembler(request);
    const events = assembler.push(new Uint8Array(1000).fill(0xff));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.kind === 'garbage')).toBe(true);
    const held = assembler.finish().reduce((n, e) => n + e.bytes.length, 0);
    expect(events.reduce((n, e) => n + e.bytes.length, 0) + held).toBe(1000);
  });
});

describe('RtuStreamSplitter', () => {
  const request = encodeRequest({ fc: 0x03, slave: 2, address: 0x0100, count: 1 });
  const reply = encodeReply({ kind: 'registers', fc: 3, slave: 2, values: [2] });
  const write = encodeRequest({ fc: 0x10, slave: 4, address: 0x0030, values: [1, 2, 3] });
  const writeReply = encodeReply({ kind: 'writeMultiple', fc: 0x10, slave: 4, address: 0x0030, count: 3 });

  it('splits a stream of requests and replies however it is chunked', () => {
    const stream = Uint8Array.from([...request, ...reply, ...write, ...writeReply]);
    for (const size of [1, 3, 7, stream.length]) {
      const splitter = new RtuStreamSplitter();
      const frames = [];
      for (let i = 0; i < stream.length; i += size) {
        frames.push(...splitter.push(stream.slice(i, i + size)));
      }
      expect(frames.map((f) => toHex(f.bytes))).toEqual([request, reply, write, writeReply].map((b) => toHex(b)));
      expect(frames.every((f) => f.crcOk)).toBe(true);
    }
  });

  it('reports noise between frames, and what is held when the line goes quiet', () => {
    const splitter = new RtuStreamSplitter();
    const frames = splitter.push(Uint8Array.from([0x00, 0xff, ...request, 0x02, 0x03]));
    expect(frames.map((f) => [toHex(f.bytes), f.crcOk])).toEqual([
      ['00 FF', false],
      [toHex(request), true],
    ]);
    expect(splitter.heldBytes).toBe(2);
    expect(splitter.flush().map((f) => [toHex(f.bytes), f.crcOk])).toEqual([['02 03', false]]);
  });
});

describe('describeFrame', () => {
  it('says what a frame means', () => {
    expect(describeFrame(encodeRequest({ fc: 0x03, slave: 2, address: 0x0100, count: 1 }))).toBe(
      'slave 2 FC03 read 0x0100 ×1',
    );
    expect(describeFrame(encodeReply({ kind: 'registers', fc: 3, slave: 2, values: [2] }))).toBe(
      'slave 2 FC03 reply: 2',
    );
    expect(describeFrame(bytes('01 83 02 C0 F1'))).toBe('slave 1 exception 02 (illegal data address) to FC03');
    expect(describeFrame(encodeRequest({ fc: 0x06, slave: 2, address: 0x0109, value: 1 }), 'reply')).toBe(
      'slave 2 FC06 write 0x0109 = 1 done',
    );
    expect(describeFrame(encodeRequest({ fc: 0x10, slave: 4, address: 0x30, values: [1, 2] }))).toBe(
      'slave 4 FC10 write 0x0030 ×2: 1 2',
    );
    expect(describeFrame(bytes('02 03 02 00'))).toMatch(/^CRC error: 4 bytes/);
  });
});
