import type { BackupUnitResult } from '../../../../shared/domain/backup';
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
        summary:
          `back up ${unit.name} into the workstation's backup store (asked for: ${scope}; the unit's backup profile ` +
          'is taken whole): files read through sudo over SSH, the database copied with SQLite’s own backup, ' +
          'nothing on the unit changed',
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
          message: `backup of ${context.unit.name} failed: ${result.error?.message ?? 'no backup was committed'}`,
          output,
        };
      }
      const warnings = result.warnings.length > 0 ? `; ${result.warnings.length} warning(s)` : '';
      return {
        ok: true,
        exitCode: null,
        message:
          `backup ${result.backupId} of ${context.unit.name}: ${result.files} files, ${result.bytes} bytes read, ` +
          `${result.newBytes} new${warnings}`,
        output,
      };
    },
  };
}
