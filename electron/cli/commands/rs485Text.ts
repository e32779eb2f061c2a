import { decimalInteger, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';

/** Helpers the rs485 subcommands share: numbers on the command line, plain tables. */

/** A whole number, decimal or 0x-hex. */
export function numberOption(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(parsed, name);
  if (raw === undefined) {
    return undefined;
  }
  const value = /^0x[0-9a-f]{1,8}$/i.test(raw) ? Number.parseInt(raw.slice(2), 16) : (decimalInteger(raw) ?? NaN);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (decimal or 0x hex), not "${raw}"`);
  }
  return value;
}

/** A plain table: columns as wide as their widest cell, the last one left ragged. */
export { formatTable as table } from './backupCommon';
