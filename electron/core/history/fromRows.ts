import { z } from 'zod';

import {
  DiagnosisReportSchema,
  FindingSchema,
  type DiagnosisReport,
  type Finding,
} from '../../../shared/domain/health';
import { UnitAuthSchema, VehicleProfileSchema, type HistoryEntry, type Unit } from '../../../shared/domain/unit';
import { AppError } from '../../../shared/errors/AppError';
import { isOutcome, levelForOutcome } from './auditRecord';
import { readJson } from './readJson';
import type { HistoryRow, ReportRow, UnitRow } from './statements';
import { actionSummary, diagnosisSummary } from './summaries';

/*
 * Rows back into domain values. JSON columns are checked against the domain schemas here, so a damaged row
 * is a DB error that names the file and the row, never a malformed value handed on to the rest of the app.
 */

export function unitFromRow(row: UnitRow, file: string): Unit {
  const what = `unit ${row.name}`;
  return {
    name: row.name,
    host: row.host,
    port: row.port,
    user: row.user,
    auth: readJson(UnitAuthSchema, row.auth_json, file, `the sign-in of ${what}`),
    profile: readJson(VehicleProfileSchema, row.profile_json, file, `the profile of ${what}`),
    hostKey:
      row.key_algorithm !== null && row.key_fingerprint !== null && row.key_pinned_at !== null
        ? { algorithm: row.key_algorithm, fingerprint: row.key_fingerprint, pinnedAt: row.key_pinned_at }
        : null,
    createdAt: row.created_at,
    lastLevel: row.last_level,
    lastRunAt: row.last_run_at,
    ...(row.last_run_id === null ? {} : { lastRunId: row.last_run_id }),
    ...(row.last_findings_json === null
      ? {}
      : { findings: findingsFromJson(row.last_findings_json, file, `the findings of ${what}`) }),
    ...(row.bus_level !== null && row.bus_at !== null && row.bus_run_id !== null
      ? {
          bus: {
            level: row.bus_level,
            at: row.bus_at,
            runId: row.bus_run_id,
            findings:
              row.bus_findings_json === null
                ? []
                : findingsFromJson(row.bus_findings_json, file, `the bus findings of ${what}`),
          },
        }
      : {}),
  };
}

const FindingsSchema = z.array(FindingSchema);

export function findingsFromJson(json: string, file: string, what: string): Finding[] {
  return readJson(FindingsSchema, json, file, what);
}

export function reportFromRow(row: ReportRow, file: string): DiagnosisReport {
  const stored = readJson(DiagnosisReportSchema, row.report_json, file, `diagnosis ${row.id}`);
  const report: DiagnosisReport = {
    ...stored,
    // A sweep is the default and is said only of a bus diagnosis, so a sweep reads back as it was saved.
    ...(row.scope === 'bus' ? { scope: 'bus' as const } : {}),
    ...(row.findings_json === null
      ? {}
      : { findings: findingsFromJson(row.findings_json, file, `the findings of diagnosis ${row.id}`) }),
  };
  if (report.runId !== row.id) {
    throw new AppError('DB', `${file}: diagnosis ${row.id} holds the report of run ${report.runId}`, {
      details: { file, runId: row.id },
    });
  }
  return report;
}

/** `readReport` puts a stored run back together (its check rows hold the messages since migration 0009). */
export function historyEntryFromRow(
  row: HistoryRow,
  file: string,
  readReport: (row: ReportRow) => DiagnosisReport = (r) => reportFromRow(r, file),
): HistoryEntry {
  if (row.kind === 'diagnosis') {
    const report = readReport({
      id: row.id,
      report_json: row.report_json ?? '',
      scope: row.scope,
      findings_json: row.findings_json,
    });
    return {
      kind: 'diagnosis',
      id: row.id,
      at: row.at,
      unit: row.unit,
      level: report.level,
      ...diagnosisSummary(report),
      actor: null,
    };
  }
  const outcome = row.outcome ?? '';
  if (!isOutcome(outcome)) {
    throw new AppError('DB', `${file}: audit entry ${row.id} has an unknown outcome`, {
      details: { file, id: row.id },
    });
  }
  return {
    kind: 'action',
    id: row.id,
    at: row.at,
    unit: row.unit,
    level: levelForOutcome(outcome),
    summary: actionSummary(row.action ?? '', outcome),
    actor: row.actor,
  };
}
