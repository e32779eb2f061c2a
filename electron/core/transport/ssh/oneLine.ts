/** Messages cross to people and logs as one line: collapse whitespace and bound the length. */
export function oneLine(text: string, maxLength = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength - 1)}…`;
}

/** How a command is named in a message: its first line, shortened, so a long batch script stays readable. */
export function commandLabel(command: string): string {
  const firstLine = command.trim().split('\n', 1)[0] ?? '';
  const more = command.trim().includes('\n') ? ' …' : '';
  return `"${oneLine(firstLine, 60)}${more}"`;
}

export function errorMessage(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}
