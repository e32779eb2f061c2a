import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type BetterSqlite3 from 'better-sqlite3';

import type { BackupProfile } from '../../../../shared/domain/backup';
import type { DiagnosisReport } from '../../../../shared/domain/health';
import type { RestorePlan, RestoreResult } from '../../../../shared/domain/restore';
import type { Unit } from '../../../../shared/domain/unit';
import { AppError, isAppError, type JsonValue } from '../../../../shared/errors/AppError';
import type { EventHub } from '../../ports/EventHub';
import type { DiagnosticsService } from '../../diagnostics/DiagnosticsService';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';
import type { Connection } from '../../transport/transport';
import type { UnitConnector } from '../../units/unitConnection';
import type { BackupStore } from '../store/BackupStore';
import { prepareRestore, touchable, type Prepared, type RestoreRequest } from './prepareRestore';
import { planTree, type TreePlan } from './plan';
import { assertSafeToApply, describeSafety, judgeSweep, readSafety } from './preconditions';
import { applyOnUnit, type ContentSource } from './remoteApply';
import { remoteShell, type RemoteShell } from './remoteShell';
import { listRemoteTree } from './remoteTree';
import { closeInterrupted, interruptedNotes, RestoreRecord } from './restoreRecord';
import { activeStates, loadedServices, startServices, stopServices, type AffectedServices } from './services';
import { takeSnapshot, type Snapshot } from './snapshot';

export type { RestoreRequest } from './prepareRestore';

export type RestoreDeps = {
  db: BetterSqlite3.Database;
  history: HistoryRepository;
  connector: UnitConnector;
  diagnostics: Pick<DiagnosticsService, 'run'>;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  store: () => Promise<BackupStore>;
  /** The workstation's backup profile for a unit now: a backup's roots must be among its roots. */
  profileFor: (unit: string) => Promise<BackupProfile>;
  /** How long services get after their start before the gate asks whether they are active (5 s by default). */
  settleMs?: number;
};

/**
 * Restores a unit to one of its backups as one recorded transaction: verify → plan → preconditions → snapshot →
 * apply → restart → health gate → commit, or an automatic rollback to the snapshot when anything after the snapshot
 * fails. Never runs without confirm; refuses a damaged backup and a hostile manifest before anything is written.
 */

export class RestoreService {
  private readonly inProgress = new Set<string>();

  constructor(private readonly deps: RestoreDeps) {}

  /** The dry run: reads the unit, changes nothing. */
  async plan(request: RestoreRequest): Promise<RestorePlan> {
    const prepared = await prepareRestore(this.deps, request);
    return this.withShell(prepared.unit, async (shell) => {
      const current = touchable(prepared.scope, await listRemoteTree(shell, prepared.scope));
      return this.planView(prepared, planTree(prepared.scope, prepared.target, current.entries), current.leftAlone);
    });
  }

  async run(request: RestoreRequest & { confirm: boolean }, actor: string): Promise<RestoreResult> {
    if (!request.confirm) {
      throw new AppError(
        'CONFIRMATION_REQUIRED',
        `restoring ${request.name} from ${request.backupId} changes the vehicle: look at the dry run (ohtw restore ${request.name} ${request.backupId} --dry-run), then confirm (--yes)`,
        { details: { unit: request.name, backupId: request.backupId } },
      );
    }
    const { deps } = this;
    const unitNow = deps.history.getUnit(request.name);
    if (!unitNow) {
      throw new AppError('NOT_FOUND', `unit ${request.name} not found (see: ohtw units list)`, {
        details: { unit: request.name },
      });
    }
    if (this.inProgress.has(request.name)) {
      throw new AppError('CONFLICT', `a restore of ${request.name} is already running`, {
        details: { unit: request.name },
      });
    }
    closeInterrupted(this.deps, request.name, actor);
    this.inProgress.add(request.name);
    const record = new RestoreRecord(deps, randomUUID(), request.name, request.backupId, actor, request.replacement);
    try {
      return await this.transaction(record, request);
    } catch (error) {
      const phase = record.running();
      const message = error instanceof Error ? error.message : String(error);
      if (phase !== null) {
        record.end(phase, 'failed', message);
      }
      const refused =
        isAppError(error) && ['UNSAFE_PATH', 'BACKUP_DAMAGED', 'PRECONDITION_FAILED', 'CONFLICT'].includes(error.code);
      record.finish(refused ? 'refused' : 'failed', message);
      if (isAppError(error)) {
        throw new AppError(error.code, error.message, {
          details: {
            ...(error.details ?? {}),
            transactionId: record.transactionId,
            phases: record.phases as unknown as JsonValue,
          },
          retryable: error.retryable,
          cause: error,
        });
      }
      throw error;
    } finally {
      this.inProgress.delete(request.name);
    }
  }

