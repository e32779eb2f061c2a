/** The rs485 feature's call and event names, schema-free (the preload bundles these). Keep in step with contracts/rs485.ts. */
export const RS485_CALL_NAMES = [] as const;
export const RS485_EVENT_NAMES = [] as const;
