import { randomUUID } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import { AppError, type JsonValue } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import { ANCHOR_ACTION, auditHash, GENESIS_HASH, verifyRows, type AuditVerification } from './auditChain';
import { headMacMatches, readAuditHead, writeAuditHead } from './auditHead';
import type { AuditKey, AuditKeyring } from './auditKey';
import type { AuditInput, AuditReceipt, AuditRow } from './auditRecord';
import { canonicalJson } from './canonicalJson';

/**
 * The audit log as a keyed chain. Every row's hash is an HMAC-SHA-256 under a key kept outside the database, over the
 * previous row's hash and the row; the chain's head (row count and last hash) is also kept outside the database in a
 * head file under the same key. A new history is keyed from its first row. In a history an earlier build wrote
 * without a key, the first keyed row is an `audit.anchor` row recording how many unkeyed rows came before it and
 * their last hash: the one-time, recorded re-anchoring of an existing chain.
 *
 * What verify proves, against whom: someone who can edit the history file but does not hold the key cannot change,
 * remove, re-order or re-hash a keyed row, nor cut rows off the end while the head file is there, without verify
 * saying so. It does not prove anything against someone who holds the key (the technician's own account on a
 * workstation whose key file or keychain they can read), and a rollback of both the file and the head file to an
 * earlier copy is found only against a head printed earlier (every signed report carries one).
 */

export type ChainState = {
  chainId: string;
  keyId: string | null;
  keySource: string | null;
  keyedFrom: number | null;
  anchoredAt: string | null;
};

export type ChainSummary = {
  keyed: boolean;
  keySource: string | null;
  /** Rows an earlier build wrote without a key, before the chain was anchored. */
  legacyRows: number;
  anchoredAt: string | null;
  head: { rows: number; hash: string } | null;
  /** Rows the log has beyond the head file (a crash between the two writes): keyed, so still proven. */
  headBehind: number;
};

export type ChainVerification = AuditVerification & { chain: ChainSummary };

type StateRow = {
  chain_id: string;
  key_id: string | null;
  key_source: string | null;
  keyed_from: number | null;
  anchored_at: string | null;
};

export type KeyedAuditOptions = {
  keys: AuditKeyring;
  /** Where the head file goes; null for an in-memory history (tests) that has no folder. */
  headFile: string | null;
};

