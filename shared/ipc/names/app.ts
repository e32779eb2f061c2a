/** The application's call names, schema-free (the preload bundles these). Keep in step with contracts/app.ts. */
export const APP_CALL_NAMES = ['app.info'] as const;
export const APP_EVENT_NAMES = [] as const;
