/**
 * The names of the contract's calls and events without their schemas, so that the Electron preload
 * (bundled, sandboxed) can allow-list them without carrying zod. contract.ts checks that both lists agree.
 */
import { APP_CALL_NAMES, APP_EVENT_NAMES } from './names/app';
import { BACKUP_CALL_NAMES, BACKUP_EVENT_NAMES } from './names/backup';
import { DIAGNOSTICS_CALL_NAMES, DIAGNOSTICS_EVENT_NAMES } from './names/diagnostics';
import { FILES_CALL_NAMES, FILES_EVENT_NAMES } from './names/files';
import { HISTORY_CALL_NAMES, HISTORY_EVENT_NAMES } from './names/history';
import { LOGBOOK_CALL_NAMES, LOGBOOK_EVENT_NAMES } from './names/logbook';
import { LOGS_CALL_NAMES, LOGS_EVENT_NAMES } from './names/logs';
import { PROCEDURES_CALL_NAMES, PROCEDURES_EVENT_NAMES } from './names/procedures';
import { RS485_CALL_NAMES, RS485_EVENT_NAMES } from './names/rs485';
import { SESSION_CALL_NAMES, SESSION_EVENT_NAMES } from './names/session';
import { SETTINGS_CALL_NAMES, SETTINGS_EVENT_NAMES } from './names/settings';
import { STREAM_CALL_NAMES, STREAM_EVENT_NAMES } from './names/streams';
import { TEAM_CALL_NAMES, TEAM_EVENT_NAMES } from './names/team';
import { TELEMETRY_CALL_NAMES, TELEMETRY_EVENT_NAMES } from './names/telemetry';
import { TERMINAL_CALL_NAMES, TERMINAL_EVENT_NAMES } from './names/terminal';
import { UNITS_CALL_NAMES, UNITS_EVENT_NAMES } from './names/units';

/** Every feature's names, in one list: a new feature adds one line here (and its slice in contract.ts). */
const NAME_SLICES = [
  { calls: APP_CALL_NAMES, events: APP_EVENT_NAMES },
  { calls: SESSION_CALL_NAMES, events: SESSION_EVENT_NAMES },
  { calls: UNITS_CALL_NAMES, events: UNITS_EVENT_NAMES },
  { calls: DIAGNOSTICS_CALL_NAMES, events: DIAGNOSTICS_EVENT_NAMES },
  { calls: SETTINGS_CALL_NAMES, events: SETTINGS_EVENT_NAMES },
  { calls: TELEMETRY_CALL_NAMES, events: TELEMETRY_EVENT_NAMES },
  { calls: HISTORY_CALL_NAMES, events: HISTORY_EVENT_NAMES },
  { calls: RS485_CALL_NAMES, events: RS485_EVENT_NAMES },
  { calls: BACKUP_CALL_NAMES, events: BACKUP_EVENT_NAMES },
  { calls: PROCEDURES_CALL_NAMES, events: PROCEDURES_EVENT_NAMES },
  { calls: LOGBOOK_CALL_NAMES, events: LOGBOOK_EVENT_NAMES },
  { calls: STREAM_CALL_NAMES, events: STREAM_EVENT_NAMES },
  { calls: TERMINAL_CALL_NAMES, events: TERMINAL_EVENT_NAMES },
  { calls: LOGS_CALL_NAMES, events: LOGS_EVENT_NAMES },
  { calls: FILES_CALL_NAMES, events: FILES_EVENT_NAMES },
  { calls: TEAM_CALL_NAMES, events: TEAM_EVENT_NAMES },
] as const;

type ListedCallName = (typeof NAME_SLICES)[number]['calls'][number];
type ListedEventName = (typeof NAME_SLICES)[number]['events'][number];

export const CALL_NAME_LIST: readonly ListedCallName[] = NAME_SLICES.flatMap((slice) => slice.calls);
export const EVENT_NAME_LIST: readonly ListedEventName[] = NAME_SLICES.flatMap((slice) => slice.events);

/** Electron IPC channel prefix: the preload and main accept nothing else. */
export const IPC_PREFIX = 'ohtw:';
export const ipcChannelFor = (name: (typeof CALL_NAME_LIST)[number]): string => `${IPC_PREFIX}${name}`;
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;

export function isCallName(value: unknown): value is (typeof CALL_NAME_LIST)[number] {
  return typeof value === 'string' && (CALL_NAME_LIST as readonly string[]).includes(value);
}
