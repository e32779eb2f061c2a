import { describe, expect, it } from 'vitest';

import { decodeRegister, encodeValue, parseValueInput } from '../../../electron/core/rs485/decode';
import { findRegister } from '../../../electron/core/rs485/profiles';
import type { RegisterDef, Rs485Profile } from '../../../shared/domain/rs485Profile';
import { shippedProfile } from '../../support/rs485-sim/profileDirs';

function reg(profile: Rs485Profile, name: string): RegisterDef {
  const def = findRegister(profile, name);
  if (!def) {
    throw new Error(`no register ${name} in ${profile.id}`);
  }
  return def;
}

describe('decoding registers by the profile', () => {
  it('decodes the power fault flags of 0x0023 bit by bit, keeping the raw word', async () => {
    const power = await shippedProfile('power');
    const flags = reg(power, 'faultFlags');
    const clear = decodeRegister(flags, 0);
    expect(clear).toMatchObject({ raw: 0, rawHex: '0x0000', text: '0x0000: none set', level: 'OK', setBits: [] });

    const underAndLow = decodeRegister(flags, 0b0100_0010);
    expect(underAndLow.rawHex).toBe('0x0042');
    expect(underAndLow.text).toBe('0x0042: undervoltage, battery low');
    expect(underAndLow.setBits).toEqual([
      { bit: 1, name: 'undervoltage', level: 'ERROR' },
      { bit: 6, name: 'battery low', level: 'WARN' },
    ]);
    expect(underAndLow.level).toBe('ERROR');
    expect(underAndLow.reasons).toEqual(['Fault flags: undervoltage', 'Fault flags: battery low']);

    const each = [0, 1, 2, 3, 4, 5, 6, 7].map((bit) => decodeRegister(flags, 1 << bit).setBits?.[0]?.name);
    expect(each).toEqual([
      'overvoltage',
      'undervoltage',
      'overcurrent',
      'overtemperature',
      'communication error',
      'relay fault',
      'battery low',
      'charging fault',
    ]);
    const unknown = decodeRegister(flags, 1 << 12);
    expect(unknown).toMatchObject({ level: 'WARN', text: '0x1000: bit 12' });
    expect(unknown.reasons[0]).toMatch(/bit 12 is set, which the map does not name/);
  });

  it('scales values into their units and judges them by the profile limits', async () => {
    const power = await shippedProfile('power');
    expect(decodeRegister(reg(power, 'packVoltage'), 243)).toMatchObject({ value: 24.3, text: '24.3 V', level: 'OK' });
    const low = decodeRegister(reg(power, 'packVoltage'), 192);
    expect(low).toMatchObject({ value: 19.2, level: 'ERROR' });
    expect(low.reasons).toEqual(['Battery pack voltage 19.2 V is below 20 V']);
    expect(decodeRegister(reg(power, 'stateOfCharge'), 150)).toMatchObject({
      value: 15,
      text: '15.0 %',
      level: 'WARN',
    });
    expect(decodeRegister(reg(power, 'stateOfCharge'), 80).level).toBe('ERROR');
    expect(decodeRegister(reg(power, 'cellVoltageSpread'), 120).level).toBe('WARN');
    // Temperatures are signed words: 0xFFF6 is −10 °C, not 65526 °C.
    expect(decodeRegister(reg(power, 'temperatureAverage'), 0xfff6)).toMatchObject({
      value: -10,
      text: '-10 °C',
      raw: 0xfff6,
    });
    expect(decodeRegister(reg(power, 'packCurrent'), 0xffec)).toMatchObject({ value: -2, text: '-2.0 A' });
    expect(decodeRegister(reg(power, 'temperature0'), 72)).toMatchObject({ level: 'ERROR' });
  });

  it('names enum values and flags the ones the map does not know', async () => {
    const safety = await shippedProfile('safety');
    expect(decodeRegister(reg(safety, 'emergencyStop'), 1)).toMatchObject({
      meaning: 'pressed',
      text: 'pressed (1)',
      level: 'ERROR',
    });
    expect(decodeRegister(reg(safety, 'emergencyStop'), 0)).toMatchObject({ meaning: 'normal', level: 'OK' });
    expect(decodeRegister(reg(safety, 'safetyStatus'), 3)).toMatchObject({ text: 'ESTOP (3)', level: 'ERROR' });
    expect(decodeRegister(reg(safety, 'safetyStatus'), 1)).toMatchObject({ text: 'WARNING (1)', level: 'WARN' });
    const odd = decodeRegister(reg(safety, 'safetyStatus'), 9);
    expect(odd).toMatchObject({ level: 'WARN', text: '9 (not a value the map names)', raw: 9 });
  });

  it('shows versions, hex words and motor/dock codes', async () => {
    const power = await shippedProfile('power');
    expect(decodeRegister(reg(power, 'firmwareVersion'), 0x0101).text).toBe('v1.01');
    expect(decodeRegister(reg(power, 'systemError'), 0x0012)).toMatchObject({ text: '0x0012', level: 'WARN' });
    expect(decodeRegister(reg(power, 'systemError'), 0).level).toBe('OK');
    const travel = await shippedProfile('travel');
    expect(decodeRegister(reg(travel, 'motor1ErrorCode'), 9)).toMatchObject({
      meaning: 'emergency stop',
      level: 'ERROR',
    });
    const dock = await shippedProfile('dock', 'handler');
    expect(decodeRegister(reg(dock, 'dockStatus'), 0x28)).toMatchObject({
      text: '0x0028: docked, fault',
      level: 'ERROR',
    });
    expect(decodeRegister(reg(dock, 'faultCode'), 3)).toMatchObject({ meaning: 'alignment failed', level: 'ERROR' });
  });

  it('encodes values for writing, refusing what the register cannot hold', async () => {
    const power = await shippedProfile('power');
    const vset = reg(power, 'chargerVoltageSet');
    expect(encodeValue(vset, 24.5)).toEqual({ ok: true, raw: 245, value: 24.5 });
    expect(encodeValue(vset, 31)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/outside .*range 0 V\.\.30 V/) as unknown,
    });
    expect(encodeValue(vset, 24.55)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/finer than .* step of 0\.1 V/) as unknown,
    });
    const relay = reg(power, 'chargerOutput');
    expect(encodeValue(relay, 1)).toEqual({ ok: true, raw: 1, value: 1 });
    const safety = await shippedProfile('safety');
    expect(encodeValue(reg(safety, 'safetyMode'), 2)).toMatchObject({ ok: true, raw: 2 });
    const travel = await shippedProfile('travel');
    expect(encodeValue(reg(travel, 'motor1ControlMode'), 0)).toMatchObject({ ok: false });
  });

  it('reads what the technician types: numbers, hex words and enum names', async () => {
    const safety = await shippedProfile('safety');
    const mode = reg(safety, 'safetyMode');
    expect(parseValueInput(mode, 'High')).toBe(1);
    expect(parseValueInput(mode, '2')).toBe(2);
    expect(parseValueInput(mode, '0x0002')).toBe(2);
    expect(parseValueInput(mode, 'loud')).toBeUndefined();
    const power = await shippedProfile('power');
    expect(parseValueInput(reg(power, 'chargerVoltageSet'), '24.5')).toBe(24.5);
  });
});
