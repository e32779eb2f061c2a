import type { LogbookEntry, LogbookLanguage } from '../../../shared/domain/logbook';
import { describeEntry, kindLabel } from '../../../shared/domain/logbookKinds';
import { csvField } from '../util/reportText';

/*
 * What a filter selected, as a file: CSV (one row per entry, in words, for a spreadsheet) or JSON (the entries with
 * their facts and their words in both languages, for another program).
 */

export type ExportFormat = 'csv' | 'json';

export type RenderedEntries = {
  format: ExportFormat;
  mediaType: string;
  fileName: string;
  content: string;
  count: number;
};

/** laptop: the colleague's laptop an entry pulled from the team was recorded on; empty for this laptop's own. */
const CSV_COLUMNS = [
  'time',
  'unit',
  'kind',
  'what',
  'outcome',
  'level',
  'technician',
  'reference',
  'entry',
  'laptop',
] as const;

export function renderEntries(
  entries: readonly LogbookEntry[],
  format: ExportFormat,
  language: LogbookLanguage,
): RenderedEntries {
  if (format === 'json') {
    const content = `${JSON.stringify(
      {
        format: 'ohtw.logbook/1',
        entries: entries.map((entry) => ({
          ...entry,
          words: { en: describeEntry(entry, 'en'), vi: describeEntry(entry, 'vi') },
        })),
      },
      null,
      2,
    )}\n`;
    return { format, mediaType: 'application/json', fileName: 'ohtw-logbook.json', content, count: entries.length };
  }
  const rows = entries.map((entry) =>
    [
      entry.at,
      entry.unit ?? '',
      kindLabel(entry.kind, language),
      describeEntry(entry, language),
      entry.outcome ?? '',
      entry.level ?? '',
      entry.actor ?? '',
      entry.ref ?? '',
      entry.id,
      entry.device?.label ?? '',
    ]
      .map(csvField)
      .join(','),
  );
  // A byte-order mark so that a spreadsheet opens the Vietnamese words as UTF-8.
  const content = `\uFEFF${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
  return { format, mediaType: 'text/csv; charset=utf-8', fileName: 'ohtw-logbook.csv', content, count: entries.length };
}
