import type { BackupUnitResult } from '../../../../shared/domain/backup';
import { said, say } from '../../../../shared/domain/words';
import { planSummary } from '../runner/execute';
import type { Operation, OperationParams } from './registry';

/** Backs up one unit through the backup feature, as the named actor; resolves with that unit's result. */
export type BackupRunner = (unit: string, actor: string) => Promise<BackupUnitResult>;

/**
 * The procedures' `backup.unit` step, lent by the backup feature: a full backup of the unit by its backup profile
 * into the workstation's store. It only reads the unit (the database is copied online, never by stopping its
 * service from a procedure), so it needs no gate.
 */
/** The scope a backup or restore step asks for; the unit's backup profile is taken whole whatever it says. */
export function askedScope(params: OperationParams): string {
  return typeof params.scope === 'string' ? params.scope : 'full';
}

export function backupUnitOperation(runBackup: BackupRunner): Operation {
  return {
    name: 'backup.unit',
    plan(unit, params) {
      const scope = askedScope(params);
      return {
        ...planSummary(say('plan.backup', { unit: unit.name, scope: { raw: scope } })),
        commands: [
          { line: "sudo -n tar -c --numeric-owner -f - … (the paths of the unit's backup profile)", sudo: true },
        ],
        mutating: false,
        available: true,
        unavailableReason: null,
      };
    },
    async run(context) {
      const result = await runBackup(context.unit.name, context.actor);
      const output = JSON.stringify(result, null, 2);
      if (result.status !== 'ok' || result.backupId === null) {
        return {
          ok: false,
          exitCode: null,
          ...said('operation.backupFailed', {
            unit: context.unit.name,
            error: result.error ? { raw: result.error.message } : say('operation.noBackupCommitted'),
          }),
          output,
        };
      }
      const warnings = result.warnings.length > 0 ? say('operation.warnings', { count: result.warnings.length }) : '';
      return {
        ok: true,
        exitCode: null,
        ...said('operation.backupDone', {
          backup: result.backupId,
          unit: context.unit.name,
          files: result.files,
          bytes: result.bytes,
          newBytes: result.newBytes,
          warnings,
        }),
        output,
      };
    },
  };
}
