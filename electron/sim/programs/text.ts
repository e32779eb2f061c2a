import type { Program, ProgramContext } from '../shell/program';

/**
 * echo, printf, true and false as dash runs them (they are its builtins): probes print with these, and a
 * batch's framing is only byte-identical to a vehicle's if they behave exactly like dash's.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Expands backslash escapes as dash's echo and printf %b do; `stop` is true after `\c`. */
function unescape(text: string, octalNeedsZero: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    const next = text[i + 1];
    if (c !== '\\' || next === undefined) {
      out += c;
      continue;
    }
    if (next === 'c') {
      return { text: out, stop: true };
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 1;
      continue;
    }
    const octal = (octalNeedsZero ? /^0([0-7]{0,3})/ : /^0?([0-7]{1,3})/).exec(text.slice(i + 1));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[1] || '0', 8) & 255);
      i += octal[0].length;
      continue;
    }
    out += c;
  }
  return { text: out, stop: false };
}

export const echo: Program = {
  path: '/usr/bin/echo',
  shellBuiltin: true,
  run(args, { io }) {
    const noNewline = args[0] === '-n';
    const words = noNewline ? args.slice(1) : args;
    const { text, stop } = unescape(words.join(' '), false);
    io.out(stop || noNewline ? text : `${text}\n`);
    return 0;
  },
};

export const trueProgram: Program = { path: '/usr/bin/true', shellBuiltin: true, run: () => 0 };
export const falseProgram: Program = { path: '/usr/bin/false', shellBuiltin: true, run: () => 1 };
export const colon: Program = { run: () => 0 };

type NumberParse = { value: number; error: string | null };

/** dash's numeric argument: decimal, 0x hex, 0 octal or 'c (a character's code). */
function parseNumber(arg: string): NumberParse {
  if (arg === '') {
    return { value: 0, error: null };
  }
  if (arg.startsWith("'") || arg.startsWith('"')) {
    return { value: arg.codePointAt(1) ?? 0, error: null };
  }
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(arg);
  if (!match) {
    return { value: 0, error: 'expected numeric value' };
  }
  const digits = match[2] ?? '0';
  const magnitude = /^0[xX]/.test(digits)
    ? parseInt(digits.slice(2), 16)
    : digits.startsWith('0')
      ? parseInt(digits, 8)
      : Number(digits);
  const value = match[1] === '-' ? -magnitude : magnitude;
  return { value, error: match[0].length === arg.length ? null : 'not completely converted' };
}

function parseFloatArg(arg: string): NumberParse {
  if (arg === '') {
    return { value: 0, error: null };
  }
  const match = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(arg);
  if (!match) {
    return { value: 0, error: 'expected numeric value' };
  }
  return { value: Number(match[0]), error: match[0].length === arg.length ? null : 'not completely converted' };
}

function pad(body: string, flags: string, width: number, numeric: boolean): string {
  if (body.length >= width) {
    return body;
  }
  if (flags.includes('-')) {
    return body.padEnd(width);
  }
  if (numeric && flags.includes('0')) {
    const sign = /^[+-]/.test(body) ? (body[0] ?? '') : '';
    return sign + body.slice(sign.length).padStart(width - sign.length, '0');
  }
  return body.padStart(width);
}

function signed(value: number, flags: string, digits: string): string {
  if (value < 0) {
    return `-${digits}`;
  }
  return flags.includes('+') ? `+${digits}` : flags.includes(' ') ? ` ${digits}` : digits;
}

function exponential(value: number, precision: number): string {
  const [mantissa, exponent = '0'] = value.toExponential(precision).split('e');
  const e = Number(exponent);
  return `${mantissa ?? ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

const DIRECTIVE = /%([-+ 0#]*)(\d*)(?:\.(\d*))?([a-zA-Z%]?)/y;

export const printf: Program = {
  path: '/usr/bin/printf',
  shellBuiltin: true,
  run(args, context) {
    const [format, ...rest] = args;
    if (format === undefined) {
      context.io.err(`sh: ${context.line}: printf: usage: printf format [arg ...]\n`);
      return 2;
    }
    let status = 0;
    let index = 0;
    const next = (): string | undefined => rest[index++];
    do {
      const before = index;
      const result = formatOnce(format, next, context);
      context.io.out(result.text);
      if (result.status !== 0) {
        status = result.status;
      }
      if (result.stop || result.status === 2 || index === before) {
        break;
      }
    } while (index < rest.length);
    return status;
  },
};

function formatOnce(
  format: string,
  next: () => string | undefined,
  context: ProgramContext,
): { text: string; status: number; stop: boolean } {
  let out = '';
  let status = 0;
  const numeric = (arg: string | undefined, parse: (a: string) => NumberParse): number => {
    const parsed = parse(arg ?? '');
    if (parsed.error !== null) {
      context.io.err(`sh: ${context.line}: printf: ${arg ?? ''}: ${parsed.error}\n`);
      status = 1;
    }
    return parsed.value;
  };
  for (let i = 0; i < format.length;) {
    const c = format[i] ?? '';
    if (c === '\\') {
      // In the format itself \c is not special to dash; only %b honours it.
      const chunk = /^\\(?:[0-7]{1,3}|.)?/s.exec(format.slice(i))?.[0] ?? '\\';
      out += chunk === '\\c' ? chunk : unescape(chunk, false).text;
      i += chunk.length;
      continue;
    }
    if (c !== '%') {
      out += c;
      i += 1;
      continue;
    }
    DIRECTIVE.lastIndex = i;
    const match = DIRECTIVE.exec(format);
    const [whole = '%', flags = '', widthText = '', precisionText, conversion = ''] = match ?? [];
    i += whole.length;
    const width = Number(widthText || '0');
    const precision = precisionText === undefined ? undefined : Number(precisionText || '0');
    switch (conversion) {
      case '%':
        out += '%';
        break;
      case 's': {
        const arg = next() ?? '';
        out += pad(precision === undefined ? arg : arg.slice(0, precision), flags, width, false);
        break;
      }
      case 'b': {
        const { text, stop } = unescape(next() ?? '', true);
        out += pad(text, flags, width, false);
        if (stop) {
          return { text: out, status, stop: true };
        }
        break;
      }
      case 'c':
        out += pad((next() ?? '').slice(0, 1), flags, width, false);
        break;
      case 'd':
      case 'i':
      case 'u': {
        const value = Math.trunc(numeric(next(), parseNumber));
        const digits = String(Math.abs(value)).padStart(precision ?? 0, '0');
        out += pad(signed(value, flags, digits), flags, width, precision === undefined);
        break;
      }
      case 'x':
      case 'X':
      case 'o': {
        const value = Math.trunc(numeric(next(), parseNumber));
        let digits = (value < 0 ? BigInt.asUintN(64, BigInt(value)) : BigInt(value)).toString(
          conversion === 'o' ? 8 : 16,
        );
        digits = conversion === 'X' ? digits.toUpperCase() : digits;
        out += pad(digits.padStart(precision ?? 0, '0'), flags, width, precision === undefined);
        break;
      }
      case 'f':
      case 'e': {
        const value = numeric(next(), parseFloatArg);
        const body =
          conversion === 'f' ? Math.abs(value).toFixed(precision ?? 6) : exponential(Math.abs(value), precision ?? 6);
        out += pad(signed(value, flags, body), flags, width, true);
        break;
      }
      default:
        context.io.err(`sh: ${context.line}: printf: ${whole}: invalid directive\n`);
        return { text: out, status: 2, stop: true };
    }
  }
  return { text: out, status, stop: false };
}
