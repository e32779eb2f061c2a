import { z } from 'zod';

import { DiagnosisChangesSchema } from '../domain/changes';
import { DiagnosisReportSchema, HealthLevelSchema } from '../domain/health';
import { TelemetrySampleSchema, TelemetrySeriesSchema } from '../domain/telemetry';
import { ThresholdsSchema } from '../domain/thresholds';
import { CALL_NAME_LIST, EVENT_NAME_LIST } from './callNames';
import { backupCalls, backupEvents } from './contracts/backup';
import { logbookCalls, logbookEvents } from './contracts/logbook';
import { proceduresCalls, proceduresEvents } from './contracts/procedures';
import { rs485Calls, rs485Events } from './contracts/rs485';
import { streamCalls, streamEvents } from './contracts/streams';
import { terminalCalls, terminalEvents } from './contracts/terminal';
import { logsCalls, logsEvents } from './contracts/logs';
import { filesCalls, filesEvents } from './contracts/files';
import { teamCalls, teamEvents } from './contracts/team';
import {
  HistoryEntrySchema,
  HostKeyProbeSchema,
  NewUnitSchema,
  SessionInfoSchema,
  TechnicianNameSchema,
  UnitNameSchema,
  UnitSchema,
} from '../domain/unit';

/**
 * The one list of calls and events that every face (Electron IPC, browser host, CLI) uses.
 * Each call takes one object and returns one value; inputs are validated where they enter the core.
 */
export const calls = {
  'app.info': {
    input: z.object({}),
    output: z.object({ version: z.string(), dataDir: z.string(), face: z.enum(['electron', 'browser', 'cli']) }),
  },
  'units.list': {
    input: z.object({}),
    output: z.array(UnitSchema),
  },
  'units.add': {
    input: NewUnitSchema,
    output: UnitSchema,
  },
  'units.remove': {
    input: z.object({ name: UnitNameSchema }),
    output: z.object({ removed: z.boolean() }),
  },
  'units.probeHostKey': {
    input: z.object({ name: UnitNameSchema }),
    output: HostKeyProbeSchema,
  },
  'units.trust': {
    input: z.object({
      name: UnitNameSchema,
      fingerprint: z
        .string()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint as ssh-keygen -l prints it')
        .optional(),
    }),
    output: HostKeyProbeSchema,
  },
  'diagnostics.run': {
    /** `parallel`: how many units are diagnosed at once, connection set-up included (8 unless given). */
    input: z.object({ names: z.array(UnitNameSchema).min(1), parallel: z.number().int().min(1).max(64).optional() }),
    output: z.array(DiagnosisReportSchema),
  },
  'diagnostics.get': {
    input: z.object({ runId: z.string().min(1) }),
    output: DiagnosisReportSchema,
  },
  'diagnostics.changes': {
    input: z.object({ name: UnitNameSchema, runId: z.string().optional() }),
    output: DiagnosisChangesSchema,
  },
  'settings.get': {
    input: z.object({}),
    output: z.object({ thresholds: ThresholdsSchema }),
  },
  'settings.setThresholds': {
    input: z.object({ thresholds: ThresholdsSchema }),
    output: z.object({ thresholds: ThresholdsSchema }),
  },
  'telemetry.start': {
    input: z.object({ name: UnitNameSchema, intervalMs: z.number().int().min(500).max(600_000).default(2000) }),
    output: z.object({ streamId: z.string() }),
  },
  'telemetry.stop': {
    input: z.object({ streamId: z.string() }),
    output: z.object({ stopped: z.boolean() }),
  },
  'telemetry.history': {
    input: z.object({
      name: UnitNameSchema,
      fromMs: z.number().int().nonnegative().optional(),
      toMs: z.number().int().nonnegative().optional(),
      maxPoints: z.number().int().min(10).max(5000).default(500),
    }),
    output: TelemetrySeriesSchema,
  },
  'session.get': {
    input: z.object({}),
    output: SessionInfoSchema,
  },
  /** Sets the technician's name for every later audit row, run step and signature; audited. */
  'session.setTechnician': {
    input: z.object({ name: TechnicianNameSchema }),
    output: SessionInfoSchema,
  },
  /** The store passphrase for this session (the desktop app without a real keyring); kept in memory only. */
  'session.unlock': {
    input: z.object({ passphrase: z.string().min(1).max(1024) }),
    output: SessionInfoSchema,
  },
  'history.list': {
    input: z.object({ name: UnitNameSchema, limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.array(HistoryEntrySchema),
  },
  ...rs485Calls,
  ...backupCalls,
  ...proceduresCalls,
  ...logbookCalls,
  ...streamCalls,
  ...terminalCalls,
  ...logsCalls,
  ...filesCalls,
  ...teamCalls,
} as const;

export const events = {
  'units.changed': z.object({ name: z.string() }),
  'telemetry.samples': z.object({
    streamId: z.string(),
    unit: z.string(),
    samples: z.array(TelemetrySampleSchema).max(1000),
    /** Samples dropped since the last batch because the receiver lagged. */
    dropped: z.number().int().nonnegative(),
  }),
  'diagnostics.progress': z.object({
    unit: z.string(),
    phase: z.enum(['connecting', 'running', 'done']),
    level: HealthLevelSchema.optional(),
  }),
  ...rs485Events,
  ...backupEvents,
  ...proceduresEvents,
  ...logbookEvents,
  ...streamEvents,
  ...terminalEvents,
  ...logsEvents,
  ...filesEvents,
  ...teamEvents,
} as const;

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
