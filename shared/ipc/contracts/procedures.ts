import { procedureRunCalls, procedureRunEvents } from './procedureRuns';

/** The procedures feature's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const proceduresCalls = {
  ...procedureRunCalls,
} as const;
export const proceduresEvents = {
  ...procedureRunEvents,
} as const;
