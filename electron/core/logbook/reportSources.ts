import type BetterSqlite3 from 'better-sqlite3';

import type { BackupSummaryView } from '../../../shared/domain/backup';
import type { ProcedureRunLine } from '../../../shared/domain/fleetReports';

/*
 * What both reports read besides the logbook itself: the procedure runs and restores of the history, and the
 * backups and their verify results (through the backup feature's own calls and the audit log it writes).
 */

/** The backup feature as the reports use it: its list call. */
export type BackupLister = { list(unit?: string): Promise<BackupSummaryView[]> };

type RunRow = {
  id: string;
  procedure_id: string;
  procedure_json: string;
  state: string;
  escalation_level: number | null;
  started_at: string;
  started_by: string;
  ended_at: string | null;
  signed_by: string | null;
  signed_at: string | null;
  record_hash: string | null;
  units: string;
};

const RUN_COLUMNS = `r.id, r.procedure_id, r.procedure_json, r.state, r.escalation_level, r.started_at, r.started_by,
  r.ended_at, r.signed_by, r.signed_at, r.record_hash,
  (SELECT group_concat(unit, ' ') FROM (SELECT unit FROM procedure_run_units WHERE run_id = r.id ORDER BY ordinal)) AS units`;

export function runsOfUnit(
  db: BetterSqlite3.Database,
  unit: string,
  sinceIso: string,
  limit: number,
): ProcedureRunLine[] {
  return db
    .prepare<[string, string, number], RunRow>(
      `SELECT ${RUN_COLUMNS} FROM procedure_runs r JOIN procedure_run_units u ON u.run_id = r.id
       WHERE u.unit = ? AND r.started_at >= ? ORDER BY r.started_at DESC LIMIT ?`,
    )
    .all(unit, sinceIso, limit)
    .map(runLine);
}

export function runsBetween(db: BetterSqlite3.Database, sinceIso: string, untilIso: string): ProcedureRunLine[] {
  return db
    .prepare<[string, string], RunRow>(
      `SELECT ${RUN_COLUMNS} FROM procedure_runs r WHERE r.started_at >= ? AND r.started_at < ? ORDER BY r.started_at`,
    )
    .all(sinceIso, untilIso)
    .map(runLine);
}

function runLine(row: RunRow): ProcedureRunLine {
  const title = procedureTitles(row.procedure_json, row.procedure_id);
  return {
    runId: row.id,
    procedureId: row.procedure_id,
    titleEn: title.en,
    titleVi: title.vi,
    units: row.units ? row.units.split(' ') : [],
    state: row.state,
    escalationLevel: row.escalation_level,
    startedAt: row.started_at,
    startedBy: row.started_by,
    endedAt: row.ended_at,
    signedBy: row.signed_by,
    signedAt: row.signed_at,
    recordHash: row.record_hash,
  };
}

function procedureTitles(json: string, id: string): { en: string; vi: string } {
  try {
    const title = (JSON.parse(json) as { title?: { en?: string; vi?: string } }).title;
    return { en: title?.en ?? id, vi: title?.vi ?? title?.en ?? id };
  } catch {
    return { en: id, vi: id };
  }
}

export function restoresOfUnit(db: BetterSqlite3.Database, unit: string, sinceIso: string) {
  return db
    .prepare<
      [string, string],
      {
        id: string;
        backup_id: string;
        started_at: string;
        started_by: string;
        result: string | null;
        reason: string | null;
      }
    >(
      `SELECT id, backup_id, started_at, started_by, result, reason FROM restore_transactions
       WHERE unit = ? AND started_at >= ? ORDER BY started_at DESC`,
    )
    .all(unit, sinceIso)
    .map((row) => ({
      transactionId: row.id,
      backupId: row.backup_id,
      startedAt: row.started_at,
      startedBy: row.started_by,
      result: row.result,
      reason: row.reason,
    }));
}

export type Verification = { backupId: string; at: string; by: string; checkedFiles: number };

/**
 * Verify results that passed, newest first, from the audit log the backup feature writes (a full verify or a
 * sample alike), optionally for one unit; the newest result per backup wins, so a backup that failed a later
 * verify is not counted as verified.
 */
export function passedVerifies(db: BetterSqlite3.Database, unit: string | undefined): Map<string, Verification> {
  const rows = db
    .prepare<[string | null, string | null], { at: string; actor: string; outcome: string; details_json: string }>(
      `SELECT a.at, a.actor, a.outcome, a.details_json FROM logbook l JOIN audit_log a ON a.seq = CAST(l.source_key AS INTEGER)
       WHERE l.code = 'backup.verify' AND l.source = 'audit' AND (? IS NULL OR l.unit = ?)
       ORDER BY l.at_ms DESC, l.id DESC`,
    )
    .all(unit ?? null, unit ?? null);
  const newest = new Map<string, Verification | null>();
  for (const row of rows) {
    const details = JSON.parse(row.details_json) as { backupId?: unknown; checkedFiles?: unknown };
    const backupId = typeof details.backupId === 'string' ? details.backupId : undefined;
    if (!backupId || newest.has(backupId)) {
      continue;
    }
    newest.set(
      backupId,
      row.outcome === 'ok'
        ? { backupId, at: row.at, by: row.actor, checkedFiles: Number(details.checkedFiles ?? 0) }
        : null,
    );
  }
  return new Map([...newest].filter((entry): entry is [string, Verification] => entry[1] !== null));
}

/** The unit's newest backup, and its newest backup that passed a verify (by backup time), from the backup list. */
export function latestBackups(
  backups: readonly BackupSummaryView[],
  verified: ReadonlyMap<string, Verification>,
): { last: BackupSummaryView | undefined; verified: { backup: BackupSummaryView; verify: Verification } | undefined } {
  const own = backups.filter((b) => b.kind === 'backup').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const last = own[0];
  for (const backup of own) {
    const verify = verified.get(backup.id);
    if (verify) {
      return { last, verified: { backup, verify } };
    }
  }
  return { last, verified: undefined };
}
