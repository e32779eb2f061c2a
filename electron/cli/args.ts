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

export function intOption(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(parsed, name);
  if (raw === undefined) {
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}
