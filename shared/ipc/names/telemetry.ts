/** The telemetry's call and event names, schema-free (the preload bundles these). Keep in step with contracts/telemetry.ts. */
export const TELEMETRY_CALL_NAMES = ['telemetry.start', 'telemetry.stop', 'telemetry.history'] as const;
export const TELEMETRY_EVENT_NAMES = ['telemetry.samples'] as const;
