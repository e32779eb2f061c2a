/** The logbook's call and event names, schema-free (the preload bundles these). Keep in step with contracts/logbook.ts. */
export const LOGBOOK_CALL_NAMES = [
  'logbook.list',
  'logbook.get',
  'logbook.export',
  'logbook.facets',
  'reports.unit',
  'reports.site',
  'reports.render',
  'reports.pdf',
] as const;
export const LOGBOOK_EVENT_NAMES = [] as const;
