/** One restore transaction of a unit as its record keeps it, with the phases it went through. */
export type RestoreRecordView = {
  transactionId: string;
  backupId: string;
  startedAt: string;
  startedBy: string;
  finishedAt: string | null;
  result: 'committed' | 'rolled-back' | 'failed' | 'refused' | null;
  reason: string | null;
  phases: { phase: string; status: string; detail: string }[];
};

/** The units' restore records, which the backup feature keeps and lends to the procedures' restore step. */
export type RestoreRecords = {
  /** The unit's newest restore transaction (the wizard's, the CLI's), or null when it was never restored here. */
  latestRestore(unit: string): RestoreRecordView | null;
};
