import type { LogbookLanguage } from '../../../../shared/domain/logbook';
import { esc } from '../../util/reportText';

/*
 * The printable page both fleet reports share: A4, no scripts, no requests (the charts are inline SVG), and the
 * words a site lead reads in English or Vietnamese.
 */

export function reportPage(options: {
  language: LogbookLanguage;
  title: string;
  body: string;
  footer: string;
}): string {
  return `<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(options.title)}</title>
<style>
  @page { size: A4; margin: 14mm; }
  body { font: 10pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; }
  h1 { font-size: 16pt; margin: 0 0 6px; } h2 { font-size: 12pt; margin: 14px 0 4px; border-bottom: 1px solid #999; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0; }
  th, td { text-align: left; padding: 2px 6px 2px 0; vertical-align: top; border-bottom: 1px solid #e4e4e4; }
  th { font-weight: bold; font-size: 9pt; color: #333; }
  .meta { color: #666; font-size: 8.5pt; } code { font-size: 8pt; word-break: break-all; }
  td code.id { white-space: nowrap; word-break: normal; }
  .level { font-weight: bold; } .OK { color: #1e7040; } .WARN { color: #9a7000; } .ERROR { color: #a8231a; }
  .STALE { color: #555; } .bad { color: #a8231a; font-weight: bold; } .good { color: #1e7040; }
  .chart { page-break-inside: avoid; margin: 6px 0 10px; } .chart h3 { font-size: 10pt; margin: 4px 0; }
  .recharts-legend-wrapper ul { padding: 0; margin: 0; text-align: center; }
  .recharts-legend-item { display: inline-block; margin-right: 10px; }
  section { page-break-inside: auto; }
</style>
</head>
<body>
<h1>${esc(options.title)}</h1>
${options.body}
<p class="meta">${esc(options.footer)}</p>
</body>
</html>
`;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) {
    return `<p class="meta">${esc(empty)}</p>`;
  }
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A chart as the printed page takes it: its title and the SVG recharts drew (markup, not text). */
export type DrawnChart = { title: string; markup: string };

/** A chart's title and its drawn SVG (already markup from recharts, not text). */
export function chartBlock(title: string, markup: string): string {
  return `<div class="chart"><h3>${esc(title)}</h3>${markup}</div>`;
}

export function levelCell(level: string | null): string {
  return level ? `<span class="level ${esc(level)}">${esc(level)}</span>` : '—';
}

/** ISO time as the report's reader reads it: date and time to the minute, in the workstation's time zone. */
export function when(iso: string | null, language: LogbookLanguage, withTime = true): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? esc(iso)
    : esc(
        date.toLocaleString(language === 'vi' ? 'vi-VN' : 'en-GB', {
          dateStyle: 'medium',
          ...(withTime ? { timeStyle: 'short' as const } : {}),
        }),
      );
}
