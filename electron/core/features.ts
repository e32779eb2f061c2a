import type { CallName } from '../../shared/ipc/contract';
import { createAppFeature } from './app/appFeature';
import { createBackupFeature } from './backup/backupFeature';
import { createDiagnosticsFeature } from './diagnostics/diagnosticsFeature';
import { createFilesFeature } from './files/filesFeature';
import { createHistoryFeature } from './history/historyFeature';
import { createLogbookFeature } from './logbook/logbookFeature';
import { createLogsFeature } from './logs/logsFeature';
import { createProceduresFeature } from './procedures/proceduresFeature';
import { createRs485Feature } from './rs485/rs485Feature';
import { createSessionFeature } from './session/sessionFeature';
import { createSettingsFeature } from './settings/settingsFeature';
import { createStreamsFeature } from './streams/streamsFeature';
import { createTeamFeature } from './team/teamFeature';
import { createTelemetryFeature } from './telemetry/telemetryFeature';
import { createTerminalFeature } from './terminal/terminalFeature';
import { createUnitsFeature } from './units/unitsFeature';

/**
 * Every feature of the core, registered alike: createCore opens them in this order and closes them in the reverse
 * one (procedures may be using backups, backups the bus). Features reach each other only through the contract's
 * calls and the ports they lend, so the order is only that of closing. A new feature adds one line here.
 */
export const FEATURES = [
  createAppFeature,
  createSessionFeature,
  createUnitsFeature,
  createDiagnosticsFeature,
  createSettingsFeature,
  createTelemetryFeature,
  createHistoryFeature,
  createStreamsFeature,
  createRs485Feature,
  createBackupFeature,
  createProceduresFeature,
  createLogbookFeature,
  createTerminalFeature,
  createLogsFeature,
  createFilesFeature,
  createTeamFeature,
] as const;

type NamesOf<F> = F extends { handlers: infer H } ? keyof H : never;
type RegisteredName = NamesOf<ReturnType<(typeof FEATURES)[number]>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
// Every call of the contract is answered by a registered feature; this line fails to compile otherwise.
const everyCallAnswered: Same<RegisteredName, CallName> = true;
void everyCallAnswered;
