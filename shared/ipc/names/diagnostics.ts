/** The diagnostics' call and event names, schema-free (the preload bundles these). Keep in step with contracts/diagnostics.ts. */
export const DIAGNOSTICS_CALL_NAMES = ['diagnostics.run', 'diagnostics.get', 'diagnostics.changes'] as const;
export const DIAGNOSTICS_EVENT_NAMES = ['diagnostics.progress'] as const;
