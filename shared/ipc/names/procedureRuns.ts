/** The procedure runs' call and event names, schema-free (the preload bundles these). Keep in step with contracts/procedureRuns.ts. */
export const PROCEDURE_RUN_CALL_NAMES = [
  'procedures.start',
  'procedures.run.get',
  'procedures.run.step',
  'procedures.run.abort',
  'procedures.run.escalate',
  'procedures.run.sign',
  'procedures.runs',
  'procedures.report',
  'procedures.reportPdf',
  'audit.verify',
] as const;
export const PROCEDURE_RUN_EVENT_NAMES = ['procedures.runChanged'] as const;
