import { describe, expect, it } from 'vitest';

import { crc16Modbus, hasValidCrc, withCrc } from '../../../electron/core/rs485/crc16';

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

/**
 * Vectors: the CRC-16/MODBUS check value, and frames printed in the Modbus specifications (Modicon's
 * examples, slave 0x11), cross-checked with pymodbus' own computeCRC.
 */
describe('CRC-16/MODBUS', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it.each([
    ['FC03 request', '11 03 00 6B 00 03', '76 87'],
    ['FC03 reply', '11 03 06 02 2B 00 00 00 64', 'C8 BA'],
    ['FC06 request', '11 06 00 01 00 03', '9A 9B'],
    ['FC16 request', '11 10 00 01 00 02 04 00 0A 01 02', 'C6 F0'],
    ['FC16 reply', '11 10 00 01 00 02', '12 98'],
    ['exception reply', '01 83 02', 'C0 F1'],
    ['FC03 read of 0x0000 ×10', '01 03 00 00 00 0A', 'C5 CD'],
  ])('puts the low byte first: %s', (_name, body, crc) => {
    expect(withCrc(bytes(body))).toEqual(bytes(`${body} ${crc}`));
    expect(hasValidCrc(bytes(`${body} ${crc}`))).toBe(true);
  });

  it('computes over a slice without copying', () => {
    const frame = bytes('FF 11 03 00 6B 00 03 FF');
    expect(crc16Modbus(frame, 1, 7)).toBe(0x8776);
  });

  it('rejects a flipped bit, swapped CRC bytes and frames too short to carry a CRC', () => {
    expect(hasValidCrc(bytes('11 03 00 6B 00 02 76 87'))).toBe(false);
    expect(hasValidCrc(bytes('11 03 00 6B 00 03 87 76'))).toBe(false);
    expect(hasValidCrc(bytes('76 87'))).toBe(false);
    expect(hasValidCrc(new Uint8Array(0))).toBe(false);
  });
});
