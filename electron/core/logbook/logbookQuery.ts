import type { LogbookFilter } from '../../../shared/domain/logbook';
import { findKind, LOGBOOK_KINDS } from '../../../shared/domain/logbookKinds';
import { AppError } from '../../../shared/errors/AppError';

/*
 * A logbook filter as one SQL statement over the logbook table: equality filters on indexed columns, a time range,
 * the full-text match, and the cursor as a row-value comparison on (at_ms, id), so that the next page starts where
 * the last one ended (no OFFSET, no repeats, whatever is written meanwhile) and every page is one ordered scan.
 */

export type LogbookRow = {
  id: number;
  at_ms: number;
  unit: string | null;
  code: string;
  outcome: string | null;
  level: string | null;
  actor: string | null;
  ref: string | null;
  subject: string | null;
  source: 'diagnosis' | 'finding' | 'audit' | 'step' | 'evidence';
  source_key: string;
  /** The colleague's device the entry was recorded on (pulled from the team); null for this laptop. */
  device_id: string | null;
};

export const LOGBOOK_COLUMNS =
  'l.id, l.at_ms, l.unit, l.code, l.outcome, l.level, l.actor, l.ref, l.subject, l.source, l.source_key, l.device_id';

export type Cursor = { atMs: number; id: number };

export function encodeCursor(row: { at_ms: number; id: number }): string {
  return `${row.at_ms.toString(36)}.${row.id.toString(36)}`;
}

export function decodeCursor(text: string): Cursor {
  const match = /^([0-9a-z]{1,12})\.([0-9a-z]{1,12})$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new AppError('VALIDATION', `"${text}" is not a logbook cursor (pass back the "next" of the previous page)`);
  }
  return { atMs: parseInt(match[1], 36), id: parseInt(match[2], 36) };
}

/**
 * A day (local midnight, as the technician's calendar) or a moment, as milliseconds. `endOfDay` makes a bare day
 * mean the end of that day, for `until`.
 */
export function dateToMs(text: string, endOfDay = false): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const start = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + (endOfDay ? 1 : 0)).getTime();
    return start;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new AppError('VALIDATION', `"${text}" is not a date (use 2025-03-01 or 2025-03-01T08:00:00Z)`);
  }
  return ms;
}

/**
 * Words as an FTS5 query: each word quoted (so that punctuation and FTS operators in it are just text), all of them
 * required; a word ending in * matches as a prefix. Undefined when nothing searchable is left.
 */
export function ftsQuery(text: string): string | undefined {
  const words = text
    .split(/\s+/)
    .map((word) => word.trim())
    .filter((word) => word.replace(/\*/g, '') !== '');
  if (words.length === 0) {
    return undefined;
  }
  return words
    .map((word) => {
      const prefix = word.endsWith('*');
      const bare = word.replace(/\*+$/, '').replace(/"/g, '""');
      return `"${bare}"${prefix ? '*' : ''}`;
    })
    .join(' ');
}

export type SqlQuery = { where: string[]; params: Record<string, string | number> };

/** The WHERE clauses (over alias l) and parameters of a filter; the kinds expand to their codes. */
export function filterClauses(filter: LogbookFilter): SqlQuery {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const list = (column: string, name: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) {
      return;
    }
    const names = values.map((value, index) => {
      params[`${name}${index}`] = value;
      return `@${name}${index}`;
    });
    where.push(`l.${column} IN (${names.join(', ')})`);
  };
  list('unit', 'unit', filter.units);
  list('actor', 'actor', filter.actors);
  list('outcome', 'outcome', filter.outcomes);
  list('level', 'level', filter.levels);
  if (filter.origin === 'mine') {
    where.push('l.device_id IS NULL');
  }
  if (filter.kinds && filter.kinds.length > 0) {
    where.push(kindClause(filter.kinds, params));
  }
  if (filter.since !== undefined) {
    params.since = dateToMs(filter.since);
    where.push('l.at_ms >= @since');
  }
  if (filter.until !== undefined) {
    params.until = dateToMs(filter.until, true);
    where.push('l.at_ms < @until');
  }
  const match = filter.query === undefined ? undefined : ftsQuery(filter.query);
  if (match !== undefined) {
    params.match = match;
    where.push('l.id IN (SELECT rowid FROM logbook_fts WHERE logbook_fts MATCH @match)');
  }
  return { where, params };
}

function kindClause(kinds: readonly string[], params: Record<string, string | number>): string {
  const parts: string[] = [];
  let n = 0;
  for (const id of kinds) {
    const kind = findKind(id);
    if (!kind) {
      throw new AppError(
        'VALIDATION',
        `"${id}" is not a kind of logbook entry (one of ${LOGBOOK_KINDS.map((k) => k.id).join(', ')})`,
      );
    }
    for (const pattern of kind.codes) {
      if (pattern.endsWith('.*')) {
        // A prefix as a range, so that the code index serves it: 'restore.' ≤ code < 'restore/' ('/' follows '.').
        const prefix = pattern.slice(0, -1);
        params[`codeFrom${n}`] = prefix;
        params[`codeTo${n}`] = `${prefix.slice(0, -1)}/`;
        parts.push(`(l.code >= @codeFrom${n} AND l.code < @codeTo${n})`);
      } else {
        params[`code${n}`] = pattern;
        parts.push(`l.code = @code${n}`);
      }
      n += 1;
    }
  }
  return `(${parts.join(' OR ')})`;
}

/**
 * How a page with words is found. 'search': from the full-text matches, sorted by time (few matches). 'scan': down
 * the time-ordered index the other filters pick, keeping the rows among the matches (many matches, where sorting
 * them all would cost more than stepping over the rows that do not match).
 */
export type SearchDrive = 'search' | 'scan';

/** One page, newest first, starting after the cursor. */
export function pageQuery(
  filter: LogbookFilter,
  cursor: Cursor | undefined,
  limit: number,
  drive: SearchDrive = 'search',
): SqlQuery & { sql: string } {
  const { where, params } = filterClauses(filter);
  if (cursor) {
    params.cursorAt = cursor.atMs;
    params.cursorId = cursor.id;
    where.push('(l.at_ms, l.id) < (@cursorAt, @cursorId)');
  }
  params.limit = limit;
  const indexed = params.match !== undefined && drive === 'scan' ? ` INDEXED BY ${scanIndex(filter)}` : '';
  const sql = `SELECT ${LOGBOOK_COLUMNS} FROM logbook l${indexed}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY l.at_ms DESC, l.id DESC LIMIT @limit`;
  return { sql, where, params };
}

/** The time-ordered index of the most selective filter given, to walk while probing the matches. */
function scanIndex(filter: LogbookFilter): string {
  if (filter.units?.length === 1) {
    return 'logbook_by_unit';
  }
  if (filter.actors?.length === 1) {
    return 'logbook_by_actor';
  }
  if (filter.levels?.length === 1) {
    return 'logbook_by_level';
  }
  if (filter.outcomes?.length === 1) {
    return 'logbook_by_outcome';
  }
  return 'logbook_by_time';
}

/** Counts the matches of a search, stopping at `cap`: enough to choose how to find the page. */
export const MATCH_COUNT_SQL = 'SELECT count(*) FROM (SELECT rowid FROM logbook_fts WHERE logbook_fts MATCH ? LIMIT ?)';
