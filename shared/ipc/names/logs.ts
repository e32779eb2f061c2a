/** The live logs' call and event names, schema-free (the preload bundles these). Keep in step with contracts/logs.ts. */
export const LOGS_CALL_NAMES = [
  'logs.follow',
  'logs.read',
  'logs.services',
  'logs.saveView',
  'logs.views',
  'logs.view',
] as const;
export const LOGS_EVENT_NAMES = ['logs.lines'] as const;
