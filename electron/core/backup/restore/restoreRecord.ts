import type BetterSqlite3 from 'better-sqlite3';

import type { RestorePhase, RestorePhaseRecord, RestorePhaseStatus } from '../../../../shared/domain/restore';
import type { JsonValue } from '../../../../shared/errors/AppError';
import type { EventHub } from '../../api/CoreApi';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Clock } from '../../ports/Clock';

export type TransactionEnd = 'committed' | 'rolled-back' | 'failed' | 'refused';

/**
 * One restore transaction as it is recorded: a row before anything happens, a row per phase as it starts and ends,
 * each phase's end (and the transaction's) in the hash-chained audit log, and a restore.progress event per step.
 */
export class RestoreRecord {
  readonly phases: RestorePhaseRecord[] = [];
  private seq = 0;
  private readonly startedMs: number;
  private current: { phase: RestorePhase; startedMs: number; startedAt: string } | null = null;

  constructor(
    private readonly deps: { db: BetterSqlite3.Database; history: HistoryRepository; events: EventHub; clock: Clock },
    readonly transactionId: string,
    readonly unit: string,
    readonly backupId: string,
    readonly actor: string,
    replacement: boolean,
  ) {
    this.startedMs = deps.clock.now();
    deps.db
      .prepare(
        `INSERT INTO restore_transactions (id, unit, backup_id, snapshot_id, replacement, started_at, started_by)
         VALUES (?, ?, ?, NULL, ?, ?, ?)`,
      )
      .run(transactionId, unit, backupId, replacement ? 1 : 0, new Date(this.startedMs).toISOString(), actor);
    deps.history.appendAudit({
      actor,
      unit,
      action: 'restore.begin',
      outcome: 'ok',
      details: { transactionId, backupId, replacement },
    });
  }

  elapsedMs(): number {
    return Math.max(0, Math.round(this.deps.clock.now() - this.startedMs));
  }

  private row(phase: RestorePhase, status: RestorePhaseStatus, detail: string, data: Record<string, JsonValue>): void {
    this.seq += 1;
    this.deps.db
      .prepare(
        'INSERT INTO restore_phases (transaction_id, seq, phase, status, at, detail, data_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(this.transactionId, this.seq, phase, status, this.deps.clock.nowIso(), detail, JSON.stringify(data));
  }

  progress(phase: RestorePhase, detail: string, done?: number, total?: number): void {
    this.deps.events.emit('restore.progress', {
      transactionId: this.transactionId,
      unit: this.unit,
      phase,
      status: 'started',
      detail,
      ...(done !== undefined ? { done } : {}),
      ...(total !== undefined ? { total } : {}),
    });
  }

  start(phase: RestorePhase, detail: string): void {
    this.current = { phase, startedMs: this.deps.clock.now(), startedAt: this.deps.clock.nowIso() };
    this.row(phase, 'started', detail, {});
    this.progress(phase, detail);
  }

  /** Ends the running phase (ok, failed) or records one that did not need to run (skipped). */
  end(
    phase: RestorePhase,
    status: Exclude<RestorePhaseStatus, 'started'>,
    detail: string,
    data: Record<string, JsonValue> = {},
  ): void {
    const running = this.current?.phase === phase ? this.current : null;
    this.current = null;
    const startedMs = running?.startedMs ?? this.deps.clock.now();
    this.phases.push({
      phase,
      status,
      startedAt: running?.startedAt ?? this.deps.clock.nowIso(),
      durationMs: Math.max(0, Math.round(this.deps.clock.now() - startedMs)),
      detail,
    });
    this.row(phase, status, detail, data);
    this.deps.history.appendAudit({
      actor: this.actor,
      unit: this.unit,
      action: `restore.${phase}`,
      outcome: status === 'failed' ? 'failed' : 'ok',
      details: { transactionId: this.transactionId, backupId: this.backupId, status, detail, ...data },
    });
    this.deps.events.emit('restore.progress', {
      transactionId: this.transactionId,
      unit: this.unit,
      phase,
      status,
      detail,
    });
  }

  /** The phase running now, if any (a failure ends it). */
  running(): RestorePhase | null {
    return this.current?.phase ?? null;
  }

  setSnapshot(snapshotId: string): void {
    this.deps.db
      .prepare('UPDATE restore_transactions SET snapshot_id = ? WHERE id = ?')
      .run(snapshotId, this.transactionId);
  }

  finish(result: TransactionEnd, reason: string | null, data: Record<string, JsonValue> = {}): void {
    this.deps.db
      .prepare('UPDATE restore_transactions SET finished_at = ?, result = ?, reason = ? WHERE id = ?')
      .run(this.deps.clock.nowIso(), result, reason, this.transactionId);
    this.deps.history.appendAudit({
      actor: this.actor,
      unit: this.unit,
      action: 'restore.end',
      outcome: result === 'committed' ? 'ok' : result === 'refused' ? 'refused' : 'failed',
      details: { transactionId: this.transactionId, backupId: this.backupId, result, reason, ...data },
    });
  }
}
