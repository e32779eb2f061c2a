import { severity, type HealthLevel } from '../../../shared/domain/health';
import type { HealthDay, SiteReport } from '../../../shared/domain/fleetReports';
import { AppError } from '../../../shared/errors/AppError';
import { dateToMs } from './logbookQuery';
import { latestBackups, passedVerifies, runsBetween } from './reportSources';
import { ESTOP_CHECK, FIRMWARE_CHECK, localDay, type ReportDeps } from './serviceRecord';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A year and a bit: the health chart has one point per day. */
const MAX_DAYS = 800;

export type SiteReportInput = { since: string; until?: string | undefined; backupMaxAgeDays: number };

/** The fleet over a period, as a site lead reports it to the customer. */
export async function siteReport(deps: ReportDeps, input: SiteReportInput): Promise<SiteReport> {
  const nowIso = deps.now();
  const sinceMs = dateToMs(input.since);
  const untilMs = Math.min(
    input.until === undefined ? Date.parse(nowIso) : dateToMs(input.until, true),
    Date.parse(nowIso),
  );
  if (!(untilMs > sinceMs)) {
    throw new AppError('VALIDATION', `the period is empty: ${input.since} is not before ${input.until ?? 'now'}`);
  }
  if ((untilMs - sinceMs) / DAY_MS > MAX_DAYS) {
    throw new AppError('VALIDATION', `a site report covers at most ${MAX_DAYS} days; choose a shorter period`);
  }
  const health = healthByDay(deps, sinceMs, untilMs);
  const units = [...new Set([...deps.history.listUnits().map((u) => u.name), ...health.units])].sort();
  const runs = runsBetween(deps.db, new Date(sinceMs).toISOString(), new Date(untilMs).toISOString());
  return {
    since: new Date(sinceMs).toISOString(),
    until: new Date(untilMs).toISOString(),
    generatedAt: nowIso,
    units,
    health: health.days,
    incidents: incidents(deps, units, sinceMs, untilMs),
    backups: await backupCoverage(deps, units, untilMs, input.backupMaxAgeDays),
    procedures: {
      runs: runs.length,
      completed: runs.filter((r) => r.state === 'completed').length,
      aborted: runs.filter((r) => r.state === 'aborted').length,
      escalated: runs.filter((r) => r.state === 'escalated').length,
      signed: runs.filter((r) => r.signedAt !== null).length,
      byProcedure: byProcedure(runs),
      escalations: runs.filter((r) => r.state === 'escalated'),
    },
  };
}

/**
 * Each unit's worst level per day, carried forward to the days it was not diagnosed (it stays as last seen), as
 * the share of the units known by then. One ordered pass over the diagnosis index, which holds unit and level; the
 * days are the workstation's local days, cut here rather than by SQLite's per-row time zone conversion.
 */
function healthByDay(deps: ReportDeps, sinceMs: number, untilMs: number): { days: HealthDay[]; units: string[] } {
  const rows = deps.db
    .prepare<[number, number], [number, string, HealthLevel]>(
      `SELECT at_ms, unit, level FROM logbook INDEXED BY logbook_by_code
       WHERE code = 'diagnosis' AND at_ms >= ? AND at_ms < ? AND unit IS NOT NULL ORDER BY at_ms`,
    )
    .raw()
    .iterate(sinceMs, untilMs);
  const state = startingLevels(deps, sinceMs);
  const seen = new Set<string>();
  const days: HealthDay[] = [];
  let dayStart = startOfLocalDay(sinceMs);
  let dayEnd = nextLocalDay(dayStart);
  let today = new Map<string, HealthLevel>();
  const closeDay = () => {
    for (const [unit, level] of today) {
      state.set(unit, level);
    }
    today = new Map();
    const total = state.size;
    const share = (level: HealthLevel) =>
      total === 0 ? 0 : [...state.values()].filter((l) => l === level).length / total;
    days.push({
      day: localDay(dayStart),
      OK: share('OK'),
      WARN: share('WARN'),
      ERROR: share('ERROR'),
      STALE: share('STALE'),
    });
    dayStart = dayEnd;
    dayEnd = nextLocalDay(dayStart);
  };
  for (const [atMs, unit, level] of rows) {
    while (atMs >= dayEnd) {
      closeDay();
    }
    const before = today.get(unit);
    if (!before || severity(level) > severity(before)) {
      today.set(unit, level);
    }
    seen.add(unit);
  }
  while (dayStart < untilMs) {
    closeDay();
  }
  return { days, units: [...seen] };
}

