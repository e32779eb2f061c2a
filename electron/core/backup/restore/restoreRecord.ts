import type BetterSqlite3 from 'better-sqlite3';

import type { RestorePhase, RestorePhaseRecord, RestorePhaseStatus } from '../../../../shared/domain/restore';
import { AppError, type JsonValue } from '../../../../shared/errors/AppError';
import type { EventHub } from '../../ports/EventHub';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Clock } from '../../ports/Clock';

/** A restore that started this recently and has not finished may still be running in another window. */
const RUNNING_ELSEWHERE_MS = 60 * 60 * 1000;

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

/**
 * An earlier restore of the unit that never finished (the workstation stopped mid-way) is closed as interrupted, so
 * the history says so; one that started within the last hour may still be running in another window: CONFLICT.
 */
export function closeInterrupted(
  deps: { db: BetterSqlite3.Database; clock: Clock; history: HistoryRepository },
  unit: string,
  actor: string,
): void {
  const { db, clock, history } = deps;
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
export function interruptedNotes(db: BetterSqlite3.Database, unit: string): string[] {
  const rows = db
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
