import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { CheckChange, DiagnosisChanges } from '../../../shared/domain/changes';
import type { CheckResult, DiagnosisReport } from '../../../shared/domain/health';
import type { LogbookEntry } from '../../../shared/domain/logbook';
import { describeEntry } from '../../../shared/domain/logbookKinds';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type HistoryEntry, type HostKeyProbe, type Unit } from '../../../shared/domain/unit';
import { AppError, serializeError } from '../../../shared/errors/AppError';
import {
  calls,
  events,
  isCallName,
  type CallName,
  type CallOutput,
  type CallParsedInput,
  type EventName,
  type EventPayload,
} from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { parseUnknown } from '../../../shared/ipc/validate';
import { fakeReport, type FakeVehicleState } from './fakeReports';

type Handler<N extends CallName> = (input: CallParsedInput<N>) => Promise<CallOutput<N>>;
/** The RS485, backup, restore, procedure, audit, logbook, report and team calls are optional here: a test that needs one adds it; the others answer NOT_FOUND. */
type OptionalCall = Extract<
  CallName,
  | `rs485.${string}`
  | `backup.${string}`
  | `restore.${string}`
  | `procedures.${string}`
  | `audit.${string}`
  | `escalation.${string}`
  | 'logbook.get'
  | 'logbook.export'
  | `reports.${string}`
  | `streams.${string}`
  | `terminal.${string}`
  | `logs.${string}`
  | `files.${string}`
  | `team.${string}`
>;
type Handlers = { [N in Exclude<CallName, OptionalCall>]: Handler<N> } & { [N in OptionalCall]?: Handler<N> };
export type FakeEventListener = (event: { name: EventName; payload: unknown }) => void;

/** What every fake vehicle presents: a fixed ed25519 key, so tests can compare what the page shows. */
export const FAKE_HOST_KEY = {
  algorithm: 'ssh-ed25519',
  fingerprint: `SHA256:${createHash('sha256').update('fake OHT-50 host key').digest('base64').replace(/=+$/, '')}`,
};

/**
 * The workstation as the renderer sees it through the contract, with in-memory state and no vehicles: enough to
 * exercise the UI before (and independently of) the real core. Inputs and outputs are checked against the same
 * zod schemas the core uses, so a UI that passes here sends what the core accepts.
 */
export class FakeWorkstation {
  readonly units: Unit[] = [];
  readonly vehicles = new Map<string, FakeVehicleState>();
  private readonly reports = new Map<string, DiagnosisReport>();
  /** The units of each diagnostics.run call, in order (what a retry asked for). */
  readonly diagnoseCalls: string[][] = [];
  private readonly logbook: LogbookEntry[] = [];
  private readonly listeners = new Set<FakeEventListener>();
  private sequence = 0;
  private thresholds: Thresholds = DEFAULT_THRESHOLDS;
  private technician: string | null = null;
  /** How long each diagnosis phase takes, so progress events are visible. */
  phaseDelayMs = 120;

  private session() {
    return {
      technician: { name: this.technician, recordedAs: this.technician ?? 'tester (OS user; technician not set)' },
      passphrase: { needed: false, entered: false },
    };
  }

