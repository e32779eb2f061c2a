/** The session's call names, schema-free (the preload bundles these). Keep in step with contracts/session.ts. */
export const SESSION_CALL_NAMES = ['session.get', 'session.setTechnician', 'session.unlock'] as const;
export const SESSION_EVENT_NAMES = [] as const;
