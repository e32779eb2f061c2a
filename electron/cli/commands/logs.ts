import { LOG_PRIORITIES, priorityName, type LogLine, type LogPriority } from '../../../shared/domain/unitLogs';
import { followStream, type StreamEnded } from '../../../shared/ipc/streamClient';
import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';
import { terminalField } from '../../../shared/util/terminalText';

export const LOGS_USAGE =
  'ohtw logs NAME [-u SERVICE]... [--all] [-p PRIORITY] [-n LINES] [--since T] [--until T] [--follow] [--json]';

const nodeTimers = {
  setInterval: (callback: () => void, ms: number) => setInterval(callback, ms),
  clearInterval: (handle: unknown) => clearInterval(handle as NodeJS.Timeout),
};

const OPTIONS = {
  unit: { type: 'string', short: 'u', multiple: true },
  all: { type: 'boolean' },
  priority: { type: 'string', short: 'p' },
  lines: { type: 'string', short: 'n' },
  since: { type: 'string' },
  until: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
} as const;

/**
 * `ohtw logs NAME`: the unit's journal (its backend and firmware services unless -u names others, or --all), the
 * last lines or a window of time; with --follow, every new line until Ctrl-C, with the lines this terminal could
 * not keep up with counted on stderr.
 */
export async function logsCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  const [unit, ...extra] = parsed.positionals;
  if (unit === undefined || extra.length > 0) {
    throw new UsageError('logs needs exactly one unit NAME');
  }
  const source = {
    unit,
    services: (parsed.values.unit as string[] | undefined) ?? [],
    allServices: boolOption(parsed, 'all'),
    priority: priorityOption(stringOption(parsed, 'priority')),
  };
  const lines = intOption(parsed, 'lines', 0, 20_000);
  const isJson = boolOption(parsed, 'json');
  const print = (line: LogLine): void => io.out(isJson ? JSON.stringify(line) : formatLine(line));
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    if (!boolOption(parsed, 'follow')) {
      const since = timeOption(stringOption(parsed, 'since'), 'since');
      const until = timeOption(stringOption(parsed, 'until'), 'until');
      const read = await session.api.call('logs.read', {
        ...source,
        limit: lines === undefined || lines === 0 ? 200 : lines,
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
      });
      read.lines.forEach(print);
      return 0;
    }
    let resolveEnded: (ended: StreamEnded) => void = () => undefined;
    const ended = new Promise<StreamEnded>((resolve) => {
      resolveEnded = resolve;
    });
    const { follower } = await followStream(
      session.api,
      'logs.lines',
      () => session.api.call('logs.follow', { ...source, backlog: lines ?? 20 }),
      {
        onData: (batch, f) => {
          if (batch.dropped > 0) {
            io.err(`(${batch.dropped} lines skipped: this terminal did not keep up)`);
          }
          batch.lines.forEach(print);
          f.ack(batch.lines.length);
        },
        onEnded: resolveEnded,
        timers: nodeTimers,
      },
    );
    const end = await Promise.race([ended, io.waitForStop().then(() => null)]);
    if (end === null) {
      await follower.close();
      return 0;
    }
    io.err(`ohtw: the log follow of ${unit} ended: ${terminalField(end.reason)}`);
    return EXIT_FAILURE;
  } finally {
    await session.core.close();
  }
}

function priorityOption(raw: string | undefined): LogPriority {
  if (raw === undefined) {
    return 'debug';
  }
  const byNumber = /^[0-7]$/.test(raw) ? priorityName(Number(raw)) : undefined;
  const value = byNumber ?? raw;
  if (!(LOG_PRIORITIES as readonly string[]).includes(value)) {
    throw new UsageError(`-p takes one of ${LOG_PRIORITIES.join(', ')} (or 0-7), not "${raw}"`);
  }
  return value as LogPriority;
}

const AGO_MS: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `2h`, `1d` (that long ago) or a date and time; as the contract's UTC time. */
export function timeOption(raw: string | undefined, name: string, nowMs = Date.now()): string | undefined {
  if (raw === undefined) {
    return undefined;
  }
  const ago = /^(\d+)\s*(s|m|min|h|d)$/.exec(raw.trim());
  const ms = ago ? nowMs - Number(ago[1]) * (AGO_MS[ago[2] ?? 's'] ?? 1000) : Date.parse(raw);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--${name} takes 10m, 2h, 1d or a date and time (2026-03-01T08:00), not "${raw}"`);
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-03-01 08:00:00.123  err      oht50_main[812]: …` in the laptop's local time. */
export function formatLine(line: LogLine): string {
  const d = new Date(line.atMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  const who =
    line.identifier === '' ? '' : `${terminalField(line.identifier)}${line.pid === null ? '' : `[${line.pid}]`}: `;
  // The vehicle's text reaches the terminal escaped: a logged escape sequence cannot drive the technician's terminal.
  return `${time}  ${priorityName(line.priority).padEnd(7)}  ${who}${terminalField(line.message)}`;
}