  private async transaction(record: RestoreRecord, request: RestoreRequest): Promise<RestoreResult> {
    const store = await this.deps.store();
    await this.verifyStep(record, store, request.backupId);
    record.start('plan', 'reading the backup and the unit');
    const prepared = await prepareRestore(this.deps, request);
    const connection = await this.deps.connector.connect(prepared.unit);
    try {
      const shell = remoteShell(connection);
      const firstPlan = await this.planStep(record, shell, prepared);
      if (firstPlan.changes.length === 0) {
        for (const phase of ['preconditions', 'snapshot', 'apply', 'restart', 'health'] as const) {
          record.end(phase, 'skipped', 'the unit already matches the backup');
        }
        return this.commit(record, prepared, firstPlan, null, 'the unit already matches the backup');
      }
      const { affected, before } = await this.preconditionsStep(record, shell, prepared, firstPlan);
      const { snapshot, plan } = await this.snapshotStep(record, shell, store, prepared, affected, request.backupId);
      const reason = await this.applyStep(record, shell, store, prepared, plan, affected, before);
      if (reason === null) {
        return this.commit(record, prepared, plan, snapshot.id, null);
      }
      return await this.rolledBack(record, shell, prepared, snapshot, store, affected, plan, reason);
    } finally {
      await connection.close();
    }
  }

  /** A damaged backup is never restored: every chunk and hash is checked first. */
  private async verifyStep(record: RestoreRecord, store: BackupStore, backupId: string): Promise<void> {
    record.start('verify', `checking every chunk and hash of ${backupId}`);
    const verified = await store.verify(backupId);
    if (!verified.ok) {
      const first = verified.problems[0];
      throw new AppError(
        'BACKUP_DAMAGED',
        `backup ${backupId} is damaged (${verified.problems.length} problem${verified.problems.length === 1 ? '' : 's'}${first ? `, first: ${first.path || 'manifest'}: ${first.message}` : ''}); it is never restored`,
        { details: { backupId, problems: verified.problems.map((p) => `${p.path}: ${p.problem}`) } },
      );
    }
    record.end('verify', 'ok', `${verified.checkedFiles} files checked`);
  }

  private async planStep(record: RestoreRecord, shell: RemoteShell, prepared: Prepared): Promise<TreePlan> {
    const current = touchable(prepared.scope, await listRemoteTree(shell, prepared.scope));
    const plan = planTree(prepared.scope, prepared.target, current.entries);
    const view = this.planView(prepared, plan, current.leftAlone);
    record.end(
      'plan',
      'ok',
      `${view.counts.create} to create, ${view.counts.modify} to change, ${view.counts.delete} to delete; services: ${view.services.join(', ') || 'none'}`,
      { replacement: prepared.replacement },
    );
    return plan;
  }

  /** The vehicle must not be moving; the E-Stop, the firmware's state and a baseline diagnosis are recorded. */
  private async preconditionsStep(record: RestoreRecord, shell: RemoteShell, prepared: Prepared, plan: TreePlan) {
    record.start('preconditions', 'reading the E-Stop, the firmware state and the services; diagnosing the unit');
    const safety = await readSafety(shell, prepared.unit);
    assertSafeToApply(prepared.unit.name, safety);
    const before = await this.sweep(prepared.unit.name);
    const affected = await loadedServices(shell, plan.services);
    record.end('preconditions', 'ok', `${describeSafety(safety)}; diagnosis ${before.level}`, {
      estop: safety.pin.kind,
      firmware: safety.firmware.kind === 'known' ? safety.firmware.state : null,
      baselineRunId: before.runId,
    });
    return { affected, before };
  }

