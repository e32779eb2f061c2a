import type { ReportRequest, SiteReport, UnitRecord } from '../../../../shared/domain/fleetReports';
import type { LogbookLanguage } from '../../../../shared/domain/logbook';
import type { JsonValue } from '../../../../shared/errors/AppError';
import { siteCharts, unitCharts } from '../../../../shared/domain/reportCharts';
import { canonicalJson } from '../../history/canonicalJson';
import { csvField } from '../../util/reportText';
import { drawCharts } from './drawCharts';
import { siteReportCsv, siteReportHtml } from './siteReportHtml';
import { unitRecordCsv, unitRecordHtml } from './unitReport';

export type FleetReportFormat = 'html' | 'csv' | 'json';
export type RenderedFleetReport = { mediaType: string; fileName: string; content: string };

export type FleetReportData = { report: 'unit'; record: UnitRecord } | { report: 'site'; site: SiteReport };

/** A fleet report in a file format; the printable page carries its charts drawn with recharts as SVG. */
export async function renderFleetReport(
  data: FleetReportData,
  format: FleetReportFormat,
  language: LogbookLanguage,
  appVersion: string,
): Promise<RenderedFleetReport> {
  const base =
    data.report === 'unit'
      ? `ohtw-service-record-${data.record.unit}`
      : `ohtw-site-report-${data.site.since.slice(0, 10)}`;
  switch (format) {
    case 'json': {
      const value: JsonValue = JSON.parse(
        JSON.stringify(
          data.report === 'unit'
            ? { format: 'ohtw.service-record/1', record: data.record }
            : { format: 'ohtw.site-report/1', report: data.site },
        ),
      ) as JsonValue;
      // Canonical (sorted keys) and then indented, so two exports of the same history are the same file.
      const content = `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
      return { mediaType: 'application/json', fileName: `${base}.json`, content };
    }
    case 'csv': {
      const rows = data.report === 'unit' ? unitRecordCsv(data.record, language) : siteReportCsv(data.site);
      return {
        mediaType: 'text/csv; charset=utf-8',
        fileName: `${base}.csv`,
        content: `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`,
      };
    }
    case 'html': {
      const specs = data.report === 'unit' ? unitCharts(data.record, language) : siteCharts(data.site, language);
      const drawn = await drawCharts(specs);
      const charts = specs.map((spec, i) => ({ title: spec.title, markup: drawn[i] ?? '' }));
      const content =
        data.report === 'unit'
          ? unitRecordHtml(data.record, language, charts, appVersion)
          : siteReportHtml(data.site, language, charts, appVersion);
      return { mediaType: 'text/html; charset=utf-8', fileName: `${base}.html`, content };
    }
  }
}

export type { ReportRequest };