  private readonly handlers: Handlers = {
    'app.info': async () => ({ version: '0.1.0-fake', dataDir: '/tmp/ohtw-fake/data', face: 'browser' }),
    'session.get': async () => this.session(),
    'session.setTechnician': async (input) => {
      this.technician = input.name;
      return this.session();
    },
    'session.unlock': async () => this.session(),
    'units.list': async () => this.units.map((unit) => ({ ...unit })),
    // No vehicle here to open a terminal on or follow the logs of: nothing was ever recorded.
    'terminal.sessions': async () => [],
    'logs.views': async () => [],
    'units.add': async (input) => {
      if (this.units.some((unit) => unit.name === input.name)) {
        throw new AppError('ALREADY_EXISTS', `A unit named ${input.name} already exists`);
      }
      const unit: Unit = {
        name: input.name,
        host: input.host,
        port: input.port,
        user: input.user,
        auth: input.auth,
        profile: { ...DEFAULT_VEHICLE_PROFILE, ...input.profile },
        hostKey: null,
        createdAt: this.now(),
        lastLevel: null,
        lastRunAt: null,
      };
      this.units.push(unit);
      this.vehicles.set(unit.name, { firmwareFailed: false });
      this.emit('units.changed', { name: unit.name });
      return unit;
    },
    'units.remove': async ({ name }) => {
      const index = this.units.findIndex((unit) => unit.name === name);
      if (index >= 0) {
        this.units.splice(index, 1);
        this.emit('units.changed', { name });
      }
      return { removed: index >= 0 };
    },
    'units.probeHostKey': async ({ name }) => this.probe(this.unit(name)),
    'units.trust': async ({ name, fingerprint }) => {
      const unit = this.unit(name);
      if (fingerprint !== undefined && fingerprint !== FAKE_HOST_KEY.fingerprint) {
        throw new AppError('HOST_KEY_MISMATCH', `The vehicle now presents ${FAKE_HOST_KEY.fingerprint}`);
      }
      unit.hostKey = { ...FAKE_HOST_KEY, pinnedAt: this.now() };
      this.record({
        kind: 'unit',
        code: 'hostkey.trust',
        unit: name,
        outcome: 'ok',
        level: 'OK',
        ref: null,
        facts: { algorithm: FAKE_HOST_KEY.algorithm, fingerprint: FAKE_HOST_KEY.fingerprint, previous: null },
      });
      this.emit('units.changed', { name });
      return this.probe(unit);
    },
    'diagnostics.run': async ({ names }) => {
      this.diagnoseCalls.push([...names]);
      const units = names.map((name) => this.unit(name));
      const untrusted = units.find((unit) => unit.hostKey === null);
      if (untrusted) {
        throw new AppError('HOST_KEY_UNKNOWN', `No trusted host key for ${untrusted.name}`);
      }
      return Promise.all(units.map((unit) => this.diagnose(unit)));
    },
    'diagnostics.get': async ({ runId }) => {
      const report = this.reports.get(runId);
      if (!report) {
        throw new AppError('NOT_FOUND', `No diagnosis run ${runId}`);
      }
      return report;
    },
    'history.list': async ({ name, limit }) =>
      this.newestFirst()
        .filter((entry) => entry.unit === name)
        .slice(0, limit)
        .map((entry): HistoryEntry => ({
          kind: entry.code === 'diagnosis' ? 'diagnosis' : 'action',
          id: entry.code === 'diagnosis' ? (entry.ref ?? entry.id) : entry.id,
          at: entry.at,
          unit: entry.unit,
          level: entry.level,
          summary: describeEntry(entry, 'en'),
          actor: entry.actor,
        })),
    // The unit page's history: the logbook filtered to the unit (by unit and kind only, paged by position).
    'logbook.list': async ({ filter, cursor, limit }) => {
      const matching = this.newestFirst().filter(
        (entry) =>
          (!filter.units || filter.units.includes(entry.unit ?? '')) &&
          (!filter.kinds || filter.kinds.includes(entry.kind)),
      );
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = matching.slice(start, start + limit);
      return { entries: page, next: start + limit < matching.length ? String(start + limit) : null };
    },
    'logbook.facets': async () => ({
      units: [...new Set(this.logbook.map((e) => e.unit ?? ''))].filter((u) => u !== '').sort(),
      actors: [...new Set(this.logbook.map((e) => e.actor ?? ''))].filter((a) => a !== '').sort(),
    }),
    'diagnostics.changes': async ({ name, runId }) => this.changes(name, runId),
    'settings.get': async () => ({ thresholds: this.thresholds }),
    'settings.setThresholds': async ({ thresholds }) => {
      this.thresholds = thresholds;
      return { thresholds };
    },
    'telemetry.start': async ({ name }) => ({ streamId: `fake-${name}-${++this.sequence}` }),
    'telemetry.stop': async () => ({ stopped: true }),
    'telemetry.history': async ({ name }) => ({ unit: name, fromMs: 0, toMs: 0, samples: [] }),
  };

