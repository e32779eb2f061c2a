import type BetterSqlite3 from 'better-sqlite3';

import { FindingSchema, HEALTH_LEVELS, severity, type Finding, type HealthLevel } from '../../../shared/domain/health';
import type { LogbookEntry, LogbookFact, LogbookFacts } from '../../../shared/domain/logbook';
import { kindOfCode, OTHER_KIND } from '../../../shared/domain/logbookKinds';
import type { LogbookRow } from './logbookQuery';

/*
 * A logbook row is an index entry; its facts (what its words and its detail view say) are read from the row it
 * points at: the audit row's details, the diagnosis's findings, the step attempt, the note. A page reads at most a
 * few rows per entry by primary key, and a procedure's title once per run.
 */

const NOTE_FACT_MAX = 500;
const DETAIL_TEXT_MAX = 4000;

type CheckFactRow = {
  ordinal: number;
  check_id: string;
  parent_id: string | null;
  level: HealthLevel;
  message: string;
};
type ProcedureInfo = {
  procedureId: string;
  titleEn: string;
  titleVi: string;
  steps: Map<string, { en: string; vi: string }>;
};

export type Detail = { label: string; text: string };

export class LogbookFactReader {
  private readonly audit: BetterSqlite3.Statement<[number], { details_json: string }>;
  private readonly teamAudit: BetterSqlite3.Statement<[string, number], { details_json: string }>;
  private readonly teamRun: BetterSqlite3.Statement<[string], { procedure_id: string; procedure_json: string }>;
  private readonly devices = new Map<string, string>();
  private readonly deviceLabel: BetterSqlite3.Statement<[string], string>;
  private readonly checks: BetterSqlite3.Statement<[string], CheckFactRow>;
  private readonly checkCount: BetterSqlite3.Statement<[string], number>;
  private readonly check: BetterSqlite3.Statement<
    [string, number],
    { check_id: string; message: string; runbook: string | null; evidence: string; say_json: string | null }
  >;
  private readonly runFindings: BetterSqlite3.Statement<[string], string | null>;
  private readonly step: BetterSqlite3.Statement<[string, number], { step_id: string; result_json: string }>;
  private readonly evidence: BetterSqlite3.Statement<
    [string, number, number],
    { kind: string; name: string; media_type: string; sha256: string; size: number; text: string | null }
  >;
  private readonly procedure: BetterSqlite3.Statement<[string], { procedure_id: string; procedure_json: string }>;

  constructor(db: BetterSqlite3.Database) {
    this.audit = db.prepare('SELECT details_json FROM audit_log WHERE seq = ?');
    // A colleague's row, pulled from the team: its details and its run are kept beside this laptop's own.
    this.teamAudit = db.prepare('SELECT details_json FROM team_audit WHERE device_id = ? AND seq = ?');
    this.teamRun = db.prepare(
      `SELECT json_extract(body_json, '$.procedure.id') AS procedure_id,
              json_extract(body_json, '$.procedure.json') AS procedure_json
       FROM team_records WHERE entity = 'run' AND id = ?`,
    );
    this.deviceLabel = db.prepare<[string], string>('SELECT label FROM team_devices WHERE device_id = ?').pluck();
    this.checks = db.prepare(
      'SELECT ordinal, check_id, parent_id, level, message FROM check_results WHERE run_id = ? ORDER BY ordinal',
    );
    this.runFindings = db
      .prepare<[string], string | null>('SELECT findings_json FROM diagnostic_runs WHERE id = ?')
      .pluck();
    this.checkCount = db.prepare<[string], number>('SELECT count(*) FROM check_results WHERE run_id = ?').pluck();
    this.check = db.prepare(
      `SELECT c.check_id, c.message, c.runbook, c.say_json,
              CASE WHEN c.evidence_sha256 IS NULL THEN c.evidence ELSE CAST(b.content AS TEXT) END AS evidence
       FROM check_results c LEFT JOIN evidence_blobs b ON b.sha256 = c.evidence_sha256
       WHERE c.run_id = ? AND c.ordinal = ?`,
    );
    this.step = db.prepare('SELECT step_id, result_json FROM procedure_step_results WHERE run_id = ? AND seq = ?');
    this.evidence = db.prepare(
      `SELECT e.kind, e.name, e.media_type, e.sha256, e.size,
              CASE e.kind WHEN 'note' THEN CAST(b.content AS TEXT) END AS text
       FROM procedure_evidence e LEFT JOIN evidence_blobs b ON b.sha256 = e.sha256
       WHERE e.run_id = ? AND e.seq = ? AND e.ordinal = ?`,
    );
    this.procedure = db.prepare('SELECT procedure_id, procedure_json FROM procedure_runs WHERE id = ?');
  }

  /** The rows of one page as entries; procedure titles are read once per run for the whole page. */
  entries(rows: readonly LogbookRow[]): LogbookEntry[] {
    const procedures = new Map<string, ProcedureInfo | null>();
    return rows.map((row) => this.entry(row, procedures));
  }

