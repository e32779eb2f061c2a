import type { RegisterReading } from '../../../shared/ipc/contracts/rs485';

/** How the raw 16-bit words are written: as the module sends them (hex), unsigned, or two's complement. */
export const RAW_FORMATS = ['hex', 'dec', 'signed'] as const;
export type RawFormat = (typeof RAW_FORMATS)[number];

/** A raw register word in the chosen form; null (unread) stays a dash. */
export function formatRaw(raw: number | null, format: RawFormat): string {
  if (raw === null) {
    return '—';
  }
  switch (format) {
    case 'hex':
      return `0x${raw.toString(16).toUpperCase().padStart(4, '0')}`;
    case 'dec':
      return String(raw);
    case 'signed':
      return String(raw >= 0x8000 ? raw - 0x10000 : raw);
  }
}

const HEX_ADDRESS = /^0x[0-9a-f]{1,4}$/;

/**
 * The registers that match every word of the filter, case-insensitive: a word written as hex ("0x01") matches the
 * start of the register's address, any other word its address in decimal, name, label, value or meaning. So "0x01",
 * "fault", "estop" or "voltage 24" each narrow a 90-register map to what is looked for.
 */
export function filterRegisters(registers: readonly RegisterReading[], filter: string): RegisterReading[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return [...registers];
  }
  return registers.filter((register) => {
    const address = register.addressHex.toLowerCase();
    const haystack = [
      String(register.address),
      register.name,
      register.label,
      register.text ?? '',
      register.meaning ?? '',
      ...(register.bits ?? []).filter((bit) => bit.set).map((bit) => bit.name),
    ]
      .join(' ')
      .toLowerCase();
    return words.every((word) => (HEX_ADDRESS.test(word) ? address.startsWith(word) : haystack.includes(word)));
  });
}
