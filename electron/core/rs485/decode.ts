import type { Said } from '../../../shared/domain/said';
import { say, sayIn } from '../../../shared/domain/words';
import { worstLevel } from '../../../shared/domain/health';
import type { JudgedLevel, RegisterDef } from '../../../shared/domain/rs485Profile';

/**
 * Raw register words to what they mean, by the profile: the engineering value with its unit, the enum name or the
 * set bits, and a verdict from the profile's limits. The raw word always travels with it, so that a wrong map is
 * visible as a strange value next to the word that was really read.
 */

export type DecodedBit = { bit: number; name: string | null; level: JudgedLevel };

export type Decoded = {
  address: number;
  name: string;
  label: string;
  /** The 16-bit word as read, 0..65535. */
  raw: number;
  rawHex: string;
  /** raw (as signed where the register is) × scale, rounded to the register's resolution. */
  value: number;
  unit: string;
  /** For people: "24.3 V", "ESTOP (3)", "0x0042: undervoltage, battery low", "v1.01". */
  text: string;
  /** The enum name of the value, when the register has enum values and this one is known. */
  meaning?: string | undefined;
  /** The set bits, when the register is a bit field. */
  setBits?: DecodedBit[] | undefined;
  level: JudgedLevel;
  /** Why the level is not OK, one short phrase each. */
  reasons: string[];
  /** The same reasons as words for every language. */
  reasonsSaid?: Said[] | undefined;
};