  /** The core's door, as the browser host calls it: an envelope, never a throw. */
  readonly dispatch = async (name: unknown, rawInput: unknown): Promise<Envelope<unknown>> => {
    try {
      if (!isCallName(name)) {
        throw new AppError('NOT_FOUND', `Unknown call: ${String(name)}`);
      }
      const input = parseUnknown(calls[name].input, rawInput ?? {}, `input for ${name}`);
      const handler = this.handlers[name] as ((input: unknown) => Promise<unknown>) | undefined;
      if (handler === undefined) {
        throw new AppError('NOT_FOUND', `The fake workstation does not answer ${name}`);
      }
      return { ok: true, value: calls[name].output.parse(await handler(input)) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  };

  readonly subscribe = (listener: FakeEventListener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload);
    this.listeners.forEach((listener) => listener({ name, payload: checked }));
  }

  private unit(name: string): Unit {
    const unit = this.units.find((candidate) => candidate.name === name);
    if (!unit) {
      throw new AppError('NOT_FOUND', `No unit named ${name}`);
    }
    return unit;
  }

  private probe(unit: Unit): HostKeyProbe {
    const pinned = unit.hostKey?.fingerprint ?? null;
    return {
      unit: unit.name,
      ...FAKE_HOST_KEY,
      status: pinned === null ? 'unknown' : pinned === FAKE_HOST_KEY.fingerprint ? 'trusted' : 'mismatch',
      pinnedFingerprint: pinned,
    };
  }

  private async diagnose(unit: Unit): Promise<DiagnosisReport> {
    this.emit('diagnostics.progress', { unit: unit.name, phase: 'connecting' });
    await sleep(this.phaseDelayMs);
    this.emit('diagnostics.progress', { unit: unit.name, phase: 'running' });
    await sleep(this.phaseDelayMs);
    const runId = `run-${++this.sequence}`;
    const report = fakeReport(runId, unit.name, this.now(), this.vehicles.get(unit.name) ?? { firmwareFailed: false });
    this.reports.set(runId, report);
    unit.lastLevel = report.level;
    unit.lastRunAt = report.startedAt;
    const findings = flatten(report.checks).filter((c) => !c.children?.length && c.level !== 'OK');
    this.record({
      kind: 'diagnosis',
      code: 'diagnosis',
      unit: unit.name,
      outcome: null,
      level: report.level,
      ref: runId,
      actor: null,
      facts: {
        checks: flatten(report.checks).length,
        findings: findings.length,
        first: findings[0]?.id ?? null,
        firstMessage: findings[0]?.message ?? null,
      },
    });
    this.emit('diagnostics.progress', { unit: unit.name, phase: 'done', level: report.level });
    this.emit('units.changed', { name: unit.name });
    return report;
  }

  /**
   * Like the core: the run (newest by default) against the one before it, level changes of every check in the
   * tree, checks that appeared or went, in the core's wording; no readings (the fake reports carry none).
   */
  private changes(name: string, runId: string | undefined): DiagnosisChanges {
    const runs = [...this.reports.values()]
      .filter((r) => r.unit === name)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const index = runId === undefined ? 0 : runs.findIndex((r) => r.runId === runId);
    const current = runs[index];
    if (runId !== undefined && !current) {
      throw new AppError('NOT_FOUND', `diagnosis ${runId} of unit ${name} not found`);
    }
    if (!current && !this.units.some((unit) => unit.name === name)) {
      throw new AppError('NOT_FOUND', `unit ${name} not found`);
    }
    const previous = runs[index + 1];
    const result = { unit: name, runId: current?.runId ?? null, previousRunId: previous?.runId ?? null };
    if (!current || !previous) {
      return { ...result, changes: [] };
    }
    const before = new Map(flatten(previous.checks).map((c) => [c.id, c]));
    const after = new Map(flatten(current.checks).map((c) => [c.id, c]));
    const changes: CheckChange[] = [];
    for (const check of after.values()) {
      const was = before.get(check.id);
      if (!was) {
        changes.push({ checkId: check.id, from: null, to: check.level, text: `${check.id} is new: ${check.level}` });
      } else if (was.level !== check.level && !check.children?.length) {
        const text = `${check.id} ${was.level} → ${check.level}: ${check.message}`;
        changes.push({ checkId: check.id, from: was.level, to: check.level, text });
      }
    }
    for (const check of before.values()) {
      if (!after.has(check.id)) {
        const text = `${check.id} is no longer reported (was ${check.level})`;
        changes.push({ checkId: check.id, from: check.level, to: null, text });
      }
    }
    return { ...result, changes };
  }

  private record(entry: Omit<LogbookEntry, 'id' | 'at' | 'actor'> & { actor?: string | null }): void {
    this.logbook.push({ actor: 'technician', ...entry, id: String(++this.sequence), at: this.now() });
  }

  private newestFirst(): LogbookEntry[] {
    return [...this.logbook].sort((a, b) => b.at.localeCompare(a.at));
  }

  /** Strictly increasing timestamps, so that "newest first" is well defined even within one millisecond. */
  private lastMs = 0;
  private now(): string {
    this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    return new Date(this.lastMs).toISOString();
  }
}

function flatten(checks: readonly CheckResult[]): CheckResult[] {
  return checks.flatMap((check) => [check, ...flatten(check.children ?? [])]);
}
