import type BetterSqlite3 from 'better-sqlite3';

import type { CheckResult } from '../../../shared/domain/health';
import type { OpenFinding, UnitRecord } from '../../../shared/domain/fleetReports';
import { AppError } from '../../../shared/errors/AppError';
import type { HistoryRepository } from '../history/HistoryRepository';
import { dateToMs } from './logbookQuery';
import type { LogbookService } from './LogbookService';
import { latestBackups, passedVerifies, restoresOfUnit, runsOfUnit, type BackupLister } from './reportSources';

/** The checks whose new findings are the incidents a site lead counts. */
export const ESTOP_CHECK = 'safety.estop';
export const FIRMWARE_CHECK = 'services.firmware';

const MAX_LISTED = 500;

export type ReportDeps = {
  db: BetterSqlite3.Database;
  history: HistoryRepository;
  logbook: LogbookService;
  backups: BackupLister;
  now: () => string;
};

/** A unit's service record: everything the history knows of it since a date (all of it without one). */
export async function unitRecord(deps: ReportDeps, name: string, since: string | undefined): Promise<UnitRecord> {
  const unit = deps.history.getUnit(name);
  const sinceMs = since === undefined ? 0 : dateToMs(since);
  const sinceIso = new Date(sinceMs).toISOString();
  const entries = deps.logbook.rows({ units: [name] }, undefined, 1);
  if (!unit && entries.length === 0) {
    throw new AppError('NOT_FOUND', `unit ${name} is neither registered nor in the history`, {
      details: { unit: name },
    });
  }
  const latest = deps.history.listDiagnoses(name, 1)[0];
  const backups = await deps.backups.list(name);
  const { last, verified } = latestBackups(backups, passedVerifies(deps.db, name));
  const head = deps.history.listAudit({ limit: 1 })[0];
  const unitHead = deps.history.listAudit({ unit: name, limit: 1 })[0];
  const verification = deps.history.verifyAudit();
  return {
    unit: name,
    generatedAt: deps.now(),
    since: since === undefined ? null : sinceIso,
    identity: unit
      ? {
          host: unit.host,
          port: unit.port,
          user: unit.user,
          hostKey: unit.hostKey,
          profile: unit.profile,
          addedAt: unit.createdAt,
        }
      : null,
    firmwareVersion: firmwareVersionSeen(deps.db, name),
    health: latest
      ? { level: latest.level, at: latest.startedAt, runId: latest.runId, findings: openFindings(latest.checks) }
      : null,
    lastBackup: last ? { backupId: last.id, createdAt: last.createdAt, files: last.files, bytes: last.bytes } : null,
    lastVerifiedBackup: verified
      ? {
          backupId: verified.backup.id,
          createdAt: verified.backup.createdAt,
          files: verified.backup.files,
          bytes: verified.backup.bytes,
          verifiedAt: verified.verify.at,
          verifiedBy: verified.verify.by,
          checkedFiles: verified.verify.checkedFiles,
        }
      : null,
    procedures: runsOfUnit(deps.db, name, sinceIso, MAX_LISTED),
    restores: restoresOfUnit(deps.db, name, sinceIso),
    registerWrites: deps.logbook.page(
      { units: [name], kinds: ['register-write'], ...(since === undefined ? {} : { since }) },
      undefined,
      MAX_LISTED,
    ).entries,
    incidents: incidentsByMonth(deps, name, sinceMs),
    chain: {
      seq: head?.seq ?? null,
      hash: head?.hash ?? null,
      at: head?.at ?? null,
      unitSeq: unitHead?.seq ?? null,
      intact: verification.ok,
      checked: verification.checked,
      firstBroken: verification.ok ? null : verification.firstBroken,
    },
  };
}

/** The leaves of the tree that are not OK: what is wrong with the unit now. */
function openFindings(checks: readonly CheckResult[]): OpenFinding[] {
  const out: OpenFinding[] = [];
  const visit = (list: readonly CheckResult[]) => {
    for (const check of list) {
      if ((check.children ?? []).length > 0) {
        visit(check.children ?? []);
      } else if (check.level !== 'OK') {
        out.push({
          checkId: check.id,
          level: check.level,
          message: check.message,
          ...(check.say ? { say: check.say } : {}),
          runbook: check.runbook ?? null,
        });
      }
    }
  };
  visit(checks);
  return out;
}

/** The firmware's version as its health API last reported it ("… (state IDLE, version 2.3.1)"). */
function firmwareVersionSeen(db: BetterSqlite3.Database, unit: string): UnitRecord['firmwareVersion'] {
  const rows = db
    .prepare<[string], { message: string; started_at: string }>(
      `SELECT message, started_at FROM check_results
       WHERE unit = ? AND check_id >= 'api.firmware' AND check_id < 'api.firmwarf' AND message LIKE '%version %'
       ORDER BY started_at DESC LIMIT 1`,
    )
    .all(unit);
  const row = rows[0];
  const version = row ? /version ([^\s,)]+)/.exec(row.message)?.[1] : undefined;
  return row && version ? { version, seenAt: row.started_at } : null;
}

/** New E-Stop findings and firmware crashes (its service newly at ERROR), per calendar month. */
function incidentsByMonth(deps: ReportDeps, unit: string, sinceMs: number): UnitRecord['incidents'] {
  const rows = deps.db
    .prepare<[string, number], { at_ms: number; subject: string; level: string }>(
      `SELECT at_ms, subject, level FROM logbook INDEXED BY logbook_by_unit
       WHERE unit = ? AND at_ms >= ? AND code = 'finding' AND subject IN ('${ESTOP_CHECK}', '${FIRMWARE_CHECK}')
       ORDER BY at_ms`,
    )
    .all(unit, sinceMs);
  const months = new Map<string, { month: string; estop: number; crashes: number }>();
  let estop = 0;
  let crashes = 0;
  for (const row of rows) {
    const month = localMonth(row.at_ms);
    const slot = months.get(month) ?? { month, estop: 0, crashes: 0 };
    if (row.subject === ESTOP_CHECK) {
      slot.estop += 1;
      estop += 1;
    } else if (row.level === 'ERROR') {
      slot.crashes += 1;
      crashes += 1;
    }
    months.set(month, slot);
  }
  return { months: [...months.values()], estop, crashes };
}

export function localMonth(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

export function localDay(ms: number): string {
  const date = new Date(ms);
  return `${localMonth(ms)}-${String(date.getDate()).padStart(2, '0')}`;
}