export function rawHex(raw: number): string {
  return `0x${(raw & 0xffff).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Decimal places the register's scale gives (0.1 → 1, 0.01 → 2, 1 → 0). */
export function decimalsOf(scale: number): number {
  if (scale >= 1) {
    return 0;
  }
  return Math.min(6, Math.max(0, Math.ceil(-Math.log10(scale) - 1e-9)));
}

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** The engineering value of a raw word. */
export function valueOf(def: RegisterDef, raw: number): number {
  const word = raw & 0xffff;
  const signed = def.signed === true && word >= 0x8000 ? word - 0x10000 : word;
  return roundTo(signed * def.scale, decimalsOf(def.scale));
}

/** A value in the register's units, as people read it ("24.3 V", "ESTOP (3)"), without judging it. */
export function formatValue(def: RegisterDef, value: number): string {
  const entry = def.enum?.find((e) => e.value === value);
  if (entry) {
    return `${entry.name} (${value})`;
  }
  const number = value.toFixed(decimalsOf(def.scale));
  return def.unit === '' ? number : `${number} ${def.unit}`;
}

type Reason = { level: JudgedLevel; said: Said };

/** How the register's word reads: by its enum, its named bits, or its display (with the reasons it is not OK). */
type WordReading = { text: string; meaning?: string | undefined; setBits?: DecodedBit[] | undefined };

export function decodeRegister(def: RegisterDef, raw: number): Decoded {
  const word = raw & 0xffff;
  const value = valueOf(def, word);
  const reasons: Reason[] = [];
  const reading: WordReading = def.enum
    ? enumReading(def, word, reasons)
    : def.bits
      ? bitsReading(def, word, reasons)
      : { text: displayText(def, word, value) };
  alarmReasons(def, word, value, reasons);
  if (!def.enum && (value < def.min || value > def.max) && reasons.length === 0) {
    reasons.push({
      level: 'WARN',
      said: say('bus.outOfRange', { label: def.label, value: formatValue(def, value), min: def.min, max: def.max }),
    });
  }
  return {
    address: def.address,
    name: def.name,
    label: def.label,
    raw: word,
    rawHex: rawHex(word),
    value,
    unit: def.unit,
    text: reading.text,
    meaning: reading.meaning,
    setBits: reading.setBits,
    level: worstLevel(reasons.map((r) => r.level)) as JudgedLevel,
    reasons: reasons.map((r) => sayIn(r.said, 'en')),
    reasonsSaid: reasons.map((r) => r.said),
  };
}

function enumReading(def: RegisterDef, word: number, reasons: Reason[]): WordReading {
  const label = def.label;
  const entry = def.enum?.find((e) => e.value === word);
  if (!entry) {
    reasons.push({ level: 'WARN', said: say('bus.unnamedValue', { label, value: word }) });
    return { text: `${word} (not a value the map names)` };
  }
  const level = entry.level ?? 'OK';
  if (level !== 'OK') {
    reasons.push({ level, said: say('bus.isEnum', { label, value: entry.name }) });
  }
  return { text: `${entry.name} (${word})`, meaning: entry.name };
}

function bitsReading(def: RegisterDef, word: number, reasons: Reason[]): WordReading {
  const label = def.label;
  const setBits: DecodedBit[] = [];
  for (let bit = 0; bit < 16; bit += 1) {
    if ((word & (1 << bit)) === 0) {
      continue;
    }
    const known = def.bits?.find((b) => b.bit === bit);
    setBits.push({ bit, name: known?.name ?? null, level: known ? (known.level ?? 'OK') : 'WARN' });
  }
  const names = setBits.map((b) => b.name ?? `bit ${b.bit}`);
  for (const b of setBits) {
    if (b.level !== 'OK') {
      reasons.push({
        level: b.level,
        said: b.name === null ? say('bus.unnamedBit', { label, bit: b.bit }) : say('bus.bit', { label, bit: b.name }),
      });
    }
  }
  return { text: setBits.length === 0 ? `${rawHex(word)}: none set` : `${rawHex(word)}: ${names.join(', ')}`, setBits };
}

/** The map's alarm limits: below errorBelow/warnBelow, above errorAbove/warnAbove. */
function alarmReasons(def: RegisterDef, word: number, value: number, reasons: Reason[]): void {
  const alarm = def.alarm;
  if (!alarm) {
    return;
  }
  const label = def.label;
  const withUnit = formatValue(def, value);
  const beyond = (key: 'bus.below' | 'bus.above', bound: number): Said =>
    say(key, { label, value: withUnit, limit: limit(def, bound) });
  if (alarm.errorBelow !== undefined && value < alarm.errorBelow) {
    reasons.push({ level: 'ERROR', said: beyond('bus.below', alarm.errorBelow) });
  } else if (alarm.warnBelow !== undefined && value < alarm.warnBelow) {
    reasons.push({ level: 'WARN', said: beyond('bus.below', alarm.warnBelow) });
  }
  if (alarm.errorAbove !== undefined && value > alarm.errorAbove) {
    reasons.push({ level: 'ERROR', said: beyond('bus.above', alarm.errorAbove) });
  } else if (alarm.warnAbove !== undefined && value > alarm.warnAbove) {
    reasons.push({
      level: 'WARN',
      said:
        alarm.warnAbove === 0 && def.display === 'hex'
          ? say('bus.hexIs', { label, value: rawHex(word) })
          : beyond('bus.above', alarm.warnAbove),
    });
  }
}

function displayText(def: RegisterDef, word: number, value: number): string {
  switch (def.display) {
    case 'hex':
      return rawHex(word);
    case 'version':
      return `v${word >> 8}.${(word & 0xff).toString(16).padStart(2, '0')}`;
    case 'decimal':
    case undefined:
      return formatValue(def, value);
  }
}

function limit(def: RegisterDef, value: number): string {
  return def.unit === '' ? String(value) : `${value} ${def.unit}`;
}

// ── the other way: what a write would put in the register ──────────────────────────────────────────────

export type Encoded = { ok: true; raw: number; value: number } | { ok: false; reason: string };

/**
 * The raw word for a value in the register's units, or why it cannot be written: outside min..max, not one of the
 * enum values, or finer than the register's resolution.
 */
export function encodeValue(def: RegisterDef, value: number): Encoded {
  if (!Number.isFinite(value)) {
    return { ok: false, reason: `${String(value)} is not a number` };
  }
  if (value < def.min || value > def.max) {
    return {
      ok: false,
      reason: `${formatValue(def, value)} is outside ${def.label}'s range ${limit(def, def.min)}..${limit(def, def.max)}`,
    };
  }
  if (def.enum && !def.enum.some((e) => e.value === value)) {
    return {
      ok: false,
      reason: `${value} is not one of ${def.label}'s values (${def.enum.map((e) => `${e.value} ${e.name}`).join(', ')})`,
    };
  }
  const steps = value / def.scale;
  const raw = Math.round(steps);
  if (Math.abs(steps - raw) > 1e-6) {
    return {
      ok: false,
      reason: `${value} is finer than ${def.label}'s step of ${def.scale}${def.unit ? ` ${def.unit}` : ''}`,
    };
  }
  return { ok: true, raw: raw & 0xffff, value: roundTo(raw * def.scale, decimalsOf(def.scale)) };
}

/**
 * What the technician typed for a register: a number in its units ("24.5"), a raw word in hex ("0x0001"), or an enum
 * name ("pressed", case-insensitive). Undefined when it is none of these.
 */
export function parseValueInput(def: RegisterDef, input: string | number): number | undefined {
  if (typeof input === 'number') {
    return input;
  }
  const text = input.trim();
  const entry = def.enum?.find((e) => e.name.toLowerCase() === text.toLowerCase());
  if (entry) {
    return entry.value;
  }
  if (/^0x[0-9a-f]{1,4}$/i.test(text)) {
    return valueOf(def, Number.parseInt(text, 16));
  }
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) {
    return Number(text);
  }
  return undefined;
}
