import type { HealthLevel } from '../../../shared/domain/health';
import { AppError, type JsonValue } from '../../../shared/errors/AppError';
import { assertNever } from '../../../shared/util/assertNever';
import { parseDetails } from './auditChain';

export const AUDIT_OUTCOMES = ['ok', 'failed', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What a caller records: who did what to which unit (null for fleet-wide actions) and how it went. */
export type AuditInput = {
  actor: string;
  unit: string | null;
  action: string;
  outcome: AuditOutcome;
  details: Record<string, JsonValue>;
};

export type AuditReceipt = { seq: number; id: string; hash: string };

export type AuditRecord = AuditInput & {
  seq: number;
  id: string;
  at: string;
  prevHash: string;
  hash: string;
};

export type AuditRow = {
  seq: number;
  id: string;
  at: string;
  actor: string;
  unit: string | null;
  action: string;
  outcome: string;
  details_json: string;
  prev_hash: string;
  hash: string;
};

export function auditRecordFromRow(row: AuditRow, file: string): AuditRecord {
  const details = parseDetails(row.details_json);
  if (!isOutcome(row.outcome) || !details) {
    throw new AppError('DB', `${file}: audit entry ${row.seq} is unreadable`, { details: { file, seq: row.seq } });
  }
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    actor: row.actor,
    unit: row.unit,
    action: row.action,
    outcome: row.outcome,
    details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function isOutcome(value: string): value is AuditOutcome {
  return (AUDIT_OUTCOMES as readonly string[]).includes(value);
}

/** An action shows a health level only where its outcome means one; a refusal is neither healthy nor broken. */
export function levelForOutcome(outcome: AuditOutcome): HealthLevel | null {
  switch (outcome) {
    case 'ok':
      return 'OK';
    case 'failed':
      return 'ERROR';
    case 'refused':
      return null;
    default:
      return assertNever(outcome, 'audit outcome');
  }
}
