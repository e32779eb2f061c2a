import type { SimVehicle } from '../SimVehicle';
import type { Program, ProgramContext } from '../shell/program';
import { cursorOf, PRIORITY, type SimJournalEntry } from '../simJournal';
import { strftimeUtc } from '../timeFormat';
import { normalizeUnit } from './unitProperties';

/**
 * journalctl over the simulated journal: unit, time, priority and pattern filters, the last N entries, and the
 * short, short-iso, cat and json output formats, with systemd 249's texts and exit codes. Following (-f) is not
 * simulated: a sweep never follows.
 */

type Options = {
  units: string[];
  sinceMs: number | null;
  untilMs: number | null;
  priorities: [number, number] | null;
  grep: RegExp | null;
  output: 'short' | 'short-iso' | 'cat' | 'json';
  fields: string[] | null;
  lines: number | null;
  quiet: boolean;
  reverse: boolean;
};

const IGNORED = new Set([
  '--no-pager',
  '--no-hostname',
  '-a',
  '--all',
  '-x',
  '--catalog',
  '-e',
  '--pager-end',
  '-l',
  '--full',
  '--utc',
  '--system',
]);
const OUTPUTS = new Set(['short', 'short-iso', 'cat', 'json']);
/** Always printed in json, whatever --output-fields names. */
const JSON_ALWAYS = ['__CURSOR', '__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP', '_BOOT_ID'];

const UNITS_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** systemd.time(7), the forms people type: -60min, +5s, "2 h ago", today, yesterday, now, @epoch, ISO date and time. */
export function parseJournalTime(text: string, nowMs: number): number | null {
  const value = text.trim();
  const relative = /^([+-])\s*(\d+)\s*([a-z]+)$/.exec(value) ?? /^()(\d+)\s*([a-z]+)\s+ago$/.exec(value);
  if (relative) {
    const [, sign, amount, unit] = relative;
    const ms = UNITS_MS[unit ?? ''];
    if (ms === undefined) {
      return null;
    }
    return nowMs + (sign === '+' ? 1 : -1) * Number(amount) * ms;
  }
  const midnight = Math.floor(nowMs / 86_400_000) * 86_400_000;
  switch (value) {
    case 'now':
      return nowMs;
    case 'today':
      return midnight;
    case 'yesterday':
      return midnight - 86_400_000;
    case 'tomorrow':
      return midnight + 86_400_000;
  }
  const epoch = /^@(\d+(\.\d+)?)$/.exec(value);
  if (epoch?.[1] !== undefined) {
    return Math.floor(Number(epoch[1]) * 1000);
  }
  const absolute = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (absolute) {
    const [, y, mo, d, h, mi, s] = absolute.map((part) => Number(part ?? 0));
    return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
  }
  return null;
}

const PRIORITY_NAMES: Record<string, number> = PRIORITY;

function parsePriority(text: string): number | null {
  if (/^[0-7]$/.test(text)) {
    return Number(text);
  }
  return PRIORITY_NAMES[text] ?? null;
}

type Parsed = { ok: true; options: Options } | { ok: false; message: string };

function parse(args: readonly string[], nowMs: number): Parsed {
  const options: Options = {
    units: [],
    sinceMs: null,
    untilMs: null,
    priorities: null,
    grep: null,
    output: 'short',
    fields: null,
    lines: null,
    quiet: false,
    reverse: false,
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? args[++i];
    const need = (): string | { missing: true } => value() ?? { missing: true };
    if (IGNORED.has(arg)) {
      continue;
    }
    if (arg === '-q' || arg === '--quiet') {
      options.quiet = true;
      continue;
    }
    if (arg === '-r' || arg === '--reverse') {
      options.reverse = true;
      continue;
    }
    if (arg === '-f' || arg === '--follow') {
      return { ok: false, message: 'journalctl: --follow is not simulated' };
    }
    const v = ['-u', '--unit', '-S', '--since', '-U', '--until', '-p', '--priority', '-g', '--grep', '-o', '--output']
      .concat(['--output-fields', '-n', '--lines', '-b', '--boot'])
      .includes(flag)
      ? need()
      : null;
    if (typeof v === 'object' && v !== null) {
      return { ok: false, message: `journalctl: option '${flag}' requires an argument` };
    }
    switch (flag) {
      case '-u':
      case '--unit':
        options.units.push(normalizeUnit(v ?? ''));
        break;
      case '-S':
      case '--since':
      case '-U':
      case '--until': {
        const at = parseJournalTime(v ?? '', nowMs);
        if (at === null) {
          return { ok: false, message: `Failed to parse timestamp: ${v ?? ''}` };
        }
        if (flag === '-S' || flag === '--since') {
          options.sinceMs = at;
        } else {
          options.untilMs = at;
        }
        break;
      }
      case '-p':
      case '--priority': {
        const [from, to] = (v ?? '').split('..');
        const high = parsePriority(to === undefined ? (from ?? '') : to);
        const low = to === undefined ? 0 : parsePriority(from ?? '');
        if (high === null || low === null) {
          return { ok: false, message: `Unknown log level ${v ?? ''}` };
        }
        options.priorities = [Math.min(low, high), Math.max(low, high)];
        break;
      }
      case '-g':
      case '--grep': {
        const pattern = v ?? '';
        try {
          // Like journalctl: a pattern without capitals matches case-insensitively.
          options.grep = new RegExp(pattern, pattern === pattern.toLowerCase() ? 'i' : '');
        } catch {
          return { ok: false, message: `Bad pattern "${pattern}": unmatched parentheses or the like` };
        }
        break;
      }
      case '-o':
      case '--output':
        if (!OUTPUTS.has(v ?? '')) {
          return { ok: false, message: `Unknown output format '${v ?? ''}'.` };
        }
        options.output = v as Options['output'];
        break;
      case '--output-fields':
        options.fields = (v ?? '').split(',').filter((f) => f !== '');
        break;
      case '-n':
      case '--lines':
        if (v === 'all') {
          options.lines = null;
        } else if (/^\d+$/.test(v ?? '')) {
          options.lines = Number(v);
        } else {
          return { ok: false, message: `Failed to parse lines '${v ?? ''}'` };
        }
        break;
      case '-b':
      case '--boot':
        break; // One boot is all the simulated journal holds.
      default:
        if (arg.startsWith('--')) {
          return { ok: false, message: `journalctl: unrecognized option '${arg}'` };
        }
        if (arg.startsWith('-')) {
          return { ok: false, message: `journalctl: invalid option -- '${arg.slice(1, 2)}'` };
        }
        return { ok: false, message: `journalctl: matches (${arg}) are not simulated; use -u` };
    }
  }
  return { ok: true, options };
}

