import { createHash } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import type { JsonValue } from '../../shared/errors/AppError';
import type { CallOutput } from '../../shared/ipc/contract';
import type { CoreHandlers } from './api/CoreApi';
import type { AuditCheckResult } from './feature';
import { parseDetails } from './history/auditChain';

/**
 * `audit verify` over the whole history: the chain and the signed runs first (the procedures feature's check), then
 * each feature that keeps content beside the chain (terminal recordings, saved log views) hashes it again and
 * compares it with its audit entry. The first problem found is the answer.
 */
export function composeAuditVerify(
  base: CoreHandlers['audit.verify'],
  checks: readonly (() => AuditCheckResult)[],
): CoreHandlers['audit.verify'] {
  return async (input, context): Promise<CallOutput<'audit.verify'>> => {
    const verified = await base(input, context);
    if (!verified.ok) {
      return verified;
    }
    let recordingsChecked = 0;
    for (const check of checks) {
      const result = check();
      recordingsChecked += result.checked;
      if (result.firstBroken !== null) {
        return {
          ...verified,
          ok: false,
          recordingsChecked,
          firstBroken: { ...result.firstBroken, runId: null },
        };
      }
    }
    return { ...verified, recordingsChecked };
  };
}

/** Content kept beside the audit chain, whose SHA-256 its audit entry names (a terminal recording, a log view). */
export type AuditedContentSpec = {
  /** The audit action of its entries, and the details key that names the content's id. */
  action: string;
  idKey: string;
  /** How a problem names it: "the recording of terminal session …". */
  describe(id: string, label: string | undefined): string;
  load(id: string): { content: string; storedSha256: string; label: string } | undefined;
  /** Ids of everything stored that should have an entry. */
  storedIds(): string[];
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function auditedDetails(
  db: BetterSqlite3.Database,
  action: string,
  seq: number,
): Record<string, JsonValue> | undefined {
  const entry = db
    .prepare<[number], { action: string; details_json: string }>(
      'SELECT action, details_json FROM audit_log WHERE seq = ?',
    )
    .get(seq);
  return entry?.action === action ? parseDetails(entry.details_json) : undefined;
}

/** Whether the stored content is still the one the audit entry at `auditSeq` names. */
export function auditedContentIntact(
  db: BetterSqlite3.Database,
  spec: AuditedContentSpec,
  id: string,
  auditSeq: number | null,
): boolean {
  const stored = spec.load(id);
  const details = auditSeq === null ? undefined : auditedDetails(db, spec.action, auditSeq);
  return (
    stored !== undefined &&
    details?.[spec.idKey] === id &&
    details.sha256 === stored.storedSha256 &&
    sha256Hex(stored.content) === stored.storedSha256
  );
}

/**
 * Every piece of content against its audit entry: hashed again and compared with the SHA-256 the entry names (which
 * the chain protects); content stored without an entry is a break too. The first problem comes with its audit row.
 */
export function verifyAuditedContent(db: BetterSqlite3.Database, spec: AuditedContentSpec): AuditCheckResult {
  const entries = db
    .prepare<[string], { seq: number; details_json: string }>(
      'SELECT seq, details_json FROM audit_log WHERE action = ? ORDER BY seq',
    )
    .all(spec.action);
  const seen = new Set<string>();
  let checked = 0;
  for (const entry of entries) {
    const details = parseDetails(entry.details_json) ?? {};
    const id = typeof details[spec.idKey] === 'string' ? (details[spec.idKey] as string) : '';
    seen.add(id);
    const stored = spec.load(id);
    if (!stored) {
      return { checked, firstBroken: { seq: entry.seq, reason: `${spec.describe(id, undefined)} has been removed` } };
    }
    if (sha256Hex(stored.content) !== details.sha256 || stored.storedSha256 !== details.sha256) {
      return {
        checked,
        firstBroken: {
          seq: entry.seq,
          reason: `${spec.describe(id, stored.label)} no longer matches the SHA-256 in audit row ${entry.seq}`,
        },
      };
    }
    checked += 1;
  }
  const unaudited = spec.storedIds().find((id) => !seen.has(id));
  if (unaudited !== undefined) {
    return {
      checked,
      firstBroken: {
        seq: entries[entries.length - 1]?.seq ?? 0,
        reason: `${spec.describe(unaudited, undefined)} has no entry in the audit log`,
      },
    };
  }
  return { checked, firstBroken: null };
}
