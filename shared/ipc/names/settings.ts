/** The settings' call names, schema-free (the preload bundles these). Keep in step with contracts/settings.ts. */
export const SETTINGS_CALL_NAMES = ['settings.get', 'settings.setThresholds'] as const;
export const SETTINGS_EVENT_NAMES = [] as const;
