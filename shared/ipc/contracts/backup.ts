/** The backup feature's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const backupCalls = {} as const;
export const backupEvents = {} as const;