  entry(row: LogbookRow, procedures = new Map<string, ProcedureInfo | null>()): LogbookEntry {
    const facts = this.facts(row);
    const runId =
      row.source === 'audit'
        ? stringFact(facts.runId)
        : row.source === 'step' || row.source === 'evidence'
          ? row.ref
          : null;
    if (runId) {
      const info = this.procedureInfo(runId, procedures);
      if (info) {
        facts.procedureId = info.procedureId;
        facts.titleEn = info.titleEn;
        facts.titleVi = info.titleVi;
        const stepId = stringFact(facts.stepId);
        const step = stepId ? info.steps.get(stepId) : undefined;
        if (step) {
          facts.stepTitleEn = step.en;
          facts.stepTitleVi = step.vi;
        }
      }
    }
    return {
      id: String(row.id),
      at: new Date(row.at_ms).toISOString(),
      unit: row.unit,
      kind: kindOfCode(row.code)?.id ?? OTHER_KIND,
      code: row.code,
      outcome: row.outcome,
      level: isLevel(row.level) ? row.level : null,
      actor: row.actor,
      ref: row.ref,
      facts,
      device: row.device_id === null ? null : { id: row.device_id, label: this.labelOf(row.device_id) },
    };
  }

  /** A colleague's laptop by the name it joined the team with (its id until its name was pulled). */
  private labelOf(deviceId: string): string {
    let label = this.devices.get(deviceId);
    if (label === undefined) {
      label = this.deviceLabel.get(deviceId) ?? deviceId;
      this.devices.set(deviceId, label);
    }
    return label;
  }

  /** What the detail view shows beyond the words. */
  details(row: LogbookRow): Detail[] {
    switch (row.source) {
      case 'diagnosis':
        return leaves(this.checks.all(row.source_key))
          .filter((c) => c.level !== 'OK')
          .map((c) => {
            const full = this.check.get(row.source_key, c.ordinal);
            return {
              label: `${c.check_id} · ${c.level}`,
              text: clip(`${c.message}\n\n${full?.evidence ?? ''}`.trim()),
            };
          });
      case 'finding': {
        const [runId, ordinal] = splitKey(row.source_key);
        const check = this.check.get(runId, Number(ordinal));
        return check
          ? [
              { label: check.check_id, text: check.message },
              ...(check.runbook ? [{ label: 'runbook', text: check.runbook }] : []),
              { label: 'evidence', text: clip(check.evidence) },
            ]
          : [];
      }
      case 'audit': {
        const details = this.auditDetails(row);
        return Object.entries(details).map(([label, value]) => ({
          label,
          text: clip(typeof value === 'string' ? value : JSON.stringify(value, null, 1)),
        }));
      }
      case 'step': {
        const [runId, seq] = splitKey(row.source_key);
        const step = this.step.get(runId, Number(seq));
        const outcome = step
          ? (JSON.parse(step.result_json) as { message?: string; output?: string; items?: unknown })
          : {};
        return [
          { label: 'message', text: outcome.message ?? '' },
          ...(outcome.output ? [{ label: 'output', text: clip(outcome.output) }] : []),
          ...(Array.isArray(outcome.items) && outcome.items.length > 0
            ? [
                {
                  label: 'items',
                  text: (outcome.items as { id: string; answer: string; note: string | null }[])
                    .map((i) => `${i.id}: ${i.answer}${i.note ? ` (${i.note})` : ''}`)
                    .join('\n'),
                },
              ]
            : []),
        ];
      }
      case 'evidence': {
        const [runId, seq, ordinal] = splitKey(row.source_key);
        const item = this.evidence.get(runId, Number(seq), Number(ordinal));
        return item
          ? [
              { label: item.kind, text: item.text ?? `${item.name} (${item.media_type}, ${item.size} bytes)` },
              { label: 'sha256', text: item.sha256 },
            ]
          : [];
      }
    }
  }

  private facts(row: LogbookRow): LogbookFacts {
    switch (row.source) {
      case 'diagnosis':
        return row.level === 'OK'
          ? // Nothing to name: the count reads the run's primary-key index alone.
            { checks: Number(this.checkCount.get(row.source_key)), findings: 0, first: null, firstMessage: null }
          : this.diagnosisFacts(row.source_key);
      case 'finding': {
        const [runId, ordinal] = splitKey(row.source_key);
        const check = this.check.get(runId, Number(ordinal));
        return {
          checkId: row.subject ?? check?.check_id ?? null,
          message: check?.message ?? '',
          // The message as words (JSON), for the reader's language.
          say: check?.say_json ?? null,
          runbook: check?.runbook ?? null,
        };
      }
      case 'audit': {
        const facts = scalarFacts(this.auditDetails(row));
        if (row.code.startsWith('restore.')) {
          facts.phase = row.code.slice('restore.'.length);
        }
        return facts;
      }
      case 'step': {
        const [runId, seq] = splitKey(row.source_key);
        const step = this.step.get(runId, Number(seq));
        const outcome = step ? (JSON.parse(step.result_json) as { message?: unknown; say?: unknown }) : {};
        return {
          stepId: step?.step_id ?? null,
          message: typeof outcome.message === 'string' ? outcome.message : '',
          // The message as words (JSON), for the reader's language.
          say: outcome.say === undefined ? null : JSON.stringify(outcome.say),
        };
      }
      case 'evidence': {
        const [runId, seq, ordinal] = splitKey(row.source_key);
        const item = this.evidence.get(runId, Number(seq), Number(ordinal));
        const step = this.step.get(runId, Number(seq));
        return {
          stepId: step?.step_id ?? null,
          name: item?.name ?? null,
          text: item?.text ? item.text.slice(0, NOTE_FACT_MAX) : null,
        };
      }
    }
  }

