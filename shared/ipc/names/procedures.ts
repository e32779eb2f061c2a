import { PROCEDURE_LIBRARY_CALL_NAMES, PROCEDURE_LIBRARY_EVENT_NAMES } from './procedureLibrary';
import { PROCEDURE_RUN_CALL_NAMES, PROCEDURE_RUN_EVENT_NAMES } from './procedureRuns';

/** The procedures feature's call and event names, schema-free (the preload bundles these). Keep in step with contracts/procedures.ts. */
export const PROCEDURES_CALL_NAMES = [...PROCEDURE_LIBRARY_CALL_NAMES, ...PROCEDURE_RUN_CALL_NAMES] as const;
export const PROCEDURES_EVENT_NAMES = [...PROCEDURE_LIBRARY_EVENT_NAMES, ...PROCEDURE_RUN_EVENT_NAMES] as const;
