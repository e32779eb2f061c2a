import { randomUUID } from 'node:crypto';

import type {
  BackupDetail,
  BackupProfile,
  BackupProgress,
  BackupRunResult,
  BackupSummaryView,
  BackupUnitResult,
  BackupVerify,
  DatabaseCopyMode,
} from '../../../shared/domain/backup';
import type { Unit } from '../../../shared/domain/unit';
import { AppError, isAppError, type JsonValue } from '../../../shared/errors/AppError';
import type { CallParsedInput } from '../../../shared/ipc/contract';
import type { EventHub } from '../api/CoreApi';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { ParamsBackupStore } from '../rs485/paramsBackup';
import { hasStreamExec, shellQuote, type Connection } from '../transport/transport';
import type { UnitConnector } from '../units/unitConnection';
import type { UnitService } from '../units/UnitService';
import { mapWithConcurrency } from '../util/concurrency';
import { enabledParts, loadBackupProfile } from './profile/backupProfiles';
import { backupUnit } from './remote/backupUnit';
import type { BackupStore, Manifest } from './store/BackupStore';

export type BackupServiceDeps = {
  dataDir: string;
  /** The application's resources folder, holding the shipped backup profile. */
  resourcesDir: string;
  history: HistoryRepository;
  units: UnitService;
  connector: UnitConnector;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  /** The local store, opened on first use. */
  store: () => Promise<BackupStore>;
  /** The RS485 module parameters backed up by the bus doctor; the latest of a unit joins its backup. */
  params: ParamsBackupStore;
  /** The unit sending nothing for this long stops its backup. */
  idleTimeoutMs?: number;
};

/** The attachment a unit's latest RS485 module parameters are kept under. */
export const RS485_ATTACHMENT = 'rs485-parameters';

const KEPT_RUNS = 20;
const PROGRESS_INTERVAL_MS = 250;
const SERVICE_TIMEOUT_MS = 60_000;

type RunRecord = { runId: string; input: RunOptions; results: BackupUnitResult[] };
type RunOptions = { concurrency: number; database: DatabaseCopyMode; confirmServiceStop: boolean; full: boolean };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Backups of the fleet: several units at once with bounded parallelism, each over its own SSH connection, with
 * progress per unit and a result per unit (one unit failing never stops the others); list, verify and prune go to
 * the local store. Every backup, verify and prune is written to the audit log.
 */
export class BackupService {
  private readonly runs = new Map<string, RunRecord>();

  constructor(private readonly deps: BackupServiceDeps) {}

  async run(input: CallParsedInput<'backup.run'>, actor: string): Promise<BackupRunResult> {
    const units = input.names.map((name) => this.deps.units.require(name));
    return this.runUnits(randomUUID(), units, input, actor);
  }

  /** The failed units of an earlier run, again, as a new run with the same options. */
  async retryFailed(runId: string, actor: string): Promise<BackupRunResult> {
    const previous = this.runs.get(runId);
    if (!previous) {
      throw new AppError('NOT_FOUND', `backup run ${runId} is not known (runs are kept while the workstation runs)`);
    }
    const failed = previous.results.filter((r) => r.status === 'failed').map((r) => this.deps.units.require(r.unit));
    if (failed.length === 0) {
      return { runId: previous.runId, results: [] };
    }
    return this.runUnits(randomUUID(), failed, previous.input, actor);
  }

  async list(unit: string | undefined, kind: 'backup' | 'snapshot' | 'all'): Promise<BackupSummaryView[]> {
    const store = await this.deps.store();
    const all = await store.list(unit === undefined ? {} : { unit });
    return all.filter((b) => kind === 'all' || b.kind === kind);
  }

  async get(backupId: string): Promise<BackupDetail> {
    const store = await this.deps.store();
    const manifest = await store.getManifest(backupId);
    const { format: _format, entries, attachments, ...summary } = manifest;
    return {
      ...summary,
      entries: entries.map(({ chunks: _chunks, ...file }) => file),
      attachments,
    };
  }

