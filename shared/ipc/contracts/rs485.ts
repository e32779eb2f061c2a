/** The rs485 feature's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const rs485Calls = {} as const;
export const rs485Events = {} as const;
