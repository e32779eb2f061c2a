import type BetterSqlite3 from 'better-sqlite3';

import type { LogView } from '../../../shared/domain/unitLogs';
import { auditedContentIntact, verifyAuditedContent, type AuditedContentSpec } from '../auditChecks';
import type { AuditCheckResult } from '../feature';

export const LOG_VIEW_ACTION = 'logs.view';

type ViewRow = {
  id: string;
  unit: string;
  actor: string;
  saved_at: string;
  run_id: string | null;
  filter_json: string;
  lines: number;
  sha256: string;
  audit_seq: number | null;
};

const COLUMNS = 'id, unit, actor, saved_at, run_id, filter_json, lines, sha256, audit_seq';

/** Log views kept as evidence (migration 10), each with the SHA-256 its audit entry names. */
export class LogViewStore {
  constructor(private readonly db: BetterSqlite3.Database) {}

  insert(view: LogView, content: string): void {
    this.db
      .prepare(
        `INSERT INTO log_views (id, unit, actor, saved_at, run_id, filter_json, lines, content, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        view.id,
        view.unit,
        view.actor,
        view.savedAt,
        view.runId,
        JSON.stringify(view.filter),
        view.lines,
        content,
        view.sha256,
      );
  }

  setAuditSeq(id: string, seq: number): void {
    this.db.prepare('UPDATE log_views SET audit_seq = ? WHERE id = ?').run(seq, id);
  }

  get(id: string): { view: LogView; content: string; auditSeq: number | null } | undefined {
    const row = this.db
      .prepare<[string], ViewRow & { content: string }>(`SELECT ${COLUMNS}, content FROM log_views WHERE id = ?`)
      .get(id);
    return row ? { view: viewOf(row), content: row.content, auditSeq: row.audit_seq } : undefined;
  }

  list(by: { unit: string } | { runId: string }, limit = 200): LogView[] {
    const rows =
      'unit' in by
        ? this.db
            .prepare<[string, number], ViewRow>(
              `SELECT ${COLUMNS} FROM log_views WHERE unit = ? ORDER BY saved_at DESC, id LIMIT ?`,
            )
            .all(by.unit, limit)
        : this.db
            .prepare<[string, number], ViewRow>(
              `SELECT ${COLUMNS} FROM log_views WHERE run_id = ? ORDER BY saved_at DESC, id LIMIT ?`,
            )
            .all(by.runId, limit);
    return rows.map(viewOf);
  }

  /** The audit check's view of the saved views: each one's text and the SHA-256 stored beside it. */
  auditSpec(): AuditedContentSpec {
    return {
      action: LOG_VIEW_ACTION,
      idKey: 'viewId',
      describe: (id, label) => `the saved log view ${id}${label === undefined ? '' : ` (${label})`}`,
      load: (id) => {
        const found = this.get(id);
        return found
          ? {
              content: found.content,
              storedSha256: found.view.sha256,
              label: `${found.view.unit}, ${found.view.savedAt}`,
            }
          : undefined;
      },
      storedIds: () => this.db.prepare<[], string>('SELECT id FROM log_views ORDER BY saved_at').pluck().all(),
    };
  }

  intact(id: string): boolean {
    return auditedContentIntact(this.db, this.auditSpec(), id, this.get(id)?.auditSeq ?? null);
  }

  verify(): AuditCheckResult {
    return verifyAuditedContent(this.db, this.auditSpec());
  }
}

function viewOf(row: ViewRow): LogView {
  return {
    id: row.id,
    unit: row.unit,
    actor: row.actor,
    savedAt: row.saved_at,
    runId: row.run_id,
    lines: row.lines,
    sha256: row.sha256,
    filter: JSON.parse(row.filter_json) as Record<string, unknown>,
  };
}