  /** The affected services are stopped and the unit's current state copied into the store, so it can be put back. */
  private async snapshotStep(
    record: RestoreRecord,
    shell: RemoteShell,
    store: BackupStore,
    prepared: Prepared,
    affected: AffectedServices,
    backupId: string,
  ): Promise<{ snapshot: Snapshot; plan: TreePlan }> {
    record.start(
      'snapshot',
      `stopping ${affected.names.join(', ') || 'no services'}; copying the unit's current state`,
    );
    let snapshot: Snapshot;
    let plan: TreePlan;
    try {
      await stopServices(shell, affected.names);
      const current = touchable(prepared.scope, await listRemoteTree(shell, prepared.scope)).entries;
      snapshot = await takeSnapshot(
        shell,
        store,
        {
          unit: prepared.unit.name,
          profile: prepared.manifest.profile,
          entries: current,
          isSecret: prepared.isSecret,
          meta: {
            reason: 'pre-restore',
            restoreOf: backupId,
            transactionId: record.transactionId,
            hostKeyFingerprint: prepared.hostKey.pinned,
          },
        },
        (done, total) => record.progress('snapshot', `copying the unit's files`, done, total),
      );
      record.setSnapshot(snapshot.id);
      plan = planTree(prepared.scope, prepared.target, current);
    } catch (error) {
      // Nothing was changed on the unit: put its services back as they were.
      await startServices(shell, affected.wasRunning, false).catch((e: unknown) =>
        this.deps.logger.warn('restarting services after a failed snapshot failed', { error: String(e) }),
      );
      throw error;
    }
    record.end('snapshot', 'ok', `snapshot ${snapshot.id} (${snapshot.entries.length} entries)`, {
      snapshotId: snapshot.id,
    });
    return { snapshot, plan };
  }

  /** Apply, check the tree, restart, health gate; returns why the restore must be rolled back, or null. */
  private async applyStep(
    record: RestoreRecord,
    shell: RemoteShell,
    store: BackupStore,
    prepared: Prepared,
    plan: TreePlan,
    affected: AffectedServices,
    before: DiagnosisReport,
  ): Promise<string | null> {
    const restartSet = affected.toStart;
    try {
      record.start('apply', `${plan.changes.length} changes, ${plan.bytesToSend} bytes to send`);
      await applyOnUnit(
        shell,
        prepared.scope,
        plan.apply,
        record.transactionId,
        this.contentFrom(store, prepared.manifest.id),
        (done, total) => record.progress('apply', 'writing files', done, total),
      );
      const left = planTree(
        prepared.scope,
        prepared.target,
        touchable(prepared.scope, await listRemoteTree(shell, prepared.scope)).entries,
      );
      if (left.changes.length > 0) {
        throw new AppError(
          'COMMAND_FAILED',
          `after the apply the unit still differs from the backup at ${left.changes[0]?.path ?? '?'}`,
        );
      }
      record.end(
        'apply',
        'ok',
        `${plan.counts.create} created, ${plan.counts.modify} changed, ${plan.counts.delete} deleted; the unit's tree matches the backup`,
      );
      record.start(
        'restart',
        `starting ${restartSet.join(', ') || 'nothing'}${plan.reload ? ' after systemctl daemon-reload' : ''}`,
      );
      await startServices(shell, restartSet, plan.reload);
      record.end('restart', 'ok', restartSet.length > 0 ? `started ${restartSet.join(', ')}` : 'no services to start');
      record.start('health', 'waiting for the services to settle, then diagnosing the unit');
      const reason = await this.healthGate(shell, restartSet, before);
      record.end(
        'health',
        reason === null ? 'ok' : 'failed',
        reason ?? 'the restarted services are active and nothing new is at ERROR',
      );
      return reason;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const phase = record.running();
      if (phase !== null) {
        record.end(phase, 'failed', reason);
      }
      return reason;
    }
  }

  private async rolledBack(
    record: RestoreRecord,
    shell: RemoteShell,
    prepared: Prepared,
    snapshot: Snapshot,
    store: BackupStore,
    affected: AffectedServices,
    plan: TreePlan,
    reason: string,
  ): Promise<RestoreResult> {
    try {
      await this.rollback(record, shell, prepared, snapshot, store, affected, reason);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new AppError(
        'COMMAND_FAILED',
        `the restore failed (${reason}) and so did the rollback (${why}): ${prepared.unit.name} may be partly restored. Its state before the restore is snapshot ${snapshot.id}: check the unit, then restore it with ohtw restore ${prepared.unit.name} ${snapshot.id} --yes`,
        { details: { snapshotId: snapshot.id, reason, rollbackError: why } },
      );
    }
    const result: RestoreResult = {
      ...this.resultBase(record, prepared, plan, snapshot.id),
      result: 'rolled-back',
      reason,
    };
    record.finish('rolled-back', reason, { snapshotId: snapshot.id });
    return { ...result, phases: [...record.phases], durationMs: record.elapsedMs() };
  }

  private resultBase(
    record: RestoreRecord,
    prepared: Prepared,
    plan: TreePlan,
    snapshotId: string | null,
  ): Omit<RestoreResult, 'result' | 'reason'> {
    return {
      transactionId: record.transactionId,
      unit: prepared.unit.name,
      backupId: prepared.manifest.id,
      snapshotId,
      replacement: prepared.replacement,
      changes: plan.changes,
      services: plan.services,
      phases: record.phases,
      durationMs: record.elapsedMs(),
    };
  }