/** Each unit's level as its last diagnosis before the period left it. */
function startingLevels(deps: ReportDeps, sinceMs: number): Map<string, HealthLevel> {
  const levels = new Map<string, HealthLevel>();
  const last = deps.db.prepare<[string, number], { level: HealthLevel }>(
    `SELECT level FROM logbook INDEXED BY logbook_by_unit
     WHERE unit = ? AND at_ms < ? AND code = 'diagnosis' ORDER BY at_ms DESC, id DESC LIMIT 1`,
  );
  for (const unit of deps.history.listUnits()) {
    const row = last.get(unit.name, sinceMs);
    if (row) {
      levels.set(unit.name, row.level);
    }
  }
  return levels;
}

function incidents(
  deps: ReportDeps,
  units: readonly string[],
  sinceMs: number,
  untilMs: number,
): SiteReport['incidents'] {
  const rows = deps.db
    .prepare<[number, number], { unit: string; at_ms: number; subject: string; level: string }>(
      `SELECT unit, at_ms, subject, level FROM logbook INDEXED BY logbook_by_code
       WHERE code = 'finding' AND at_ms >= ? AND at_ms < ? AND unit IS NOT NULL ORDER BY at_ms`,
    )
    .all(sinceMs, untilMs);
  return units.map((unit) => {
    const own = rows.filter((r) => r.unit === unit);
    const crashes = own.filter((r) => r.subject === FIRMWARE_CHECK && r.level === 'ERROR').map((r) => r.at_ms);
    const gaps = crashes.slice(1).map((at, i) => at - (crashes[i] ?? at));
    return {
      unit,
      estop: own.filter((r) => r.subject === ESTOP_CHECK).length,
      crashes: crashes.length,
      otherErrors: own.filter((r) => r.level === 'ERROR' && r.subject !== FIRMWARE_CHECK && r.subject !== ESTOP_CHECK)
        .length,
      mtbfHours:
        gaps.length === 0 ? null : Math.round((gaps.reduce((a, b) => a + b, 0) / gaps.length / HOUR_MS) * 10) / 10,
    };
  });
}

async function backupCoverage(
  deps: ReportDeps,
  units: readonly string[],
  untilMs: number,
  maxAgeDays: number,
): Promise<SiteReport['backups']> {
  const all = await deps.backups.list();
  const verified = passedVerifies(deps.db, undefined);
  const oldest = untilMs - maxAgeDays * DAY_MS;
  const lines = units.map((unit) => {
    const latest = latestBackups(
      all.filter((b) => b.unit === unit),
      verified,
    );
    const verifiedAt = latest.verified?.backup.createdAt ?? null;
    return {
      unit,
      covered: verifiedAt !== null && Date.parse(verifiedAt) >= oldest,
      lastBackupAt: latest.last?.createdAt ?? null,
      lastVerifiedBackupAt: verifiedAt,
    };
  });
  // Units without a recent verified backup first, the oldest (or none) at the top.
  lines.sort((a, b) =>
    a.covered !== b.covered
      ? a.covered
        ? 1
        : -1
      : (a.lastVerifiedBackupAt ?? '').localeCompare(b.lastVerifiedBackupAt ?? '') || a.unit.localeCompare(b.unit),
  );
  return { maxAgeDays, units: lines };
}

function byProcedure(runs: SiteReport['procedures']['escalations']): SiteReport['procedures']['byProcedure'] {
  const counts = new Map<string, { procedureId: string; titleEn: string; titleVi: string; runs: number }>();
  for (const run of runs) {
    const slot = counts.get(run.procedureId) ?? {
      procedureId: run.procedureId,
      titleEn: run.titleEn,
      titleVi: run.titleVi,
      runs: 0,
    };
    slot.runs += 1;
    counts.set(run.procedureId, slot);
  }
  return [...counts.values()].sort((a, b) => b.runs - a.runs || a.procedureId.localeCompare(b.procedureId));
}

function startOfLocalDay(ms: number): number {
  const date = new Date(ms);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

function nextLocalDay(ms: number): number {
  const date = new Date(ms);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
}
