import type BetterSqlite3 from 'better-sqlite3';

import type {
  LogbookDetail,
  LogbookEntry,
  LogbookFilter,
  LogbookLanguage,
  LogbookPage,
} from '../../../shared/domain/logbook';
import { AppError } from '../../../shared/errors/AppError';
import { toDbError } from '../history/dbErrors';
import { LogbookFactReader } from './logbookFacts';
import {
  decodeCursor,
  encodeCursor,
  ftsQuery,
  LOGBOOK_COLUMNS,
  MATCH_COUNT_SQL,
  pageQuery,
  type LogbookRow,
  type SearchDrive,
} from './logbookQuery';
import { renderEntries, type ExportFormat } from './logbookExport';

/** At most this many entries leave in one export; a bigger one asks for a narrower filter. */
export const EXPORT_MAX = 100_000;
/** Up to this many matches a search page sorts them; beyond, it walks the time index and keeps the matches. */
export const SEARCH_SORT_MAX = 2000;
const EXPORT_PAGE = 1000;

/** The fleet's logbook over the history database: pages, one entry's detail, exports. */
export class LogbookService {
  private readonly facts: LogbookFactReader;
  private readonly byId: BetterSqlite3.Statement<[number], LogbookRow>;
  private readonly file: string;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly searchSortMax = SEARCH_SORT_MAX,
  ) {
    this.facts = new LogbookFactReader(db);
    this.byId = db.prepare(`SELECT ${LOGBOOK_COLUMNS} FROM logbook l WHERE l.id = ?`);
    this.file = db.name;
  }

  /** One page, newest first; `next` continues after its last entry. */
  page(filter: LogbookFilter, cursor: string | undefined, limit: number): LogbookPage {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    return this.guard('reading the logbook', () => {
      const rows = this.rows(filter, after, limit + 1);
      const shown = rows.slice(0, limit);
      const last = shown[shown.length - 1];
      return {
        entries: this.facts.entries(shown),
        next: rows.length > limit && last ? encodeCursor(last) : null,
      };
    });
  }

  /** Raw rows for reports that count rather than show (no facts read). */
  rows(filter: LogbookFilter, after: { atMs: number; id: number } | undefined, limit: number): LogbookRow[] {
    try {
      const { sql, params } = pageQuery(filter, after, limit, this.searchDrive(filter));
      return this.db.prepare<Record<string, string | number>, LogbookRow>(sql).all(params);
    } catch (error) {
      if (error instanceof Error && /fts5: syntax error|no such column/.test(error.message)) {
        throw new AppError('VALIDATION', `the search "${filter.query ?? ''}" cannot be read: ${error.message}`);
      }
      throw error;
    }
  }

  private searchDrive(filter: LogbookFilter): SearchDrive {
    const match = filter.query === undefined ? undefined : ftsQuery(filter.query);
    if (match === undefined) {
      return 'search';
    }
    const count = Number(
      this.db
        .prepare(MATCH_COUNT_SQL)
        .pluck()
        .get(match, this.searchSortMax + 1),
    );
    return count > this.searchSortMax ? 'scan' : 'search';
  }

  /** Every entry the filter selects (the newest `limit` when given), oldest last, up to EXPORT_MAX. */
  all(filter: LogbookFilter, limit = EXPORT_MAX): LogbookEntry[] {
    return this.guard('exporting the logbook', () => {
      const entries: LogbookEntry[] = [];
      let after: { atMs: number; id: number } | undefined;
      for (;;) {
        const want = Math.min(EXPORT_PAGE, limit - entries.length);
        const rows = this.rows(filter, after, want);
        entries.push(...this.facts.entries(rows));
        const last = rows[rows.length - 1];
        if (rows.length < want || !last || entries.length >= limit) {
          return entries;
        }
        if (entries.length >= EXPORT_MAX) {
          throw new AppError(
            'VALIDATION',
            `the filter selects more than ${EXPORT_MAX} entries; narrow it (a unit, a kind or a time range) to export`,
          );
        }
        after = { atMs: last.at_ms, id: last.id };
      }
    });
  }

  export(filter: LogbookFilter, format: ExportFormat, language: LogbookLanguage, limit?: number) {
    return renderEntries(this.all(filter, limit), format, language);
  }

  /** The units and technicians the logbook names, each read by a skip through its index (not a scan). */
  facets(): { units: string[]; actors: string[] } {
    return this.guard('reading the logbook', () => ({ units: this.distinct('unit'), actors: this.distinct('actor') }));
  }

  private distinct(column: 'unit' | 'actor'): string[] {
    return this.db
      .prepare<[], { v: string }>(
        `WITH RECURSIVE seen(v) AS (
           SELECT min(${column}) FROM logbook
           UNION ALL
           SELECT (SELECT min(${column}) FROM logbook WHERE ${column} > seen.v) FROM seen WHERE seen.v IS NOT NULL
         )
         SELECT v FROM seen WHERE v IS NOT NULL LIMIT 10000`,
      )
      .all()
      .map((row) => row.v);
  }

  detail(id: string): LogbookDetail {
    const row = /^\d{1,15}$/.test(id)
      ? this.guard('reading a logbook entry', () => this.byId.get(Number(id)))
      : undefined;
    if (!row) {
      throw new AppError('NOT_FOUND', `logbook entry ${id} not found`, { details: { id } });
    }
    return this.guard('reading a logbook entry', () => ({
      entry: this.facts.entry(row),
      lines: this.facts.details(row),
    }));
  }

  private guard<T>(doing: string, operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (error instanceof AppError) {
        throw error;
      }
      throw toDbError(error, this.file, doing);
    }
  }
}
