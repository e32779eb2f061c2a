import { globToRegExp } from '../profile/backupProfiles';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type BetterSqlite3 from 'better-sqlite3';

import { BackupProfileSchema, type BackupProfile } from '../../../../shared/domain/backup';
import type { DiagnosisReport } from '../../../../shared/domain/health';
import type { RestorePlan, RestoreResult } from '../../../../shared/domain/restore';
import type { Unit } from '../../../../shared/domain/unit';
import { AppError, isAppError, type JsonValue } from '../../../../shared/errors/AppError';
import type { EventHub } from '../../api/CoreApi';
import type { DiagnosticsService } from '../../diagnostics/DiagnosticsService';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';
import type { Connection } from '../../transport/transport';
import type { UnitConnector } from '../../units/unitConnection';
import type { BackupStore, Manifest } from '../store/BackupStore';
import { assertSafeManifest } from './pathSafety';
import { planTree, type TreePlan } from './plan';
import { assertSafeToApply, describeSafety, judgeSweep, readSafety } from './preconditions';
import { applyOnUnit, type ContentSource } from './remoteApply';
import { remoteShell, type RemoteShell } from './remoteShell';
import { listRemoteTree } from './remoteTree';
import { RestoreRecord } from './restoreRecord';
import { scopeFromProfile, type RestoreScope } from './scope';
import { activeStates, startServices, stopServices } from './services';
import { takeSnapshot, type Snapshot } from './snapshot';
import type { TreeEntry } from './tree';

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

export type RestoreRequest = { name: string; backupId: string; replacement: boolean };

/** Everything a plan needs, computed against the unit as it is now. */
type Prepared = {
  unit: Unit;
  manifest: Manifest;
  scope: RestoreScope;
  target: TreeEntry[];
  isSecret: (path: string) => boolean;
  hostKey: { pinned: string | null; atBackup: string | null };
  replacement: boolean;
};

const str = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);

function targetEntries(manifest: Manifest): TreeEntry[] {
  return manifest.entries.map((e) => ({
    path: e.path,
    type: e.type,
    mode: e.mode,
    uid: e.uid,
    gid: e.gid,
    owner: e.owner,
    group: e.group,
    size: e.type === 'file' ? e.size : 0,
    sha256: e.type === 'file' ? e.sha256 : '',
    linkTarget: e.linkTarget,
  }));
}

/**
 * Restores a unit to one of its backups as one recorded transaction: verify → plan → preconditions → snapshot →
 * apply → restart → health gate → commit, or an automatic rollback to the snapshot when anything after the snapshot
 * fails. Never runs without confirm; refuses a damaged backup and a hostile manifest before anything is written.
 */
/** A restore that started this recently and has not finished may still be running in another window. */
const RUNNING_ELSEWHERE_MS = 60 * 60 * 1000;

export class RestoreService {
  private readonly inProgress = new Set<string>();

  constructor(private readonly deps: RestoreDeps) {}