export class KeyedAuditLog {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
    private readonly options: KeyedAuditOptions,
  ) {}

  state(): ChainState {
    const row = this.db
      .prepare<[], StateRow>(
        'SELECT chain_id, key_id, key_source, keyed_from, anchored_at FROM audit_chain WHERE id = 1',
      )
      .get();
    if (!row) {
      throw new AppError('DB', 'the history has no audit_chain record');
    }
    return {
      chainId: row.chain_id,
      keyId: row.key_id,
      keySource: row.key_source,
      keyedFrom: row.keyed_from,
      anchoredAt: row.anchored_at,
    };
  }

  /**
   * Appends one row (after keying the chain if it is not keyed yet). Runs inside the caller's IMMEDIATE transaction;
   * the head file follows with syncHead once that transaction is committed. A log that no longer extends the head
   * file (rows cut off the end) is refused: appending to it would hide the cut.
   */
  write(entry: AuditInput): AuditReceipt {
    const at = this.clock.nowIso();
    const key = this.keyForWriting(entry.actor, at);
    return this.insert(entry, key, at);
  }

  /**
   * Throws what an append would throw (the key is not here, the log was cut), without writing: a call that would
   * record what it did asks first, so that nothing is done that cannot be recorded.
   */
  checkWritable(): void {
    const state = this.state();
    if (state.keyId === null) {
      this.refuseLostKeyedRows(state);
      this.options.keys.keyFor(state.chainId, null, true);
      return;
    }
    const key = this.keyOf(state);
    const problem = this.options.headFile === null ? null : this.headProblem(state, key, this.last()?.seq ?? 0);
    if (problem !== null) {
      throw new AppError('AUDIT_BROKEN', `nothing more is recorded: ${problem.reason}`, {
        details: { seq: problem.seq },
      });
    }
  }

  /**
   * Anchors an existing unkeyed chain now: the one-time, recorded migration of a history written by an earlier build.
   * False when it is keyed already, or empty (a new chain is keyed by its first row).
   */
  anchorIfNeeded(actor: string): boolean {
    if (this.state().keyId !== null || this.last() === undefined) {
      return false;
    }
    this.keyForWriting(actor, this.clock.nowIso());
    return true;
  }

  /**
   * Moves the head file up to the last committed row. Only ever forward: when the log no longer extends the head it
   * records, nothing is written and AUDIT_BROKEN says why, so a cut can never be written over.
   */
  syncHead(): void {
    const state = this.state();
    if (this.options.headFile === null || state.keyId === null || state.keyedFrom === null) {
      return;
    }
    const key = this.keyOf(state);
    const last = this.last();
    const extended = this.headProblem(state, key, last?.seq ?? 0);
    if (extended !== null) {
      throw new AppError('AUDIT_BROKEN', extended.reason, { details: { seq: extended.seq } });
    }
    this.writeHead(state, key, last);
  }

  /** The chain's head as it stands, for reports: the last row and its hash. */
  head(): { rows: number; hash: string; keyed: boolean } | null {
    const last = this.last();
    return last ? { rows: last.seq, hash: last.hash, keyed: this.state().keyId !== null } : null;
  }

  verify(): ChainVerification {
    const state = this.state();
    const rows = this.last()?.seq ?? 0;
    const summary: ChainSummary = {
      keyed: state.keyId !== null,
      keySource: state.keySource,
      legacyRows: state.keyedFrom === null ? rows : state.keyedFrom - 1,
      anchoredAt: state.anchoredAt,
      head: null,
      headBehind: 0,
    };
    if (state.keyId === null || state.keyedFrom === null) {
      return { ...this.unkeyed(rows), chain: summary };
    }
    const key = this.keyOf(state);
    if (state.keyedFrom > rows) {
      return {
        ok: false,
        checked: rows,
        firstBroken: {
          seq: state.keyedFrom,
          reason: `the chain is keyed from row ${state.keyedFrom}, but the log ends at row ${rows}`,
        },
        chain: summary,
      };
    }
    const walked = verifyRows(this.db, { key: key.key, keyId: state.keyId, keyedFrom: state.keyedFrom });
    if (!walked.ok) {
      return { ...walked, chain: summary };
    }
    const problem = this.headProblem(state, key, rows);
    if (problem !== null) {
      return { ok: false, checked: walked.checked, firstBroken: problem, chain: summary };
    }
    const head = this.options.headFile === null ? null : readAuditHead(this.options.headFile);
    const recorded = head?.kind === 'ok' ? { rows: head.head.rows, hash: head.head.head } : null;
    return {
      ...walked,
      chain: { ...summary, head: recorded, headBehind: recorded === null ? 0 : rows - recorded.rows },
    };
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────

  private last(): { seq: number; hash: string; at: string } | undefined {
    return this.db
      .prepare<[], { seq: number; hash: string; at: string }>(
        'SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1',
      )
      .get();
  }

  private keyOf(state: ChainState): AuditKey {
    if (state.keyId === null) {
      throw new AppError('AUDIT_KEY_MISSING', 'the audit chain is not keyed yet');
    }
    return this.options.keys.keyFor(state.chainId, { keyId: state.keyId, source: state.keySource ?? '' }, false);
  }

  private keyForWriting(actor: string, at: string): AuditKey {
    const state = this.state();
    if (state.keyId !== null) {
      const key = this.keyOf(state);
      const problem = this.options.headFile === null ? null : this.headProblem(state, key, this.last()?.seq ?? 0);
      if (problem !== null) {
        throw new AppError('AUDIT_BROKEN', `nothing more is recorded: ${problem.reason}`, {
          details: { seq: problem.seq },
        });
      }
      return key;
    }
    this.refuseLostKeyedRows(state);
    const key = this.options.keys.keyFor(state.chainId, null, true);
    const last = this.last();
    if (last === undefined) {
      // A new history: keyed from its very first row, with nothing before it to anchor.
      this.recordKey(key, 1, undefined, at);
      return key;
    }
    const legacy = verifyRows(this.db, null);
    const details: Record<string, JsonValue> = {
      chainId: state.chainId,
      keyId: key.id,
      keySource: key.source,
      legacyRows: last.seq,
      legacyHead: last.hash,
      legacyIntact: legacy.ok,
      ...(legacy.ok ? {} : { legacyBreak: legacy.firstBroken }),
    };
    const receipt = this.insert({ actor, unit: null, action: ANCHOR_ACTION, outcome: 'ok', details }, key, at);
    this.recordKey(key, receipt.seq, last, at);
    return key;
  }

  /**
   * Records the key and writes a head file naming the rows committed before it (none for a new chain), so that the
   * head file exists from the moment the chain is keyed; if the transaction is rolled back, it names rows that exist.
   */
  private recordKey(
    key: AuditKey,
    keyedFrom: number,
    before: { seq: number; hash: string; at: string } | undefined,
    at: string,
  ): void {
    this.db
      .prepare('UPDATE audit_chain SET key_id = ?, key_source = ?, keyed_from = ?, anchored_at = ? WHERE id = 1')
      .run(key.id, key.source, keyedFrom, at);
    this.writeHead(this.state(), key, before ?? { seq: 0, hash: GENESIS_HASH, at });
  }

  /** The head file naming `last` as the head (the time is the row's own, so writing it reads no clock). */
  private writeHead(
    state: ChainState,
    key: AuditKey,
    last: { seq: number; hash: string; at: string } | undefined,
  ): void {
    const headFile = this.options.headFile;
    if (headFile === null || state.keyId === null || state.keyedFrom === null) {
      return;
    }
    writeAuditHead(
      headFile,
      {
        format: 1,
        chainId: state.chainId,
        keyId: state.keyId,
        keyedFrom: state.keyedFrom,
        rows: last?.seq ?? 0,
        head: last?.hash ?? GENESIS_HASH,
        at: last?.at ?? '',
      },
      key.key,
    );
  }

  /**
   * A head file of this chain that the log does not extend means keyed rows were removed: an unkeyed log now is not
   * re-keyed over them. (One the log does extend is left by a keying that was rolled back.)
   */
  private refuseLostKeyedRows(state: ChainState): void {
    const headFile = this.options.headFile;
    const read = headFile === null ? null : readAuditHead(headFile);
    if (read?.kind !== 'ok' || read.head.chainId !== state.chainId) {
      return;
    }
    const atHead = read.head.rows === 0 ? GENESIS_HASH : this.hashAt(read.head.rows);
    if (atHead !== read.head.head) {
      throw new AppError(
        'AUDIT_BROKEN',
        `the head file says this audit chain was keyed with ${read.head.rows} rows, but the log no longer has them: its keyed rows were removed`,
        { details: { headFile } },
      );
    }
  }

  private hashAt(seq: number): string | undefined {
    return this.db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(seq)?.hash;
  }

  private insert(entry: AuditInput, key: AuditKey, at: string): AuditReceipt {
    const last = this.last();
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const id = randomUUID();
    const hash = auditHash(prevHash, { seq, id, at, ...entry }, key.key);
    const row: AuditRow = {
      seq,
      id,
      at,
      actor: entry.actor,
      unit: entry.unit,
      action: entry.action,
      outcome: entry.outcome,
      // Stored canonical, so what is read back is byte for byte what was hashed.
      details_json: canonicalJson(entry.details),
      prev_hash: prevHash,
      hash,
    };
    this.db
      .prepare(
        `INSERT INTO audit_log (seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash)
         VALUES (@seq, @id, @at, @actor, @unit, @action, @outcome, @details_json, @prev_hash, @hash)`,
      )
      .run(row);
    return { seq, id, hash };
  }

  private unkeyed(rows: number): AuditVerification {
    if (rows === 0) {
      return { ok: true, checked: 0 };
    }
    const legacy = verifyRows(this.db, null);
    if (!legacy.ok) {
      return legacy;
    }
    return {
      ok: false,
      checked: legacy.checked,
      firstBroken: {
        seq: rows,
        reason:
          'the log is not keyed yet: its hashes prove nothing against a rewrite until it is anchored (at the next recorded action, with its key available)',
      },
    };
  }

  /** Why the log does not extend the head file (null when it does, or when there is no head file to keep). */
  private headProblem(state: ChainState, key: AuditKey, rows: number): { seq: number; reason: string } | null {
    const headFile = this.options.headFile;
    if (headFile === null) {
      return null;
    }
    const read = readAuditHead(headFile);
    if (read.kind === 'missing') {
      return { seq: rows, reason: `the head file ${headFile} is missing: rows cut off the end cannot be ruled out` };
    }
    if (read.kind === 'unreadable') {
      return { seq: rows, reason: `the head file ${headFile} is unreadable (${read.reason})` };
    }
    const head = read.head;
    if (!headMacMatches(head, key.key) || head.chainId !== state.chainId || head.keyId !== state.keyId) {
      return { seq: rows, reason: `the head file ${headFile} was not written with this chain's key: it was altered` };
    }
    if (head.keyedFrom !== state.keyedFrom) {
      return { seq: head.keyedFrom, reason: `the head file says the chain is keyed from row ${head.keyedFrom}` };
    }
    if (head.rows > rows) {
      return {
        seq: rows + 1,
        reason: `rows cut off the end: the head file records ${head.rows} rows, the log has ${rows}`,
      };
    }
    if ((head.rows === 0 ? GENESIS_HASH : this.hashAt(head.rows)) !== head.head) {
      return { seq: head.rows, reason: `row ${head.rows} is not the head the head file records` };
    }
    return null;
  }
}
