import type { LogLine } from '../../../shared/domain/unitLogs';

/** A journal field as journald exports it: text, bytes for what is not UTF-8, a list when repeated. */
function text(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'number') ? Buffer.from(value).toString('utf8') : text(value[0]);
  }
  return null;
}

/** One `journalctl -o json` line as a log line; null for what is not an entry (a hint, sudo's complaint). */
export function parseJournalLine(line: string): LogLine | null {
  if (!line.startsWith('{')) {
    return null;
  }
  let fields: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return null;
    }
    fields = value as Record<string, unknown>;
  } catch {
    return null;
  }
  const micros = text(fields.__REALTIME_TIMESTAMP) ?? '';
  const priority = Number.parseInt(text(fields.PRIORITY) ?? '', 10);
  const pid = Number.parseInt(text(fields._PID) ?? '', 10);
  return {
    atMs: /^\d+$/.test(micros) ? Math.floor(Number(micros) / 1000) : 0,
    priority: Number.isInteger(priority) && priority >= 0 && priority <= 7 ? priority : 6,
    // systemd's own lines about a unit name it in UNIT; a service's lines in _SYSTEMD_UNIT.
    unit: text(fields.UNIT) ?? text(fields._SYSTEMD_UNIT) ?? '',
    identifier: text(fields.SYSLOG_IDENTIFIER) ?? '',
    pid: Number.isInteger(pid) ? pid : null,
    message: text(fields.MESSAGE) ?? '(message too long or not text)',
  };
}

/** Cuts a byte stream into lines; a line is never split across two reads. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }

  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last === '' ? [] : [last];
  }
}

/** A line as a technician reads it in a saved view: `2026-03-01T08:00:00.123Z err oht50_main[812]: …`. */
export function formatLogLine(line: LogLine): string {
  const names = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
  const who = line.identifier === '' ? '' : `${line.identifier}${line.pid === null ? '' : `[${line.pid}]`}: `;
  return `${new Date(line.atMs).toISOString()} ${names[line.priority] ?? String(line.priority)} ${who}${line.message}`;
}
