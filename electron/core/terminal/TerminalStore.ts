import { gunzipSync, gzipSync } from 'node:zlib';

import type BetterSqlite3 from 'better-sqlite3';

import type { TerminalSession } from '../../../shared/domain/terminal';

export type SessionRow = {
  id: string;
  unit: string;
  actor: string;
  face: string;
  interactive: number;
  cols: number;
  rows: number;
  run_id: string | null;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  end_reason: string | null;
  exit_code: number | null;
  cast_bytes: number | null;
  cast_sha256: string | null;
  audit_seq: number | null;
};

export type NewSession = {
  id: string;
  unit: string;
  actor: string;
  face: string;
  interactive: boolean;
  cols: number;
  rows: number;
  runId: string | null;
  startedAt: string;
};

export type EndedSession = {
  endedAt: string;
  durationMs: number;
  endReason: string;
  exitCode: number | null;
  cast: string;
  sha256: string;
  bytes: number;
};

const COLUMNS = `id, unit, actor, face, interactive, cols, rows, run_id, started_at, ended_at, duration_ms, end_reason,
  exit_code, cast_bytes, cast_sha256, audit_seq`;

/** The terminal sessions table of the fleet history (migration 10). */
export class TerminalStore {
  constructor(private readonly db: BetterSqlite3.Database) {}

  begin(session: NewSession): void {
    this.db
      .prepare(
        `INSERT INTO terminal_sessions (id, unit, actor, face, interactive, cols, rows, run_id, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        session.id,
        session.unit,
        session.actor,
        session.face,
        session.interactive ? 1 : 0,
        session.cols,
        session.rows,
        session.runId,
        session.startedAt,
      );
  }

  end(id: string, ended: EndedSession): void {
    this.db
      .prepare(
        `UPDATE terminal_sessions SET ended_at = ?, duration_ms = ?, end_reason = ?, exit_code = ?, cast_gzip = ?,
           cast_bytes = ?, cast_sha256 = ? WHERE id = ?`,
      )
      .run(
        ended.endedAt,
        ended.durationMs,
        ended.endReason,
        ended.exitCode,
        gzipSync(Buffer.from(ended.cast, 'utf8')),
        ended.bytes,
        ended.sha256,
        id,
      );
  }

  setAuditSeq(id: string, seq: number): void {
    this.db.prepare('UPDATE terminal_sessions SET audit_seq = ? WHERE id = ?').run(seq, id);
  }

  get(id: string): SessionRow | undefined {
    return this.db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM terminal_sessions WHERE id = ?`).get(id);
  }

  /** The recording as stored, or undefined when the session has none (still open, or never saved). */
  cast(id: string): string | undefined {
    const row = this.db
      .prepare<[string], { cast_gzip: Buffer | null }>('SELECT cast_gzip FROM terminal_sessions WHERE id = ?')
      .get(id);
    return row?.cast_gzip ? gunzipSync(row.cast_gzip).toString('utf8') : undefined;
  }

  byUnit(unit: string, limit: number): SessionRow[] {
    return this.db
      .prepare<[string, number], SessionRow>(
        `SELECT ${COLUMNS} FROM terminal_sessions WHERE unit = ? ORDER BY started_at DESC, id LIMIT ?`,
      )
      .all(unit, limit);
  }

  byRun(runId: string, limit: number): SessionRow[] {
    return this.db
      .prepare<[string, number], SessionRow>(
        `SELECT ${COLUMNS} FROM terminal_sessions WHERE run_id = ? ORDER BY started_at DESC, id LIMIT ?`,
      )
      .all(runId, limit);
  }
}

export function sessionView(row: SessionRow): TerminalSession {
  return {
    id: row.id,
    unit: row.unit,
    actor: row.actor,
    face: row.face,
    interactive: row.interactive === 1,
    cols: row.cols,
    rows: row.rows,
    runId: row.run_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    endReason: row.end_reason,
    exitCode: row.exit_code,
    sha256: row.cast_sha256,
    bytes: row.cast_bytes,
    auditSeq: row.audit_seq,
  };
}
