import { randomUUID } from 'node:crypto';

import type {
  BackupCheck,
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
import type { EventHub } from '../ports/EventHub';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { ParamsBackupStore } from '../rs485/paramsBackup';
import { hasStreamExec, type Connection, type StreamChannel } from '../transport/transport';
import type { UnitConnector } from '../units/unitConnection';
import type { UnitService } from '../units/UnitService';
import { mapWithConcurrency } from '../util/concurrency';
import { enabledParts, loadBackupProfile } from './profile/backupProfiles';
import { startDatabaseServices, stopDatabaseServices } from './databaseServices';
import { backupUnit, type UnitBackupOutcome } from './remote/backupUnit';
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

type RunRecord = { runId: string; input: RunOptions; results: BackupUnitResult[] };
type RunOptions = { concurrency: number; database: DatabaseCopyMode; confirmServiceStop: boolean; full: boolean };

/** One unit's part of a run, once connected. */
type UnitRun = {
  runId: string;
  unit: Unit;
  options: RunOptions;
  actor: string;
  profile: BackupProfile;
  source: string;
  store: BackupStore;
  connection: Connection & StreamChannel;
  attachments: Record<string, JsonValue>;
};

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
    const { format: _format, entries, attachments, skippedPaths, ...summary } = manifest;
    return {
      ...summary,
      entries: entries.map(({ chunks: _chunks, ...file }) => file),
      attachments,
      skippedPaths,
    };
  }

  /** The whole store's health; recorded in the audit log (a check may quarantine damaged chunks). */
  async check(readData: boolean, actor: string): Promise<BackupCheck> {
    const store = await this.deps.store();
    const result = await store.check({ readData });
    this.deps.history.appendAudit({
      actor,
      unit: null,
      action: 'backup.check',
      outcome: result.ok ? 'ok' : 'failed',
      details: {
        readData,
        problems: result.problems.length,
        quarantined: result.counts.quarantined,
        unreferencedPacks: result.unreferencedPacks.length,
        ...(result.problems[0] ? { firstProblem: `${result.problems[0].subject}: ${result.problems[0].message}` } : {}),
      },
    });
    return result;
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
        quarantined: result.quarantined,
        sharedWith: result.sharedWith,
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
    const warnings: string[] = [];
    let connection: Connection | undefined;
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
      const services = enabledParts(profile).databases.flatMap((d) => d.services);
      const history = this.deps.history;
      const stopped =
        options.database === 'service-stopped'
          ? await stopDatabaseServices(history, streaming, unit, services, actor)
          : [];
      let outcome: UnitBackupOutcome;
      try {
        this.progress({ runId, unit: unit.name, phase: 'reading', files: 0, bytes: 0 });
        const run: UnitRun = {
          runId,
          unit,
          options,
          actor,
          profile,
          source,
          store,
          connection: streaming,
          attachments,
        };
        outcome = await this.backupFromPrevious(run, warnings);
      } finally {
        warnings.push(...(await startDatabaseServices(history, streaming, unit, stopped, actor)));
      }
      warnings.unshift(...outcome.warnings);
      return this.succeeded(runId, unit, options, actor, { outcome, profile, attachments, warnings, started });
    } catch (error) {
      return this.failed(runId, unit, actor, error, warnings, started);
    } finally {
      await connection?.close();
    }
  }

  /**
   * The backup itself: incremental from the unit's previous backup unless a full one is asked for; a previous
   * backup that cannot give an unchanged file back makes the unit be read in full instead.
   */
  private async backupFromPrevious(run: UnitRun, warnings: string[]): Promise<UnitBackupOutcome> {
    const { unit, options, store } = run;
    const previous = options.full ? undefined : await this.previousManifest(store, unit.name, run.profile);
    try {
      return await this.backupOnce(run, previous);
    } catch (error) {
      if (previous === undefined || !isAppError(error) || error.code !== 'BACKUP_DAMAGED') {
        throw error;
      }
      this.deps.logger.warn('previous backup unusable, reading the unit in full', {
        unit: unit.name,
        previous: previous.id,
        error: error.message,
      });
      warnings.push(`the previous backup ${previous.id} is damaged (${error.message}); every file was read again`);
      return this.backupOnce(run, undefined);
    }
  }

  private backupOnce(run: UnitRun, previous: Manifest | undefined): Promise<UnitBackupOutcome> {
    const { runId, unit, options } = run;
    let lastProgress = 0;
    return backupUnit({
      unit: unit.name,
      previous,
      recheckReused: options.full,
      connection: run.connection,
      profile: run.profile,
      store: run.store,
      meta: {
        host: unit.host,
        port: unit.port,
        user: unit.user,
        hostKeyFingerprint: unit.hostKey?.fingerprint ?? null,
        database: options.database,
        profileSource: run.source,
        actor: run.actor,
      },
      attachments: run.attachments,
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
  }

  private succeeded(
    runId: string,
    unit: Unit,
    options: RunOptions,
    actor: string,
    done: {
      outcome: UnitBackupOutcome;
      profile: BackupProfile;
      attachments: Record<string, JsonValue>;
      warnings: string[];
      started: number;
    },
  ): BackupUnitResult {
    const { outcome, warnings } = done;
    const { summary, skipped } = outcome;
    const status = skipped.length > 0 ? 'partial' : 'ok';
    this.deps.history.appendAudit({
      actor,
      unit: unit.name,
      action: 'backup.run',
      outcome: 'ok',
      details: {
        backupId: summary.id,
        status,
        files: summary.files,
        bytes: summary.bytes,
        newBytes: summary.newBytes,
        profile: `${done.profile.id}@${done.profile.version}`,
        database: options.database,
        databases: outcome.databases,
        reusedFiles: outcome.reused.files,
        full: options.full,
        warnings: warnings.length,
        skipped: skipped.length,
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
    return {
      unit: unit.name,
      status,
      backupId: summary.id,
      files: summary.files,
      bytes: summary.bytes,
      newBytes: summary.newBytes,
      storedBytes: summary.storedBytes,
      durationMs: Math.max(0, Math.round(this.deps.clock.now() - done.started)),
      warnings,
      attachments: Object.keys(done.attachments),
      reusedFiles: outcome.reused.files,
      skipped,
      error: null,
    };
  }

  private failed(
    runId: string,
    unit: Unit,
    actor: string,
    error: unknown,
    warnings: string[],
    started: number,
  ): BackupUnitResult {
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
      unit: unit.name,
      status: 'failed',
      backupId: null,
      files: 0,
      bytes: 0,
      newBytes: 0,
      storedBytes: 0,
      durationMs: Math.max(0, Math.round(this.deps.clock.now() - started)),
      warnings,
      attachments: [],
      reusedFiles: 0,
      skipped: [],
      error: { code: appError.code, message: appError.message },
    };
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
}
