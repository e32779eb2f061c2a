/** The procedures feature's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const proceduresCalls = {} as const;
export const proceduresEvents = {} as const;