  private diagnosisFacts(runId: string): LogbookFacts {
    const checks = this.checks.all(runId);
    const judged = readFindings(this.runFindings.get(runId) ?? null);
    if (judged) {
      // Cause before consequence: the findings as the diagnosis judged them, the worst first.
      const [top] = judged;
      return {
        checks: checks.length,
        findings: judged.length,
        first: top?.root ?? null,
        firstMessage: top?.message ?? null,
        firstSay: top?.say ? JSON.stringify(top.say) : null,
      };
    }
    const findings = leaves(checks).filter((c) => c.level === 'WARN' || c.level === 'ERROR');
    const worst = findings.reduce<CheckFactRow | undefined>(
      (best, c) => (!best || severity(c.level) > severity(best.level) ? c : best),
      undefined,
    );
    return {
      checks: checks.length,
      findings: findings.length,
      first: worst?.check_id ?? null,
      firstMessage: worst?.message ?? null,
    };
  }

  private auditDetails(row: LogbookRow): Record<string, unknown> {
    const found =
      row.device_id === null
        ? this.audit.get(Number(row.source_key))
        : this.teamAudit.get(row.device_id, Number(row.source_key.slice(row.device_id.length + 1)));
    try {
      const value = found ? (JSON.parse(found.details_json) as unknown) : {};
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }

  private procedureInfo(runId: string, cache: Map<string, ProcedureInfo | null>): ProcedureInfo | null {
    if (cache.has(runId)) {
      return cache.get(runId) ?? null;
    }
    const row = this.procedure.get(runId) ?? this.teamRun.get(runId);
    let info: ProcedureInfo | null = null;
    if (row) {
      try {
        const procedure = JSON.parse(row.procedure_json) as {
          title?: { en?: string; vi?: string };
          steps?: { id?: string; title?: { en?: string; vi?: string } }[];
        };
        const steps = new Map<string, { en: string; vi: string }>();
        for (const step of procedure.steps ?? []) {
          if (step.id) {
            steps.set(step.id, { en: step.title?.en ?? step.id, vi: step.title?.vi ?? step.title?.en ?? step.id });
          }
        }
        info = {
          procedureId: row.procedure_id,
          titleEn: procedure.title?.en ?? row.procedure_id,
          titleVi: procedure.title?.vi ?? procedure.title?.en ?? row.procedure_id,
          steps,
        };
      } catch {
        info = {
          procedureId: row.procedure_id,
          titleEn: row.procedure_id,
          titleVi: row.procedure_id,
          steps: new Map(),
        };
      }
    }
    cache.set(runId, info);
    return info;
  }
}

/** The checks no other check of the run names as its parent: a parent only rolls its children up. */
function leaves(checks: readonly CheckFactRow[]): CheckFactRow[] {
  const parents = new Set(checks.map((c) => c.parent_id));
  return checks.filter((c) => !parents.has(c.check_id));
}

/** Scalars as they are; a list of scalars joined; objects left to the detail view. */
function scalarFacts(details: Record<string, unknown>): LogbookFacts {
  const facts: LogbookFacts = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      facts[key] = value;
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
      facts[key] = value.join(', ');
    }
  }
  return facts;
}

function stringFact(value: LogbookFact | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function splitKey(key: string): [string, string, string] {
  // Run ids are UUIDs (no colon); the parts after them are numbers.
  const parts = key.split(':');
  return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
}

function isLevel(value: string | null): value is HealthLevel {
  return value !== null && (HEALTH_LEVELS as readonly string[]).includes(value);
}

function clip(text: string): string {
  return text.length > DETAIL_TEXT_MAX
    ? `${text.slice(0, DETAIL_TEXT_MAX)}… (${text.length - DETAIL_TEXT_MAX} more characters)`
    : text;
}

/** A run's findings as saved; null for a run saved before they were judged, or when they do not read. */
function readFindings(json: string | null): Finding[] | null {
  if (json === null) {
    return null;
  }
  try {
    const parsed = FindingSchema.array().safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
