import { procedureLibraryCalls, procedureLibraryEvents } from './procedureLibrary';
import { procedureRunCalls, procedureRunEvents } from './procedureRuns';

/** The procedures feature's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const proceduresCalls = {
  ...procedureLibraryCalls,
  ...procedureRunCalls,
} as const;
export const proceduresEvents = {
  ...procedureLibraryEvents,
  ...procedureRunEvents,
} as const;
