import { describe, expect, it } from 'vitest';

import { filterRegisters, formatRaw } from '../../../renderer/features/bus/registerView';
import type { RegisterReading } from '../../../shared/ipc/contracts/rs485';

function register(address: number, name: string, label: string, extra: Partial<RegisterReading> = {}): RegisterReading {
  return {
    address,
    addressHex: `0x${address.toString(16).toUpperCase().padStart(4, '0')}`,
    name,
    label,
    unit: '',
    access: 'R',
    safetyCritical: false,
    min: 0,
    max: 0xffff,
    raw: 0,
    rawHex: '0x0000',
    value: 0,
    text: null,
    level: null,
    reasons: [],
    failure: null,
    ...extra,
  };
}

const MAP = [
  register(0x0000, 'safetyStatus', 'Safety system status', { text: 'ESTOP (3)', meaning: 'ESTOP' }),
  register(0x0001, 'emergencyStop', 'Emergency stop', { text: 'pressed (1)' }),
  register(0x0010, 'packVoltage', 'Pack voltage', { text: '24.3 V' }),
  register(0x0105, 'faultFlags', 'Fault flags', {
    text: '0x0000: none set',
    bits: [
      { bit: 0, name: 'undervoltage', set: false },
      { bit: 1, name: 'overtemperature', set: true },
    ],
  }),
];

const names = (found: RegisterReading[]) => found.map((r) => r.name);

describe('the register filter', () => {
  it('keeps every register for an empty filter', () => {
    expect(names(filterRegisters(MAP, '  '))).toEqual(names(MAP));
  });

  it('matches a hex word against the start of the address only, not against values that look alike', () => {
    expect(names(filterRegisters(MAP, '0x0000'))).toEqual(['safetyStatus']);
    expect(names(filterRegisters(MAP, '0x00'))).toEqual(['safetyStatus', 'emergencyStop', 'packVoltage']);
    expect(names(filterRegisters(MAP, '0x01'))).toEqual(['faultFlags']);
  });

  it('matches words in the name, label, value, meaning and set bits, all of them, whatever the case', () => {
    expect(names(filterRegisters(MAP, 'VOLTAGE'))).toEqual(['packVoltage']);
    expect(names(filterRegisters(MAP, 'estop'))).toEqual(['safetyStatus']);
    expect(names(filterRegisters(MAP, 'stop'))).toEqual(['safetyStatus', 'emergencyStop']);
    expect(names(filterRegisters(MAP, 'emergency pressed'))).toEqual(['emergencyStop']);
    expect(names(filterRegisters(MAP, 'emergency 24'))).toEqual([]);
    // A set bit is found; a clear one is not what the register says now.
    expect(names(filterRegisters(MAP, 'overtemperature'))).toEqual(['faultFlags']);
    expect(names(filterRegisters(MAP, 'undervoltage'))).toEqual([]);
  });
});

describe('raw words', () => {
  it('are written as hex, unsigned or two’s complement', () => {
    expect([formatRaw(0xfff6, 'hex'), formatRaw(0xfff6, 'dec'), formatRaw(0xfff6, 'signed')]).toEqual([
      '0xFFF6',
      '65526',
      '-10',
    ]);
    expect(formatRaw(0x7fff, 'signed')).toBe('32767');
    expect(formatRaw(0x8000, 'signed')).toBe('-32768');
    expect(formatRaw(0x002a, 'hex')).toBe('0x002A');
    expect(formatRaw(null, 'signed')).toBe('—');
  });
});