  async verify(backupId: string, sample: number | undefined, actor: string): Promise<BackupVerify> {
    const store = await this.deps.store();
    const summary = (await store.list()).find((b) => b.id === backupId);
    const result = await store.verify(backupId, sample === undefined ? {} : { sample });
    this.deps.history.appendAudit({
      actor,
      unit: summary?.unit ?? null,
      action: 'backup.verify',
      outcome: result.ok ? 'ok' : 'failed',
      details: {
        backupId,
        checkedFiles: result.checkedFiles,
        problems: result.problems.length,
        ...(sample === undefined ? {} : { sample }),
        ...(result.problems.length > 0
          ? { firstProblem: `${result.problems[0]?.path ?? ''}: ${result.problems[0]?.message ?? ''}` }
          : {}),
      },
    });
    return { backupId, ...result };
  }

  async prune(input: CallParsedInput<'backup.prune'>, actor: string) {
    const store = await this.deps.store();
    const result = await store.prune({
      keepDaily: input.keepDaily,
      keepMonthly: input.keepMonthly,
      ...(input.keepSnapshotDays === undefined ? {} : { keepSnapshotDays: input.keepSnapshotDays }),
      dryRun: input.dryRun,
    });
    if (!input.dryRun) {
      this.deps.history.appendAudit({
        actor,
        unit: null,
        action: 'backup.prune',
        outcome: 'ok',
        details: {
          keepDaily: input.keepDaily,
          keepMonthly: input.keepMonthly,
          removedBackups: result.removedBackups.length,
          removedChunks: result.removedChunks,
          freedBytes: result.freedBytes,
        },
      });
    }
    return { ...result, dryRun: input.dryRun };
  }

  async stats() {
    return (await this.deps.store()).stats();
  }

  private async runUnits(runId: string, units: Unit[], options: RunOptions, actor: string): Promise<BackupRunResult> {
    if (options.database === 'service-stopped' && !options.confirmServiceStop) {
      throw new AppError(
        'CONFIRMATION_REQUIRED',
        'copying the database with its service stopped stops a service on each vehicle: confirm it explicitly',
        { details: { units: units.map((u) => u.name) } },
      );
    }
    for (const unit of units) {
      this.progress({ runId, unit: unit.name, phase: 'queued', files: 0, bytes: 0 });
    }
    const results = await mapWithConcurrency(units, options.concurrency, (unit) =>
      this.backupOne(runId, unit, options, actor),
    );
    this.runs.set(runId, { runId, input: options, results });
    while (this.runs.size > KEPT_RUNS) {
      const oldest = this.runs.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.runs.delete(oldest);
    }
    return { runId, results };
  }

  private progress(event: BackupProgress): void {
    this.deps.events.emit('backup.progress', event);
  }

