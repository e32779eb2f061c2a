/**
 * The one way the core writes shell text for the vehicle. Every value that goes into a command (a service name from a
 * unit's profile, a path, a host read from the vehicle's own config, a parameter a technician typed) is quoted here,
 * so that no value can ever become syntax: `x;touch /tmp/INJECTED;#` stays one inert word. Lint enforces that shell
 * text in electron/core is built with `sh` (or from values passed through shellQuote) and never by pasting a value
 * into a template (see eslint/rules/quotedShell.js).
 */

declare const SHELL_TEXT: unique symbol;

/** Shell syntax in which every value is already quoted: made only by sh`…`, shellQuote and shellWords. */
export type ShellText = string & { readonly [SHELL_TEXT]: true };

/** Shell text spliced into sh`…` as it is (a script built by sh, or a fixed fragment), never quoted again. */
export class ShellFragment {
  constructor(readonly text: ShellText) {}
}

/** What sh`…` takes: values (quoted, an array as one word each) or fragments that are shell text already. */
export type ShellValue = string | number | readonly (string | number)[] | ShellFragment;

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument for a POSIX shell: `'…'` with each `'` written as `'\''`; plain words stay as they are. */
export function shellQuote(arg: string | number): ShellText {
  const text = typeof arg === 'number' ? numberWord(arg) : arg;
  if (text === '') {
    return "''" as ShellText;
  }
  if (PLAIN_WORD.test(text)) {
    return text as ShellText;
  }
  return `'${text.replace(/'/g, `'\\''`)}'` as ShellText;
}

/** Several arguments, each quoted on its own, separated by spaces. */
export function shellWords(args: readonly (string | number)[]): ShellText {
  return args.map(shellQuote).join(' ') as ShellText;
}

/** Marks shell text (from sh or shellQuote) to be spliced into another sh`…` as it is. */
export function raw(text: ShellText): ShellFragment {
  return new ShellFragment(text);
}

/**
 * A template tag for shell text: the literal parts are the syntax, every interpolated value is quoted (an array
 * becomes one quoted word per element), and only a ShellFragment is spliced in as shell text.
 *
 *   sh`systemctl show --property=${props} -- ${units}`     units = ['x;touch /tmp/INJECTED;#'] stays one word
 */
export function sh(strings: TemplateStringsArray, ...values: readonly ShellValue[]): ShellText {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += render(value) + (strings[i + 1] ?? '');
  });
  return text as ShellText;
}

function render(value: ShellValue): string {
  if (value instanceof ShellFragment) {
    return value.text;
  }
  if (typeof value === 'string' || typeof value === 'number') {
    return shellQuote(value);
  }
  return shellWords(value);
}

function numberWord(value: number): string {
  if (!Number.isFinite(value)) {
    throw new TypeError(`not a number for a shell command: ${value}`);
  }
  return String(value);
}
