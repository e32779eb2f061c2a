import type { z } from 'zod';

import { CALL_NAME_LIST, EVENT_NAME_LIST } from './callNames';
import { appCalls, appEvents } from './contracts/app';
import { backupCalls, backupEvents } from './contracts/backup';
import { diagnosticsCalls, diagnosticsEvents } from './contracts/diagnostics';
import { filesCalls, filesEvents } from './contracts/files';
import { historyCalls, historyEvents } from './contracts/history';
import { logbookCalls, logbookEvents } from './contracts/logbook';
import { logsCalls, logsEvents } from './contracts/logs';
import { proceduresCalls, proceduresEvents } from './contracts/procedures';
import { rs485Calls, rs485Events } from './contracts/rs485';
import { sessionCalls, sessionEvents } from './contracts/session';
import { settingsCalls, settingsEvents } from './contracts/settings';
import { streamCalls, streamEvents } from './contracts/streams';
import { teamCalls, teamEvents } from './contracts/team';
import { telemetryCalls, telemetryEvents } from './contracts/telemetry';
import { terminalCalls, terminalEvents } from './contracts/terminal';
import { unitsCalls, unitsEvents } from './contracts/units';

/** A feature's slice of the contract: its calls (each takes one object and returns one value) and its events. */
type ContractSlice = {
  calls: Record<string, { input: z.ZodType; output: z.ZodType }>;
  events: Record<string, z.ZodType>;
};

/**
 * Every feature's slice, in one list: the contract that every face (Electron IPC, browser host, CLI) uses is their
 * union. A new feature adds its slice here (and its names in callNames.ts); inputs are validated where they enter the
 * core, outputs before they leave it.
 */
const SLICES = [
  { calls: appCalls, events: appEvents },
  { calls: sessionCalls, events: sessionEvents },
  { calls: unitsCalls, events: unitsEvents },
  { calls: diagnosticsCalls, events: diagnosticsEvents },
  { calls: settingsCalls, events: settingsEvents },
  { calls: telemetryCalls, events: telemetryEvents },
  { calls: historyCalls, events: historyEvents },
  { calls: rs485Calls, events: rs485Events },
  { calls: backupCalls, events: backupEvents },
  { calls: proceduresCalls, events: proceduresEvents },
  { calls: logbookCalls, events: logbookEvents },
  { calls: streamCalls, events: streamEvents },
  { calls: terminalCalls, events: terminalEvents },
  { calls: logsCalls, events: logsEvents },
  { calls: filesCalls, events: filesEvents },
  { calls: teamCalls, events: teamEvents },
] as const satisfies readonly ContractSlice[];

type UnionToIntersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void
  ? I
  : never;
/** The slices' parts as one object type (an intersection flattened, so that an editor shows plain names). */
type Merged<Part> = { [K in keyof UnionToIntersection<Part>]: UnionToIntersection<Part>[K] };

/** Joins the slices' calls or events; two slices naming the same call or event is a mistake caught at start-up. */
function union<P extends keyof ContractSlice>(part: P): Merged<(typeof SLICES)[number][P]> {
  const merged: Record<string, unknown> = {};
  for (const slice of SLICES) {
    for (const [name, schema] of Object.entries(slice[part])) {
      if (Object.hasOwn(merged, name)) {
        throw new Error(`the contract names ${part === 'calls' ? 'the call' : 'the event'} ${name} twice`);
      }
      merged[name] = schema;
    }
  }
  return merged as Merged<(typeof SLICES)[number][P]>;
}

export const calls = union('calls');
export const events = union('events');

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;

// The schema-free name lists must name exactly the calls and events above; these lines fail to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const callListsAgree: Same<CallName, (typeof CALL_NAME_LIST)[number]> = true;
const eventListsAgree: Same<EventName, (typeof EVENT_NAME_LIST)[number]> = true;
void callListsAgree;
void eventListsAgree;

export const CALL_NAMES: readonly CallName[] = CALL_NAME_LIST;
export const EVENT_NAMES: readonly EventName[] = EVENT_NAME_LIST;

export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type CallParsedInput<N extends CallName> = z.output<(typeof calls)[N]['input']>;
export type CallOutput<N extends CallName> = z.output<(typeof calls)[N]['output']>;
export type EventPayload<N extends EventName> = z.output<(typeof events)[N]>;

export { IPC_EVENT_CHANNEL, IPC_PREFIX, ipcChannelFor, isCallName } from './callNames';
