import { parseArgs, type ParseArgsConfig } from 'node:util';

import { UsageError } from './CliError';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes, anywhere on the line. */
export const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export type Parsed = { positionals: string[]; values: Record<string, string | boolean | string[] | undefined> };

export function parseCommandLine(argv: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values };
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/^TypeError \[[A-Z_]+\]: /, '') : String(error),
    );
  }
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function boolOption(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

/**
 * A whole number written in decimal digits only: "22". Not "0x16" (which Number() reads as 22), not "" or " " (which
 * it reads as 0), not "1e3", "+5" or "5.0". Null for anything else.
 */
export function decimalInteger(raw: string | undefined): number | null {
  return raw !== undefined && /^[0-9]{1,15}$/.test(raw) ? Number(raw) : null;
}

/** A number written in decimal, with an optional fraction: "2", "0.5". Null for anything else. */
export function decimalNumber(raw: string | undefined): number | null {
  return raw !== undefined && /^[0-9]{1,15}(\.[0-9]{1,9})?$/.test(raw) ? Number(raw) : null;
}

export function intOption(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(parsed, name);
  if (raw === undefined) {
    return undefined;
  }
  const value = decimalInteger(raw);
  if (value === null || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}
