import { AppError } from '../../../../shared/errors/AppError';
import type { PROCEDURE_RUN_CALL_NAMES } from '../../../../shared/ipc/names/procedureRuns';
import type { CoreHandlers } from '../../api/CoreApi';
import type { FeatureDeps } from '../../feature';
import { DEFAULT_FIRMWARE_TOKEN, OperationRegistry, type OperationDelegates } from '../operations/registry';
import { renderReport } from '../report/report';
import { RunService, type ProcedureSource } from './RunService';

export type ProcedureRunCallName = (typeof PROCEDURE_RUN_CALL_NAMES)[number];

export type RunFeatureOptions = {
  /** Where procedures come from: the procedure library (the shipped ones and the data folder's edited versions). */
  procedures: ProcedureSource;
  /** Operations lent by other features (backups, restore, the RS485 bus) once they exist. */
  delegates?: OperationDelegates;
};

/** The run engine's slice of the procedures feature: runs, sign-off, reports and the audit verification. */
export function createRunFeature(
  deps: FeatureDeps,
  options: RunFeatureOptions,
): { handlers: Pick<CoreHandlers, ProcedureRunCallName>; service: RunService; close(): Promise<void> } {
  const service = new RunService({
    db: deps.db,
    history: deps.history,
    connector: deps.connector,
    events: deps.events,
    clock: deps.clock,
    logger: deps.logger,
    thresholds: () => deps.settings.getThresholds(),
    procedures: options.procedures,
    operations: new OperationRegistry({
      firmwareToken: deps.env.OHTW_FIRMWARE_TOKEN || DEFAULT_FIRMWARE_TOKEN,
      ...(options.delegates ? { delegates: options.delegates } : {}),
    }),
    appVersion: deps.layout.version,
  });
  const handlers: Pick<CoreHandlers, ProcedureRunCallName> = {
    'procedures.start': async (input, context) =>
      service.start(
        {
          procedureId: input.procedureId,
          version: input.version,
          units: input.units,
          params: input.params,
          answers: input.answers,
        },
        context.actor,
      ),
    'procedures.run.get': async (input) => service.get(input.runId),
    'procedures.run.step': async (input, context) =>
      service.step(input.runId, input.stepId, input.answer, context.actor),
    'procedures.run.abort': async (input, context) => service.abort(input.runId, input.reason, context.actor),
    'procedures.run.escalate': async (input, context) =>
      service.escalate(input.runId, input.level, input.note, context.actor),
    'procedures.run.sign': async (input, context) => service.sign(input.runId, input.name, context.actor),
    'procedures.runs': async (input) => service.runsOf(input.unit, input.limit),
    'procedures.report': async (input) =>
      renderReport(service.get(input.runId), input.format, {
        appVersion: deps.layout.version,
        generatedAt: deps.clock.nowIso(),
        blob: (sha256) => service.blob(sha256),
        auditHead: deps.history.auditHead(),
        language: input.language,
      }),
    'procedures.reportPdf': async (input) => {
      if (!deps.pdfPrinter) {
        throw new AppError(
          'PRECONDITION_FAILED',
          'No browser engine to print PDF with here (Chromium at CHROMIUM_PATH, or the desktop app): export the HTML report and print it',
        );
      }
      const html = renderReport(service.get(input.runId), 'html', {
        appVersion: deps.layout.version,
        generatedAt: deps.clock.nowIso(),
        blob: (sha256) => service.blob(sha256),
        auditHead: deps.history.auditHead(),
        language: input.language,
      });
      const pdf = await deps.pdfPrinter.printHtmlToPdf(html.content);
      return {
        mediaType: 'application/pdf' as const,
        fileName: html.fileName.replace(/\.html$/, '.pdf'),
        contentBase64: Buffer.from(pdf).toString('base64'),
      };
    },
    'audit.verify': async () => service.verify(),
  };
  return { handlers, service, close: () => service.close() };
}