  private async backupOne(runId: string, unit: Unit, options: RunOptions, actor: string): Promise<BackupUnitResult> {
    const started = this.deps.clock.now();
    const base = { unit: unit.name, backupId: null, files: 0, bytes: 0, newBytes: 0, storedBytes: 0 };
    let lastProgress = 0;
    let connection: Connection | undefined;
    const warnings: string[] = [];
    try {
      const { profile, source } = await loadBackupProfile(this.deps.dataDir, unit.name, this.deps.resourcesDir);
      const store = await this.deps.store();
      this.progress({ runId, unit: unit.name, phase: 'connecting', files: 0, bytes: 0 });
      connection = await this.deps.connector.connect(unit);
      if (!hasStreamExec(connection)) {
        throw new AppError('PRECONDITION_FAILED', `${unit.name}: this connection cannot stream a backup`);
      }
      const streaming = connection;
      const attachments = this.attachmentsFor(unit.name);
      const stopped =
        options.database === 'service-stopped'
          ? await this.stopServices(
              streaming,
              unit,
              enabledParts(profile).databases.flatMap((d) => d.services),
              actor,
            )
          : [];
      let outcome;
      try {
        this.progress({ runId, unit: unit.name, phase: 'reading', files: 0, bytes: 0 });
        const previous = options.full ? undefined : await this.previousManifest(store, unit.name, profile);
        const once = (from: Manifest | undefined) =>
          backupUnit({
            unit: unit.name,
            previous: from,
            connection: streaming,
            profile,
            store,
            meta: {
              host: unit.host,
              port: unit.port,
              user: unit.user,
              hostKeyFingerprint: unit.hostKey?.fingerprint ?? null,
              database: options.database,
              profileSource: source,
              actor,
            },
            attachments,
            ...(this.deps.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: this.deps.idleTimeoutMs }),
            onProgress: ({ files, bytes, path }) => {
              const now = this.deps.clock.now();
              if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
                lastProgress = now;
                this.progress({ runId, unit: unit.name, phase: 'reading', files, bytes, message: path });
              }
            },
            onCommitting: () => this.progress({ runId, unit: unit.name, phase: 'committing', files: 0, bytes: 0 }),
          });
        try {
          outcome = await once(previous);
        } catch (error) {
          // The previous backup could not give an unchanged file back: read everything from the unit instead.
          if (previous === undefined || !isAppError(error) || error.code !== 'BACKUP_DAMAGED') {
            throw error;
          }
          this.deps.logger.warn('previous backup unusable, reading the unit in full', {
            unit: unit.name,
            previous: previous.id,
            error: error.message,
          });
          warnings.push(`the previous backup ${previous.id} is damaged (${error.message}); every file was read again`);
          outcome = await once(undefined);
        }
      } finally {
        warnings.push(...(await this.startServices(streaming, unit, stopped, actor)));
      }
      const { summary } = outcome;
      warnings.unshift(...outcome.warnings);
      const result: BackupUnitResult = {
        ...base,
        status: 'ok',
        backupId: summary.id,
        files: summary.files,
        bytes: summary.bytes,
        newBytes: summary.newBytes,
        storedBytes: summary.storedBytes,
        durationMs: Math.max(0, Math.round(this.deps.clock.now() - started)),
        warnings,
        attachments: Object.keys(attachments),
        reusedFiles: outcome.reused.files,
        error: null,
      };
      this.deps.history.appendAudit({
        actor,
        unit: unit.name,
        action: 'backup.run',
        outcome: 'ok',
        details: {
          backupId: summary.id,
          files: summary.files,
          bytes: summary.bytes,
          newBytes: summary.newBytes,
          profile: `${profile.id}@${profile.version}`,
          database: options.database,
          databases: outcome.databases,
          reusedFiles: outcome.reused.files,
          warnings: warnings.length,
        },
      });
      this.progress({
        runId,
        unit: unit.name,
        phase: 'done',
        files: summary.files,
        bytes: summary.bytes,
        backupId: summary.id,
      });
      return result;
    } catch (error) {
      const appError = isAppError(error)
        ? error
        : new AppError('INTERNAL', `${unit.name}: the backup failed unexpectedly: ${messageOf(error)}`);
      if (!isAppError(error)) {
        this.deps.logger.error('backup failed unexpectedly', { unit: unit.name, error: String(error) });
      }
      this.deps.history.appendAudit({
        actor,
        unit: unit.name,
        action: 'backup.run',
        outcome: 'failed',
        details: { code: appError.code, message: appError.message },
      });
      this.progress({ runId, unit: unit.name, phase: 'failed', files: 0, bytes: 0, message: appError.message });
      return {
        ...base,
        status: 'failed',
        durationMs: Math.max(0, Math.round(this.deps.clock.now() - started)),
        warnings,
        attachments: [],
        reusedFiles: 0,
        error: { code: appError.code, message: appError.message },
      };
    } finally {
      await connection?.close();
    }
  }

  /**
   * The unit's latest committed backup by the same profile, its manifest read (and checked) in full; none when there is
   * none or it cannot be read, and the unit is then read in full.
   */
  private async previousManifest(
    store: BackupStore,
    unit: string,
    profile: BackupProfile,
  ): Promise<Manifest | undefined> {
    const latest = (await store.list({ unit })).find((b) => b.kind === 'backup' && b.profile.id === profile.id);
    if (latest === undefined) {
      return undefined;
    }
    try {
      if (latest.hasSecrets) {
        await store.unlock();
      }
      return await store.getManifest(latest.id);
    } catch (error) {
      if (isAppError(error) && (error.code === 'PASSPHRASE_MISSING' || error.code === 'PASSPHRASE_WRONG')) {
        throw error;
      }
      this.deps.logger.warn('previous backup manifest unreadable, reading the unit in full', {
        unit,
        previous: latest.id,
        error: messageOf(error),
      });
      return undefined;
    }
  }

  /** The unit's latest RS485 module parameters, when the bus doctor backed any up. */
  private attachmentsFor(unit: string): Record<string, JsonValue> {
    const [latest] = this.deps.params.list(unit, 1);
    if (latest === undefined) {
      return {};
    }
    const backup = this.deps.params.get(latest.id);
    if (backup === undefined) {
      return {};
    }
    return { [RS485_ATTACHMENT]: JSON.parse(JSON.stringify(backup)) as JsonValue };
  }

  /**
   * The gated part of a 'service-stopped' database copy: the database's services are stopped (each stop in the
   * audit log); if one will not stop, those already stopped are started again and the backup does not run.
   */
  private async stopServices(connection: Connection, unit: Unit, services: string[], actor: string): Promise<string[]> {
    const stopped: string[] = [];
    for (const service of [...new Set(services)]) {
      const result = await connection.exec(`systemctl stop ${shellQuote(service)}`, {
        timeoutMs: SERVICE_TIMEOUT_MS,
        sudo: true,
      });
      const ok = result.exitCode === 0;
      this.deps.history.appendAudit({
        actor,
        unit: unit.name,
        action: 'backup.serviceStop',
        outcome: ok ? 'ok' : 'failed',
        details: { service, reason: 'database copied with its service stopped', exitCode: result.exitCode },
      });
      if (!ok) {
        await this.startServices(connection, unit, stopped, actor);
        throw new AppError(
          'COMMAND_FAILED',
          `${unit.name}: ${service} did not stop (systemctl exited ${result.exitCode ?? '?'}${
            result.stderr.trim() ? `: ${result.stderr.trim().slice(0, 200)}` : ''
          }); nothing was backed up`,
        );
      }
      stopped.push(service);
    }
    return stopped;
  }

  /** Starts what stopServices stopped; returns a warning per service that did not start again. */
  private async startServices(
    connection: Connection,
    unit: Unit,
    services: string[],
    actor: string,
  ): Promise<string[]> {
    const warnings: string[] = [];
    for (const service of [...services].reverse()) {
      let ok = false;
      let detail: string;
      try {
        const result = await connection.exec(`systemctl start ${shellQuote(service)}`, {
          timeoutMs: SERVICE_TIMEOUT_MS,
          sudo: true,
        });
        ok = result.exitCode === 0;
        detail = `systemctl exited ${result.exitCode ?? '?'} ${result.stderr.trim().slice(0, 200)}`.trim();
      } catch (error) {
        detail = messageOf(error);
      }
      this.deps.history.appendAudit({
        actor,
        unit: unit.name,
        action: 'backup.serviceStart',
        outcome: ok ? 'ok' : 'failed',
        details: { service, ...(ok ? {} : { detail }) },
      });
      if (!ok) {
        warnings.push(`${service} did not start again after the database copy (${detail}): start it by hand`);
      }
    }
    return warnings;
  }
}