function select(entries: readonly SimJournalEntry[], o: Options): SimJournalEntry[] {
  const picked = entries.filter(
    (e) =>
      (o.units.length === 0 || o.units.includes(e.unit)) &&
      (o.sinceMs === null || e.atMs >= o.sinceMs) &&
      (o.untilMs === null || e.atMs <= o.untilMs) &&
      (o.priorities === null || (e.priority >= o.priorities[0] && e.priority <= o.priorities[1])) &&
      (o.grep === null || o.grep.test(e.message)),
  );
  const last = o.lines === null ? picked : picked.slice(Math.max(0, picked.length - o.lines));
  return o.reverse ? [...last].reverse() : last;
}

function render(vehicle: SimVehicle, entry: SimJournalEntry, o: Options): string {
  const host = vehicle.state.system.hostname;
  const who = `${entry.identifier}[${entry.pid}]`;
  switch (o.output) {
    case 'cat':
      return entry.message;
    case 'short-iso':
      return `${strftimeUtc(entry.atMs, '%Y-%m-%dT%H:%M:%S%z')} ${host} ${who}: ${entry.message}`;
    case 'short':
      return `${strftimeUtc(entry.atMs, '%b %d %H:%M:%S')} ${host} ${who}: ${entry.message}`;
    case 'json': {
      const journal = vehicle.state.journal;
      const monotonicUs = (entry.atMs - vehicle.state.system.bootedAtMs) * 1000;
      const processUnit = entry.identifier === 'systemd' ? 'init.scope' : entry.unit;
      const all: [string, string][] = [
        ['__CURSOR', cursorOf(journal, entry, monotonicUs)],
        ['__REALTIME_TIMESTAMP', String(entry.atMs * 1000)],
        ['__MONOTONIC_TIMESTAMP', String(Math.max(0, Math.round(monotonicUs)))],
        ['_BOOT_ID', journal.bootId],
        ['PRIORITY', String(entry.priority)],
        ['SYSLOG_FACILITY', '3'],
        ['SYSLOG_IDENTIFIER', entry.identifier],
        ['_PID', String(entry.pid)],
        ['_TRANSPORT', entry.identifier === 'systemd' ? 'journal' : 'stdout'],
        ['_HOSTNAME', host],
        ['_SYSTEMD_UNIT', processUnit],
        ...(entry.identifier === 'systemd' ? ([['UNIT', entry.unit]] as [string, string][]) : []),
        ['MESSAGE', entry.message],
      ];
      const wanted = o.fields;
      const fields = wanted === null ? all : all.filter(([k]) => JSON_ALWAYS.includes(k) || wanted.includes(k));
      return JSON.stringify(Object.fromEntries(fields));
    }
  }
}

const HINT =
  'Hint: You are currently not seeing messages from other users and the system.\n' +
  "      Users in groups 'adm', 'systemd-journal' can see all messages.\n" +
  '      Pass -q to turn off this notice.\n';

function run(args: readonly string[], c: ProgramContext): number {
  const parsed = parse(args, c.nowMs);
  if (!parsed.ok) {
    c.io.err(`${parsed.message}\n`);
    return 1;
  }
  const o = parsed.options;
  const journal = c.vehicle.state.journal;
  const canRead = c.user.uid === 0 || journal.loginUserCanRead;
  if (!canRead && !o.quiet) {
    c.io.err(HINT);
  }
  // A user who may not read the system journal sees only their own, and nothing of theirs is in it.
  const shown = canRead ? select(journal.entries, o) : [];
  for (const entry of shown) {
    c.io.out(`${render(c.vehicle, entry, o)}\n`);
  }
  if (shown.length === 0 && !o.quiet && o.output !== 'json') {
    c.io.out('-- No entries --\n');
  }
  // Like grep, --grep without a match is a failure (systemd's own test scripts rely on it).
  return o.grep !== null && shown.length === 0 ? 1 : 0;
}

export const journalctl: Program = {
  path: '/usr/bin/journalctl',
  run,
};
