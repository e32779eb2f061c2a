/** The procedure library's call names, schema-free (the preload bundles these). Keep in step with contracts/procedureLibrary.ts. */
export const PROCEDURE_LIBRARY_CALL_NAMES = [
  'procedures.list',
  'procedures.get',
  'procedures.save',
  'procedures.invalid',
  'procedures.forCheck',
  'escalation.contacts.get',
  'escalation.contacts.set',
] as const;
export const PROCEDURE_LIBRARY_EVENT_NAMES = [] as const;
