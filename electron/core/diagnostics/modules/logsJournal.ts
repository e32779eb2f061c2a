/**
 * Reading `journalctl -o json` answers. JSON rather than a text format because every entry is one line whatever
 * its message holds (a multi-line message stays one entry), the priority comes with each entry, and the hints and
 * errors journalctl prints between entries can never be mistaken for log lines.
 */

export type JournalEntry = {
  cursor: string;
  /** Epoch ms; NaN when the entry has no usable timestamp. */
  atMs: number;
  /** syslog priority 0 (emerg) … 7 (debug); 6 (info) when absent, as journald stores stdout lines. */
  priority: number;
  identifier: string;
  pid: string;
  message: string;
};

export type JournalAnswer = {
  entries: JournalEntry[];
  /** Lines that were not entries: journalctl's hints and errors, sudo's complaints, or garbage. */
  otherLines: string[];
  /** Lines that looked like JSON but did not parse (a cut or mangled answer). */
  badLines: number;
};

/** What journalctl prints around entries; none of it is a finding. */
const NOISE = [/^-- No entries --$/, /^-- (Boot|Reboot|Journal begins|Logs begin)/];
/** What an account that may not read the system journal is told instead of being shown its entries. */
const NO_PERMISSION =
  /not seeing messages from other users and the system|No journal files were opened due to insufficient permissions|Permission denied/;

const PRIORITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export function priorityName(priority: number): string {
  return PRIORITY_NAMES[priority] ?? String(priority);
}

/** A field as journald exports it: a string, bytes for binary or non-UTF-8 data, null when too long, or a list. */
function fieldText(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number')) {
      return Buffer.from(value).toString('utf8');
    }
    return fieldText(value[0]);
  }
  return null;
}

export function parseJournalJson(text: string): JournalAnswer {
  const entries: JournalEntry[] = [];
  const otherLines: string[] = [];
  let badLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      continue;
    }
    if (!line.startsWith('{')) {
      if (!NOISE.some((pattern) => pattern.test(line))) {
        otherLines.push(line);
      }
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      badLines += 1;
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      badLines += 1;
      continue;
    }
    const fields = record as Record<string, unknown>;
    const priority = Number.parseInt(fieldText(fields.PRIORITY) ?? '', 10);
    const micros = fieldText(fields.__REALTIME_TIMESTAMP);
    entries.push({
      cursor: fieldText(fields.__CURSOR) ?? line,
      atMs: micros !== null && /^\d+$/.test(micros) ? Math.floor(Number(micros) / 1000) : Number.NaN,
      priority: Number.isInteger(priority) && priority >= 0 && priority <= 7 ? priority : 6,
      identifier: fieldText(fields.SYSLOG_IDENTIFIER) ?? '',
      pid: fieldText(fields._PID) ?? '',
      message: fieldText(fields.MESSAGE) ?? '(message too long or not text)',
    });
  }
  return { entries, otherLines, badLines };
}

/** sudo's own complaints (`sudo: a password is required`, `sudo: journalctl: command not found`) or no sudo at all. */
const SUDO_LINE = /^sudo: |: sudo: (command )?not found$/;

/**
 * The probes try `sudo -n journalctl …` and fall back to the login user's `journalctl …` when that fails. A
 * permission hint only means something when sudo was refused: when sudo ran journalctl and nothing matched, the
 * fallback runs too and its hint says nothing about what root saw.
 */
export function lacksJournalPermission(answer: JournalAnswer): boolean {
  return answer.otherLines.some((l) => SUDO_LINE.test(l)) && answer.otherLines.some((l) => NO_PERMISSION.test(l));
}

/** Lines that are neither entries, nor sudo's complaints, nor the fallback's permission hints: errors or garbage. */
export function journalProblems(answer: JournalAnswer): string[] {
  return answer.otherLines.filter(
    (l) => !SUDO_LINE.test(l) && !NO_PERMISSION.test(l) && !/^\s*(Users in groups|Pass -q to turn off)/.test(l),
  );
}

/**
 * An error by what the line says. Services log their stdout and stderr at priority info, so a Python exception or a
 * firmware "[ERROR]" line is only an error by its text. A traceback counts once, by its last line (the exception).
 */
export function isErrorText(message: string): boolean {
  return (
    /\b(ERROR|CRITICAL|FATAL|PANIC|EMERG)\b/.test(message) ||
    /^\s*\[?(error|err|fatal|critical)\]?\s*[:\]]/i.test(message) ||
    /\b[\w.]*(Error|Exception)\b/.test(message) ||
    /code=dumped/.test(message)
  );
}

export function isWarningText(message: string): boolean {
  return /\b(WARNING|WARN)\b/.test(message);
}

/** A line about a configuration file or setting that does not load: the service will not start until it is fixed. */
export function isConfigError(message: string): boolean {
  return (
    /\b[\w.]*(ValidationError|ScannerError|ParserError|ConstructorError|YAMLError|ConfigError|ConfigurationError)\b/.test(
      message,
    ) ||
    (/\.(ya?ml|json|conf|env|ini|toml)\b|\b(yaml|config|configuration|settings)\b/i.test(message) &&
      /\b(error|invalid|cannot|can't|could not|failed|missing|not allowed|unexpected)\b/i.test(message))
  );
}

/** A configuration error that says which file or setting is wrong, rather than only that the service gave up. */
export function namesTheCause(message: string): boolean {
  return /\S+\.(ya?ml|json|conf|env|ini|toml)\b|\b[\w.]*(ValidationError|ScannerError|ParserError|ConstructorError|YAMLError)\b/.test(
    message,
  );
}

/** One entry as `journalctl -o short-iso` shows it, with its priority named. */
export function formatEntry(entry: JournalEntry): string {
  const at = Number.isNaN(entry.atMs) ? '(no time)' : new Date(entry.atMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const who = entry.identifier === '' ? '' : `${entry.identifier}${entry.pid === '' ? '' : `[${entry.pid}]`}: `;
  return `${at} ${priorityName(entry.priority)} ${who}${entry.message}`;
}
