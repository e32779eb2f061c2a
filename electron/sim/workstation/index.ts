import type { ScriptHandle } from '../shell/run';
import type { SimVehicle } from '../SimVehicle';
import { answerBackupScripts } from './backupScripts';
import { answerRestoreScripts } from './restoreScripts';
import { runner } from './scriptRunner';

/**
 * Answers a script the workstation's backup or restore sends (see backupScripts.ts and restoreScripts.ts) the way a
 * vehicle's sh runs it; null for any other script, which the simulated shell then interprets itself.
 */
export function answerWorkstationScript(vehicle: SimVehicle, script: string, shell: ScriptHandle): number | null {
  if (!/ohtw|\$\(systemctl is-active|^set -u\n/.test(script)) {
    return null;
  }
  const r = runner(vehicle, shell);
  return answerBackupScripts(script, r) ?? answerRestoreScripts(script, r);
}
