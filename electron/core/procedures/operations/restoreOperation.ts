import type { RestoreRecordView } from '../../ports/RestoreRecords';
import { askedScope } from './backupOperation';
import type { Operation } from './registry';

/** What the restore step reads: the unit's newest backup and its newest restore, both from the backup feature. */
export type RestoreRecords = {
  /** When the unit's newest backup (not a restore's snapshot) was taken; null when it has none. */
  latestBackupAt(unit: string): Promise<string | null>;
  latestRestore(unit: string): RestoreRecordView | null;
};

const WIZARD =
  "restore it on the Backups page's restore wizard (or ohtw restore NAME ID): pick the backup, read its dry run, " +
  'confirm; then run this step again';

function describeRestore(restore: RestoreRecordView): string {
  return [
    `restore ${restore.transactionId} of backup ${restore.backupId}`,
    `started ${restore.startedAt} by ${restore.startedBy}, finished ${restore.finishedAt ?? '(not finished)'}: ${restore.result ?? 'running'}${restore.reason === null ? '' : ` (${restore.reason})`}`,
    ...restore.phases.map((p) => `  ${p.phase}: ${p.status}${p.detail === '' ? '' : `: ${p.detail}`}`),
  ].join('\n');
}

/**
 * The procedures' `restore.unit` step: a hand-over to the restore wizard, which shows the dry run before anything is
 * written and runs the restore as a recorded transaction with its snapshot and rollback. The step itself sends
 * nothing to the unit: it takes as its evidence the unit's restore committed after the unit's newest backup (the
 * procedure's safety backup, taken a few steps before), and fails, saying what to do, while there is none.
 */
export function restoreHandOverOperation(records: RestoreRecords): Operation {
  return {
    name: 'restore.unit',
    plan(unit, params) {
      const scope = askedScope(params);
      return {
        summary:
          `record the restore of ${unit.name} (asked for: ${scope}) done in the Backups page's restore wizard, which ` +
          'shows its dry run first and restores the backup profile whole: the step checks that a restore committed ' +
          `after ${unit.name}'s latest backup and keeps its transaction as evidence; it sends nothing to the unit`,
        commands: [],
        mutating: false,
        available: true,
        unavailableReason: null,
      };
    },
    async run({ unit }) {
      const since = await records.latestBackupAt(unit.name);
      const restore = records.latestRestore(unit.name);
      const after = restore !== null && (since === null || restore.startedAt >= since);
      if (!after) {
        return {
          ok: false,
          exitCode: null,
          message: `no restore of ${unit.name} since its latest backup${since === null ? '' : ` (${since})`}: ${WIZARD}`,
          output: restore === null ? '' : `the last restore, before that backup:\n${describeRestore(restore)}`,
        };
      }
      const committed = restore.result === 'committed';
      return {
        ok: committed,
        exitCode: null,
        message: committed
          ? `${unit.name} was restored from backup ${restore.backupId} (restore ${restore.transactionId}, committed)`
          : `the restore of ${unit.name} from ${restore.backupId} ended ${restore.result ?? 'unfinished'}${restore.reason === null ? '' : `: ${restore.reason}`}; ${WIZARD}`,
        output: describeRestore(restore),
      };
    },
  };
}