  /** The dry run: reads the unit, changes nothing. */
  async plan(request: RestoreRequest): Promise<RestorePlan> {
    const prepared = await this.prepare(request);
    return this.withShell(prepared.unit, async (shell) => {
      const current = await listRemoteTree(shell, prepared.scope);
      return this.planView(prepared, planTree(prepared.scope, prepared.target, current));
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
    this.closeInterrupted(request.name, actor);
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

  /**
   * An earlier restore of the unit that never finished (the workstation stopped mid-way) is closed as interrupted, so
   * the history says so; one that started within the last hour may still be running in another window: CONFLICT.
   */
  private closeInterrupted(unit: string, actor: string): void {
    const { db, clock, history } = this.deps;
    const open = db
      .prepare(
        'SELECT id, started_at AS startedAt, snapshot_id AS snapshotId FROM restore_transactions WHERE unit = ? AND result IS NULL',
      )
      .all(unit) as { id: string; startedAt: string; snapshotId: string | null }[];
    for (const tx of open) {
      if (clock.now() - Date.parse(tx.startedAt) < RUNNING_ELSEWHERE_MS) {
        throw new AppError(
          'CONFLICT',
          `a restore of ${unit} started at ${tx.startedAt} has not finished (another window or command may be running it)`,
          { details: { unit, transactionId: tx.id } },
        );
      }
      const reason = `interrupted: the workstation stopped before the restore finished${tx.snapshotId === null ? '' : `; snapshot ${tx.snapshotId} holds the unit's state before it`}`;
      db.prepare('UPDATE restore_transactions SET finished_at = ?, result = ?, reason = ? WHERE id = ?').run(
        clock.nowIso(),
        'failed',
        reason,
        tx.id,
      );
      history.appendAudit({
        actor,
        unit,
        action: 'restore.end',
        outcome: 'failed',
        details: { transactionId: tx.id, result: 'failed', reason, snapshotId: tx.snapshotId },
      });
    }
  }

  /** What the plan should tell about earlier restores of the unit that did not finish. */
  private interruptedNotes(unit: string): string[] {
    const rows = this.deps.db
      .prepare(
        `SELECT started_at AS startedAt, snapshot_id AS snapshotId, result, reason FROM restore_transactions
         WHERE unit = ? ORDER BY started_at DESC LIMIT 1`,
      )
      .all(unit) as { startedAt: string; snapshotId: string | null; result: string | null; reason: string | null }[];
    const last = rows[0];
    if (last === undefined || (last.result !== null && !(last.reason ?? '').startsWith('interrupted'))) {
      return [];
    }
    return [
      `the last restore of ${unit} (started ${last.startedAt}) did not finish: the unit may be partly restored` +
        (last.snapshotId === null ? '' : `; snapshot ${last.snapshotId} holds its state before that restore`),
    ];
  }

  private async transaction(record: RestoreRecord, request: RestoreRequest): Promise<RestoreResult> {
    const { deps } = this;
    const store = await deps.store();

    record.start('verify', `checking every chunk and hash of ${request.backupId}`);
    const verified = await store.verify(request.backupId);
    if (!verified.ok) {
      const first = verified.problems[0];
      throw new AppError(
        'BACKUP_DAMAGED',
        `backup ${request.backupId} is damaged (${verified.problems.length} problem${verified.problems.length === 1 ? '' : 's'}${first ? `, first: ${first.path || 'manifest'}: ${first.message}` : ''}); it is never restored`,
        { details: { backupId: request.backupId, problems: verified.problems.map((p) => `${p.path}: ${p.problem}`) } },
      );
    }
    record.end('verify', 'ok', `${verified.checkedFiles} files checked`);

    record.start('plan', 'reading the backup and the unit');
    const prepared = await this.prepare(request);
    const connection = await deps.connector.connect(prepared.unit);
    try {
      const shell = remoteShell(connection);
      const firstListing = await listRemoteTree(shell, prepared.scope);
      const firstPlan = planTree(prepared.scope, prepared.target, firstListing);
      const view = this.planView(prepared, firstPlan);
      record.end(
        'plan',
        'ok',
        `${view.counts.create} to create, ${view.counts.modify} to change, ${view.counts.delete} to delete; services: ${view.services.join(', ') || 'none'}`,
        { replacement: prepared.replacement },
      );
      if (firstPlan.changes.length === 0) {
        for (const phase of ['preconditions', 'snapshot', 'apply', 'restart', 'health'] as const) {
          record.end(phase, 'skipped', 'the unit already matches the backup');
        }
        return this.commit(record, prepared, firstPlan, null, 'the unit already matches the backup');
      }

      record.start('preconditions', 'reading the E-Stop, the firmware state and the services; diagnosing the unit');
      const safety = await readSafety(shell, prepared.unit);
      assertSafeToApply(prepared.unit.name, safety);
      const before = await this.sweep(prepared.unit.name);
      const affected = await this.loadedServices(shell, firstPlan.services);
      record.end('preconditions', 'ok', `${describeSafety(safety)}; diagnosis ${before.level}`, {
        estop: safety.pin.kind,
        firmware: safety.firmware.kind === 'known' ? safety.firmware.state : null,
        baselineRunId: before.runId,
      });

      record.start(
        'snapshot',
        `stopping ${affected.names.join(', ') || 'no services'}; copying the unit's current state`,
      );
      let snapshot: Snapshot;
      let plan: TreePlan;
      try {
        await stopServices(shell, affected.names);
        const current = await listRemoteTree(shell, prepared.scope);
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
              restoreOf: request.backupId,
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
          deps.logger.warn('restarting services after a failed snapshot failed', { error: String(e) }),
        );
        throw error;
      }
      record.end('snapshot', 'ok', `snapshot ${snapshot.id} (${snapshot.entries.length} entries)`, {
        snapshotId: snapshot.id,
      });

      const restartSet = affected.toStart;
      let reason: string | null = null;
      try {
        record.start('apply', `${plan.changes.length} changes, ${plan.bytesToSend} bytes to send`);
        await applyOnUnit(
          shell,
          prepared.scope,
          plan.apply,
          record.transactionId,
          this.contentFrom(store, request.backupId),
          (done, total) => record.progress('apply', 'writing files', done, total),
        );
        const left = planTree(prepared.scope, prepared.target, await listRemoteTree(shell, prepared.scope));
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
        record.end(
          'restart',
          'ok',
          restartSet.length > 0 ? `started ${restartSet.join(', ')}` : 'no services to start',
        );

        record.start('health', 'waiting for the services to settle, then diagnosing the unit');
        reason = await this.healthGate(shell, restartSet, before);
        if (reason !== null) {
          record.end('health', 'failed', reason);
        } else {
          record.end('health', 'ok', 'the restarted services are active and nothing new is at ERROR');
        }
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
        const phase = record.running();
        if (phase !== null) {
          record.end(phase, 'failed', reason);
        }
      }
      if (reason === null) {
        return this.commit(record, prepared, plan, snapshot.id, null);
      }
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
    } finally {
      await connection.close();
    }
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
    affected: { names: string[]; wasRunning: string[] },
    reason: string,
  ): Promise<void> {
    record.start('rollback', `rolling back to snapshot ${snapshot.id}: ${reason}`);
    await stopServices(shell, affected.names);
    const current = await listRemoteTree(shell, prepared.scope);
    const back = planTree(prepared.scope, snapshot.entries, current);
    await applyOnUnit(
      shell,
      prepared.scope,
      back.apply,
      `${record.transactionId}-rb`,
      this.contentFrom(store, snapshot.id),
    );
    const left = planTree(prepared.scope, snapshot.entries, await listRemoteTree(shell, prepared.scope));
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

  /** Of the services a plan names, those the unit has; which of them run now; which to start after the apply. */
  private async loadedServices(
    shell: RemoteShell,
    names: readonly string[],
  ): Promise<{ names: string[]; wasRunning: string[]; toStart: string[] }> {
    const states = await activeStates(shell, names);
    const loaded: string[] = [];
    const wasRunning: string[] = [];
    const toStart: string[] = [];
    for (const name of names) {
      const result = await shell.run(
        `systemctl show -p LoadState -p UnitFileState -- ${name.replace(/[^A-Za-z0-9@._:-]/g, '')}`,
        {
          sudo: false,
          timeoutMs: 30_000,
        },
      );
      const props = new Map(
        result.stdout
          .toString('utf8')
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
      );
      if (props.get('LoadState') !== 'loaded') {
        continue;
      }
      loaded.push(name);
      const state = states.get(name) ?? 'unknown';
      const running = state === 'active' || state === 'activating' || state === 'reloading';
      if (running) {
        wasRunning.push(name);
      }
      // A service the technician left stopped (and not enabled at boot) stays stopped; a crashed one is started.
      if (running || state === 'failed' || props.get('UnitFileState') === 'enabled') {
        toStart.push(name);
      }
    }
    return { names: loaded, wasRunning, toStart };
  }

  private contentFrom(store: BackupStore, backupId: string): ContentSource {
    return (entry) => store.openFile(backupId, entry.path);
  }

  private planView(prepared: Prepared, plan: TreePlan): RestorePlan {
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
      notes: this.interruptedNotes(prepared.unit.name),
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

  /** Checks the backup against the unit, the profile and the host key; refuses before anything is read from the unit. */
  private async prepare(request: RestoreRequest): Promise<Prepared> {
    const { deps } = this;
    const unit = deps.history.getUnit(request.name);
    if (!unit) {
      throw new AppError('NOT_FOUND', `unit ${request.name} not found (see: ohtw units list)`, {
        details: { unit: request.name },
      });
    }
    const store = await deps.store();
    const manifest = await store.getManifest(request.backupId);
    if (manifest.unit !== unit.name) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `backup ${manifest.id} is of unit ${manifest.unit}, not ${unit.name}: a backup is restored only onto its own unit (a replaced board keeps the unit's name: ohtw restore ${manifest.unit} ${manifest.id} --replacement)`,
        { details: { unit: unit.name, backupUnit: manifest.unit } },
      );
    }
    const current = await deps.profileFor(unit.name);
    const recorded = BackupProfileSchema.safeParse(manifest.profile);
    const profile = recorded.success ? recorded.data : current;
    if (
      !recorded.success &&
      (manifest.profile.id !== current.id || String(manifest.profile.version) !== String(current.version))
    ) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `backup ${manifest.id} was taken with profile ${manifest.profile.id} v${String(manifest.profile.version)}, which is not the profile in force (${current.id} v${current.version}) and not recorded in the backup`,
        { details: { backupId: manifest.id } },
      );
    }
    const scope = scopeFromProfile(profile);
    // A backup's own profile may be narrower than the workstation's, never wider: every root must be one it knows.
    const known = scopeFromProfile({
      ...current,
      roots: current.roots.map((r) => ({ ...r, enabled: true })),
      databases: current.databases.map((d) => ({ ...d, enabled: true })),
    });
    for (const root of scope.roots) {
      if (!known.roots.includes(root)) {
        throw new AppError(
          'UNSAFE_PATH',
          `the backup is refused: its profile names the root ${JSON.stringify(root)}, which the workstation's profile for ${unit.name} does not have; nothing was written`,
          { details: { path: root } },
        );
      }
    }
    const target = targetEntries(manifest);
    assertSafeManifest(scope, target);
    const secrets = new Set(manifest.entries.filter((e) => e.secret).map((e) => e.path));
    const secretPatterns = profile.secrets;
    const isSecret = (path: string): boolean =>
      secrets.has(path) || secretPatterns.some((pattern) => matchesSecret(path, pattern));

    const pinned = unit.hostKey?.fingerprint ?? null;
    const atBackup = str(manifest.meta.hostKeyFingerprint) ?? str(manifest.meta.hostKey);
    const keyChanged = atBackup !== null && pinned !== null && atBackup !== pinned;
    const repinned = this.repinnedSince(unit.name, manifest.createdAt);
    if ((keyChanged || (atBackup === null && repinned)) && !request.replacement) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `${unit.name} presents a different host key than when backup ${manifest.id} was taken (a replacement board?). Restoring onto a replacement board is explicit: pin its key with ohtw units trust ${unit.name} --fingerprint SHA256:… (read on the vehicle), then restore with --replacement`,
        { details: { unit: unit.name, pinned, atBackup } },
      );
    }
    if (request.replacement && pinned === null) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `${unit.name}: trust the replacement board's host key first (ohtw units trust ${unit.name} --fingerprint SHA256:…)`,
        {
          details: { unit: unit.name },
        },
      );
    }
    return { unit, manifest, scope, target, isSecret, hostKey: { pinned, atBackup }, replacement: request.replacement };
  }

  /** Whether the unit's host key was re-pinned (a replaced board) after `since`. */
  private repinnedSince(unit: string, since: string): boolean {
    return this.deps.history
      .listAudit({ unit, limit: 200 })
      .some((entry) => entry.action === 'hostkey.repin' && entry.outcome === 'ok' && entry.at > since);
  }
}

/** The profile's secret patterns, matched as the backup side matches them. */
function matchesSecret(path: string, pattern: string): boolean {
  return globToRegExp(pattern).test(path);
}
