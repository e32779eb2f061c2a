import type { CallName } from '../../../shared/ipc/contract';
import type { CoreHandlers } from '../api/CoreApi';
import type { BackupFileAccess } from './BackupFileAccess';
import type { RestoreRecords } from './RestoreRecords';

/**
 * How one feature uses another's calls without importing it: the handler of a call of the contract, looked up in the
 * assembled core when it is called (so that the order features are registered in does not matter). Calls made this
 * way are the features' own work: they are neither validated again nor guarded again.
 */
export type FeatureCalls = {
  handler<N extends CallName>(name: N): CoreHandlers[N];
};

/** Services that are not calls of the contract, which one feature lends to the others, by the port they fill. */
export type LentPorts = {
  /** The backup store's single files, for the Files tab (a copy kept before an edit, a file of a backup). */
  backupFiles: BackupFileAccess;
  /** The units' restore records, for the procedures' restore step (a hand-over to the restore wizard). */
  restoreRecords: RestoreRecords;
};

export type LentPortsLookup = {
  /** The port as lent by the feature that fills it; throws when no registered feature lends it. */
  get<K extends keyof LentPorts>(port: K): LentPorts[K];
};
