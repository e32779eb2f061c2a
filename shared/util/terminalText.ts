/**
 * Text from a vehicle (file names, service messages, journal lines, register names, command output) printed on a
 * technician's terminal. Raw, an escape sequence in it would recolour or rewrite the terminal, a carriage return would
 * overwrite the line, a newline would forge a row of a table, and a bidirectional override would make a name read
 * backwards. These helpers show such characters as visible escapes (`\u001b`), which are also valid inside JSON
 * strings, so the same text is safe in the human-readable and the --json output. A backslash is left as it is, so
 * escaping twice (a field escaped, then the whole output) changes nothing more.
 */

/**
 * C0 controls, DEL, C1 controls (U+009B is a CSI on some terminals), line and paragraph separators, the bidirectional
 * marks, embeddings and isolates.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this is for
const UNSAFE_IN_FIELD = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/**
 * The same, but newline, tab and a carriage return that ends a line (CRLF, as CSV has it) kept: for blocks of
 * output (evidence, a command's output, an export) printed as such. A lone carriage return still overwrites a line.
 */
const UNSAFE_IN_BLOCK =
  // eslint-disable-next-line no-control-regex -- finding control characters is what this is for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One field of one line (a table cell, a name, a message): every control shown escaped, newlines included. */
export function terminalField(text: string): string {
  return text.replace(UNSAFE_IN_FIELD, visible);
}

/** A block of lines printed as it came (evidence, a command's output): controls escaped, newlines and tabs kept. */
export function terminalBlock(text: string): string {
  return text.replace(UNSAFE_IN_BLOCK, visible);
}