  private commit(
    record: RestoreRecord,
    prepared: Prepared,
    plan: TreePlan,
    snapshotId: string | null,
    note: string | null,
  ): RestoreResult {
    record.start('commit', 'recording the restore');
    record.end('commit', 'ok', note ?? `${prepared.unit.name} is restored to ${prepared.manifest.id}`);
    record.finish('committed', null, { snapshotId, changes: plan.changes.length });
    return {
      ...this.resultBase(record, prepared, plan, snapshotId),
      result: 'committed',
      reason: null,
      phases: [...record.phases],
    };
  }

  /** Puts the unit back to the snapshot: services stopped, the snapshot's tree applied and checked, services started. */
  private async rollback(
    record: RestoreRecord,
    shell: RemoteShell,
    prepared: Prepared,
    snapshot: Snapshot,
    store: BackupStore,
    affected: AffectedServices,
    reason: string,
  ): Promise<void> {
    record.start('rollback', `rolling back to snapshot ${snapshot.id}: ${reason}`);
    await stopServices(shell, affected.names);
    const current = touchable(prepared.scope, await listRemoteTree(shell, prepared.scope)).entries;
    const back = planTree(prepared.scope, snapshot.entries, current);
    await applyOnUnit(
      shell,
      prepared.scope,
      back.apply,
      `${record.transactionId}-rb`,
      this.contentFrom(store, snapshot.id),
    );
    const after = touchable(prepared.scope, await listRemoteTree(shell, prepared.scope)).entries;
    const left = planTree(prepared.scope, snapshot.entries, after);
    if (left.changes.length > 0) {
      throw new AppError(
        'COMMAND_FAILED',
        `the rollback left ${left.changes[0]?.path ?? '?'} different from the snapshot ${snapshot.id}`,
        {
          details: { snapshotId: snapshot.id },
        },
      );
    }
    // Each service on its own: one that will not start must not keep the others down.
    const failed: string[] = [];
    for (const [i, name] of affected.wasRunning.entries()) {
      await startServices(shell, [name], back.reload && i === 0).catch((error: unknown) => {
        failed.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    const states = await activeStates(shell, affected.wasRunning);
    const down = affected.wasRunning.filter((n) => states.get(n) !== 'active');
    record.end(
      'rollback',
      'ok',
      `the unit's tree is back to snapshot ${snapshot.id} (${back.changes.length} changes undone)${down.length > 0 ? `; not active again: ${down.join(', ')}` : ''}`,
      { snapshotId: snapshot.id, notActive: down, startFailures: failed },
    );
  }

  private async healthGate(shell: RemoteShell, started: string[], before: DiagnosisReport): Promise<string | null> {
    await sleep(this.deps.settleMs ?? 5000);
    const states = await activeStates(shell, started);
    const down = started.filter((n) => states.get(n) !== 'active');
    if (down.length > 0) {
      return `not active after the restart: ${down.map((n) => `${n} (${states.get(n) ?? 'unknown'})`).join(', ')}`;
    }
    const after = await this.sweep(before.unit);
    return judgeSweep(before, after);
  }

  private async sweep(name: string): Promise<DiagnosisReport> {
    const [report] = await this.deps.diagnostics.run([name]);
    if (!report) {
      throw new AppError('INTERNAL', `the diagnosis of ${name} returned no report`);
    }
    return report;
  }

  private contentFrom(store: BackupStore, backupId: string): ContentSource {
    return (entry) => store.openFile(backupId, entry.path);
  }

  private planView(prepared: Prepared, plan: TreePlan, leftAlone: readonly string[]): RestorePlan {
    return {
      unit: prepared.unit.name,
      backupId: prepared.manifest.id,
      backupCreatedAt: prepared.manifest.createdAt,
      roots: prepared.scope.roots,
      replacement: prepared.replacement,
      hostKey: prepared.hostKey,
      changes: plan.changes,
      services: plan.services,
      counts: plan.counts,
      bytesToSend: plan.bytesToSend,
      notes: [
        ...interruptedNotes(this.deps.db, prepared.unit.name),
        ...leftAlone.map((what) => `left as it is (a backup never holds it): ${what}`),
      ],
    };
  }

  private async withShell<T>(unit: Unit, body: (shell: RemoteShell) => Promise<T>): Promise<T> {
    const connection: Connection = await this.deps.connector.connect(unit);
    try {
      return await body(remoteShell(connection));
    } finally {
      await connection.close();
    }
  }
}
