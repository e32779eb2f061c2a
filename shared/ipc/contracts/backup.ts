import {
  RestorePlanInputSchema,
  RestorePlanSchema,
  RestoreProgressSchema,
  RestoreResultSchema,
  RestoreRunInputSchema,
} from '../../domain/restore';

/** The backup feature's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const backupCalls = {
  /** The dry run: what a restore of the backup would create, change and delete on the unit, and which services restart. */
  'restore.plan': { input: RestorePlanInputSchema, output: RestorePlanSchema },
  /** The restore transaction; needs confirm: true. Emits restore.progress per phase. */
  'restore.run': { input: RestoreRunInputSchema, output: RestoreResultSchema },
} as const;
export const backupEvents = {
  'restore.progress': RestoreProgressSchema,
} as const;
