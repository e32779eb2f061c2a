import type { DiagnosisChanges } from '../../../shared/domain/changes';
import type { LogbookEntry, LogbookFilter, LogbookLanguage } from '../../../shared/domain/logbook';
import { describeEntry } from '../../../shared/domain/logbookKinds';
import { boolOption, intOption, parseCommandLine, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import { terminalField } from '../../../shared/util/terminalText';
import { HISTORY_CHANGE_LINES, table } from '../format';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const HISTORY_USAGE =
  "ohtw history [NAME…] [--all] [--query TEXT] [--kind K] [--by TECHNICIAN] [--since DATE] [--until DATE] [--mine] [--limit N] [--lang en|vi] [--json|--csv]   (--mine: this laptop's entries only, not the team's)";

const PAGE = 500;

/** `ohtw history`: the fleet's logbook, filtered as the Logbook page filters it, newest first, in words. */
export async function historyCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {
    all: { type: 'boolean' },
    query: { type: 'string' },
    kind: { type: 'string', multiple: true },
    by: { type: 'string', multiple: true },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    lang: { type: 'string' },
    csv: { type: 'boolean' },
    mine: { type: 'boolean' },
  });
  const names = parsed.positionals;
  const all = boolOption(parsed, 'all');
  if (names.length === 0 && !all) {
    throw new UsageError('history needs unit NAMEs or --all for the whole fleet');
  }
  if (names.length > 0 && all) {
    throw new UsageError('history takes unit NAMEs or --all, not both');
  }
  const language = languageOption(parsed, io.env);
  const limit = intOption(parsed, 'limit', 1, 100_000) ?? 50;
  const filter = filterFrom(parsed, names);
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    if (boolOption(parsed, 'csv')) {
      const file = await session.api.call('logbook.export', { filter, format: 'csv', language, limit });
      io.out(file.content.replace(/^\uFEFF/, '').trimEnd());
      return 0;
    }
    const entries = await collect(session.api, filter, limit);
    if (boolOption(parsed, 'json')) {
      io.out(
        JSON.stringify(
          entries.map((e) => ({ ...e, words: describeEntry(e, language) })),
          null,
          2,
        ),
      );
      return 0;
    }
    const changes = new Map<string, DiagnosisChanges>();
    for (const entry of entries.filter((e) => e.code === 'diagnosis' && e.unit && e.ref)) {
      changes.set(
        entry.id,
        await session.api.call('diagnostics.changes', { name: entry.unit ?? '', runId: entry.ref ?? '' }),
      );
    }
    io.out(formatEntries(entries, changes, language));
    return 0;
  } finally {
    await session.core.close();
  }
}

function filterFrom(parsed: Parsed, names: readonly string[]): LogbookFilter {
  const list = (name: string): string[] | undefined => {
    const value = parsed.values[name];
    const items = (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).flatMap((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
    return items.length > 0 ? items : undefined;
  };
  const filter: LogbookFilter = {};
  if (names.length > 0) {
    filter.units = [...names];
  }
  const kinds = list('kind');
  if (kinds) {
    filter.kinds = kinds;
  }
  const actors = list('by');
  if (actors) {
    filter.actors = actors;
  }
  const query = stringOption(parsed, 'query');
  if (query !== undefined) {
    filter.query = query;
  }
  const since = stringOption(parsed, 'since');
  if (since !== undefined) {
    filter.since = since;
  }
  const until = stringOption(parsed, 'until');
  if (until !== undefined) {
    filter.until = until;
  }
  if (boolOption(parsed, 'mine')) {
    filter.origin = 'mine';
  }
  return filter;
}

/** --lang, else $OHTW_LANG: the language human output is said in (English unless asked). */
export function languageOption(parsed: Parsed, env: Record<string, string | undefined> = {}): LogbookLanguage {
  const fromEnv = env.OHTW_LANG === undefined || env.OHTW_LANG === '' ? undefined : env.OHTW_LANG;
  const lang = stringOption(parsed, 'lang') ?? fromEnv ?? 'en';
  if (lang !== 'en' && lang !== 'vi') {
    throw new UsageError(`--lang (or OHTW_LANG) is en or vi, not "${lang}"`);
  }
  return lang;
}

/** Pages through the logbook with its cursor until `limit` entries. */
async function collect(
  api: Awaited<ReturnType<typeof openCore>>['api'],
  filter: LogbookFilter,
  limit: number,
): Promise<LogbookEntry[]> {
  const entries: LogbookEntry[] = [];
  let cursor: string | undefined;
  while (entries.length < limit) {
    const page = await api.call('logbook.list', {
      filter,
      limit: Math.min(PAGE, limit - entries.length),
      ...(cursor === undefined ? {} : { cursor }),
    });
    entries.push(...page.entries);
    if (page.next === null) {
      break;
    }
    cursor = page.next;
  }
  return entries;
}

/** One line per entry (its kind, level or outcome, who, and what in words); a diagnosis's changes beneath it. */
export function formatEntries(
  entries: readonly LogbookEntry[],
  changes: ReadonlyMap<string, DiagnosisChanges>,
  language: LogbookLanguage,
): string {
  if (entries.length === 0) {
    return 'Nothing recorded that matches.';
  }
  const lines = table(
    ['WHEN', 'UNIT', 'KIND', 'RESULT', 'WHO', 'WHAT'],
    entries.map((e) => [
      e.at,
      e.unit ?? '—',
      e.kind,
      e.level ?? e.outcome ?? '',
      // A colleague's entry, pulled from the team, says which laptop it was recorded on.
      e.device ? `${e.actor ?? ''} on ${e.device.label}`.trim() : (e.actor ?? ''),
      describeEntry(e, language),
    ]),
  ).split('\n');
  const [header, ...rows] = lines;
  const out = [header ?? ''];
  entries.forEach((entry, i) => {
    out.push(rows[i] ?? '');
    const found = changes.get(entry.id)?.changes ?? [];
    for (const change of found.slice(0, HISTORY_CHANGE_LINES)) {
      out.push(`    ↳ ${terminalField(change.text)}`);
    }
    if (found.length > HISTORY_CHANGE_LINES) {
      out.push(`    ↳ … and ${found.length - HISTORY_CHANGE_LINES} more`);
    }
  });
  return out.join('\n');
}
