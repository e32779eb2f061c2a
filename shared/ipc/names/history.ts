/** The history's call names, schema-free (the preload bundles these). Keep in step with contracts/history.ts. */
export const HISTORY_CALL_NAMES = ['history.list'] as const;
export const HISTORY_EVENT_NAMES = [] as const;
