/**
 * The names of the contract's calls and events without their schemas, so that the Electron preload
 * (bundled, sandboxed) can allow-list them without carrying zod. contract.ts checks that both lists agree.
 */
import { BACKUP_CALL_NAMES, BACKUP_EVENT_NAMES } from './names/backup';
import { LOGBOOK_CALL_NAMES, LOGBOOK_EVENT_NAMES } from './names/logbook';
import { PROCEDURES_CALL_NAMES, PROCEDURES_EVENT_NAMES } from './names/procedures';
import { RS485_CALL_NAMES, RS485_EVENT_NAMES } from './names/rs485';
import { STREAM_CALL_NAMES, STREAM_EVENT_NAMES } from './names/streams';
import { TERMINAL_CALL_NAMES, TERMINAL_EVENT_NAMES } from './names/terminal';
import { LOGS_CALL_NAMES, LOGS_EVENT_NAMES } from './names/logs';
import { FILES_CALL_NAMES, FILES_EVENT_NAMES } from './names/files';
import { TEAM_CALL_NAMES, TEAM_EVENT_NAMES } from './names/team';

export const CALL_NAME_LIST = [
  'app.info',
  'units.list',
  'units.add',
  'units.remove',
  'units.probeHostKey',
  'units.trust',
  'diagnostics.run',
  'diagnostics.get',
  'diagnostics.changes',
  'settings.get',
  'settings.setThresholds',
  'telemetry.start',
  'telemetry.stop',
  'telemetry.history',
  'session.get',
  'session.setTechnician',
  'session.unlock',
  'history.list',
  ...RS485_CALL_NAMES,
  ...BACKUP_CALL_NAMES,
  ...PROCEDURES_CALL_NAMES,
  ...LOGBOOK_CALL_NAMES,
  ...STREAM_CALL_NAMES,
  ...TERMINAL_CALL_NAMES,
  ...LOGS_CALL_NAMES,
  ...FILES_CALL_NAMES,
  ...TEAM_CALL_NAMES,
] as const;

export const EVENT_NAME_LIST = [
  'units.changed',
  'diagnostics.progress',
  'telemetry.samples',
  ...RS485_EVENT_NAMES,
  ...BACKUP_EVENT_NAMES,
  ...PROCEDURES_EVENT_NAMES,
  ...LOGBOOK_EVENT_NAMES,
  ...STREAM_EVENT_NAMES,
  ...TERMINAL_EVENT_NAMES,
  ...LOGS_EVENT_NAMES,
  ...FILES_EVENT_NAMES,
  ...TEAM_EVENT_NAMES,
] as const;

/** Electron IPC channel prefix: the preload and main accept nothing else. */
export const IPC_PREFIX = 'ohtw:';
export const ipcChannelFor = (name: (typeof CALL_NAME_LIST)[number]): string => `${IPC_PREFIX}${name}`;
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;

export function isCallName(value: unknown): value is (typeof CALL_NAME_LIST)[number] {
  return typeof value === 'string' && (CALL_NAME_LIST as readonly string[]).includes(value);
}
