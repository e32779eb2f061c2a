import { AppError } from '../../../shared/errors/AppError';
import type { ReportRequest } from '../../../shared/domain/fleetReports';
import type { LogbookLanguage } from '../../../shared/domain/logbook';
import type { LOGBOOK_CALL_NAMES } from '../../../shared/ipc/names/logbook';
import type { CoreFeature, FeatureDeps } from '../feature';
import { LogbookService } from './LogbookService';
import { renderFleetReport, type FleetReportData } from './report/renderFleetReport';
import { unitRecord, type ReportDeps } from './serviceRecord';
import { siteReport } from './siteReport';

export type LogbookCallName = (typeof LOGBOOK_CALL_NAMES)[number];

/** The logbook's slice of the contract: the fleet's history, its exports, the service record and the site report. */
export function createLogbookFeature(deps: FeatureDeps): CoreFeature<LogbookCallName> {
  // The reports read backups through the backup feature's own list call.
  const listBackups = deps.calls.handler('backup.list');
  const logbook = new LogbookService(deps.db);
  const reportDeps: ReportDeps = {
    db: deps.db,
    history: deps.history,
    logbook,
    backups: {
      list: (unit) =>
        listBackups(
          { kind: 'backup', ...(unit === undefined ? {} : { unit }) },
          { face: deps.face, actor: deps.actor() },
        ),
    },
    now: () => deps.clock.nowIso(),
  };
  const gather = async (request: ReportRequest): Promise<FleetReportData> =>
    request.report === 'unit'
      ? { report: 'unit', record: await unitRecord(reportDeps, request.name, request.since) }
      : { report: 'site', site: await siteReport(reportDeps, request) };
  const render = async (request: ReportRequest, format: 'html' | 'csv' | 'json', language: LogbookLanguage) =>
    renderFleetReport(await gather(request), format, language, deps.layout.version);

  return {
    handlers: {
      'logbook.list': async (input) => logbook.page(input.filter, input.cursor, input.limit),
      'logbook.get': async (input) => logbook.detail(input.id),
      'logbook.export': async (input) => logbook.export(input.filter, input.format, input.language, input.limit),
      'logbook.facets': async () => logbook.facets(),
      'reports.unit': async (input) => unitRecord(reportDeps, input.name, input.since),
      'reports.site': async (input) => siteReport(reportDeps, input),
      'reports.render': async (input) => render(input.request, input.format, input.language),
      'reports.pdf': async (input) => {
        if (!deps.pdfPrinter) {
          throw new AppError(
            'PRECONDITION_FAILED',
            'No browser engine to print PDF with here (Chromium at CHROMIUM_PATH, or the desktop app): export the HTML report and print it',
          );
        }
        const page = await render(input.request, 'html', input.language);
        const pdf = await deps.pdfPrinter.printHtmlToPdf(page.content);
        return {
          mediaType: 'application/pdf' as const,
          fileName: page.fileName.replace(/\.html$/, '.pdf'),
          contentBase64: Buffer.from(pdf).toString('base64'),
        };
      },
    },
    async close() {},
  };
}
