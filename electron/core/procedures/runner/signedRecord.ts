import type BetterSqlite3 from 'better-sqlite3';

import type { JsonValue } from '../../../../shared/errors/AppError';
import type { AuditVerificationView } from '../../../../shared/ipc/contracts/procedureRuns';
import { parseDetails } from '../../history/auditChain';
import type { ChainSummary, ChainVerification } from '../../history/KeyedAuditLog';
import type { AuditRow } from '../../history/auditRecord';
import { canonicalJson } from '../../history/canonicalJson';
import { RunStore, runLifecycle, sha256Hex, type StoredRun } from './runStore';

/** The audit action of a sign-off; its details carry the record's hash and one hash per step attempt. */
export const SIGNED_ACTION = 'procedure.run.signed';

export type SignedRecord = { [key: string]: JsonValue };

/**
 * The record a technician signs, built only from the run's stored rows (and the sign-off's own fields), so that it
 * can be rebuilt later and compared: items and answers, every step attempt with its outcome and gates, the SHA-256 of
 * every note and attachment, the time, the units, the procedure id and version (and the hash of the exact procedure
 * followed), and the app version.
 */
export function buildSignedRecord(
  stored: StoredRun,
  signature: { signedBy: string; signedAt: string; appVersion: string },
): { record: SignedRecord; recordHash: string; stepHashes: Record<string, string> } {
  const { run } = stored;
  const steps = stored.steps.map((step) => {
    const evidence = stored.evidence
      .filter((e) => e.seq === step.seq)
      .map((e) => ({
        kind: e.kind,
        name: e.name,
        mediaType: e.media_type,
        sha256: e.sha256,
        size: e.size,
        addedBy: e.added_by,
        addedAt: e.added_at,
      }));
    return {
      seq: step.seq,
      stepId: step.step_id,
      unit: step.unit,
      status: step.status,
      actor: step.actor,
      startedAt: step.started_at,
      endedAt: step.ended_at,
      outcome: JSON.parse(step.result_json) as JsonValue,
      evidence,
    };
  });
  const checklist = steps.flatMap((step) => {
    const outcome = step.outcome as { items?: { id: string; answer: string; note: string | null }[] };
    return (outcome.items ?? []).map((item) => ({
      stepId: step.stepId,
      item: item.id,
      answer: item.answer,
      note: item.note,
    }));
  });
  const record: SignedRecord = {
    format: 'ohtw.procedure-run-record/1',
    runId: run.id,
    procedure: { id: run.procedure_id, version: Number(run.procedure_version) },
    procedureSha256: sha256Hex(run.procedure_json),
    params: JSON.parse(run.params_json) as JsonValue,
    units: stored.units,
    ...runLifecycle(run),
    checklist,
    steps,
    signedBy: signature.signedBy,
    signedAt: signature.signedAt,
    appVersion: signature.appVersion,
  };
  const stepHashes = Object.fromEntries(steps.map((s) => [String(s.seq), sha256Hex(canonicalJson(s))]));
  return { record, recordHash: sha256Hex(canonicalJson(record)), stepHashes };
}

/**
 * The whole history's integrity: the audit hash chain first (a changed, removed or re-linked row), then every signed
 * run against its sign-off entry (its rows rebuilt into the record and hashed again; the stored evidence hashed
 * again). The first problem found is reported with the audit row it concerns.
 */
export function verifyHistory(db: BetterSqlite3.Database, chainResult: ChainVerification): AuditVerificationView {
  const { chain: summary, ...chain } = chainResult;
  const view = verificationView(summary);
  if (!chain.ok) {
    return {
      ok: false,
      checked: chain.checked,
      signedRunsChecked: 0,
      firstBroken: { ...chain.firstBroken, runId: null },
      chain: view,
    };
  }
  const store = new RunStore(db);
  const signOffs = db
    .prepare<[string], AuditRow>(
      `SELECT seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash
       FROM audit_log WHERE action = ? ORDER BY seq`,
    )
    .all(SIGNED_ACTION);
  let signedRunsChecked = 0;
  const seen = new Set<string>();
  for (const row of signOffs) {
    const problem = checkSignOff(store, row);
    if (problem) {
      return {
        ok: false,
        checked: chain.checked,
        signedRunsChecked,
        firstBroken: { seq: row.seq, ...problem },
        chain: view,
      };
    }
    const runId = parseDetails(row.details_json)?.runId;
    if (typeof runId === 'string') {
      seen.add(runId);
    }
    signedRunsChecked += 1;
  }
  // A run marked signed without a sign-off in the chain was signed outside the workstation.
  const orphan = db
    .prepare<[], { id: string }>('SELECT id FROM procedure_runs WHERE signed_at IS NOT NULL ORDER BY started_at')
    .all()
    .find((r) => !seen.has(r.id));
  if (orphan) {
    return {
      ok: false,
      checked: chain.checked,
      signedRunsChecked,
      firstBroken: {
        seq: chain.checked,
        reason: `run ${orphan.id} is marked signed but no sign-off for it is in the audit log`,
        runId: orphan.id,
      },
      chain: view,
    };
  }
  return { ok: true, checked: chain.checked, signedRunsChecked, firstBroken: null, chain: view };
}

function verificationView(summary: ChainSummary): AuditVerificationView['chain'] {
  return {
    keyed: summary.keyed,
    keySource: summary.keySource,
    legacyRows: summary.legacyRows,
    anchoredAt: summary.anchoredAt,
    head: summary.head,
    headBehind: summary.headBehind,
  };
}

function checkSignOff(store: RunStore, row: AuditRow): { reason: string; runId: string | null } | undefined {
  const details = parseDetails(row.details_json) ?? {};
  const runId = typeof details.runId === 'string' ? details.runId : null;
  const signedHash = details.recordHash;
  if (runId === null || typeof signedHash !== 'string' || typeof details.appVersion !== 'string') {
    return { reason: `sign-off row ${row.seq} does not name a run and its record hash`, runId };
  }
  const stored = store.get(runId);
  if (!stored) {
    return { reason: `signed run ${runId} (audit row ${row.seq}) has been removed from the history`, runId };
  }
  const { run } = stored;
  if (run.signed_at === null || run.signed_by === null) {
    return { reason: `signed run ${runId} (audit row ${row.seq}) is no longer marked signed`, runId };
  }
  for (const item of stored.evidence) {
    const content = store.blob(item.sha256);
    if (!content || sha256Hex(content) !== item.sha256) {
      return {
        reason: `signed run ${runId}: the evidence "${item.name}" of step attempt ${item.seq} no longer matches its SHA-256`,
        runId,
      };
    }
  }
  const rebuilt = buildSignedRecord(stored, {
    signedBy: run.signed_by,
    signedAt: run.signed_at,
    appVersion: details.appVersion,
  });
  if (rebuilt.recordHash === signedHash && run.record_hash === signedHash) {
    return undefined;
  }
  const signedSteps = (typeof details.stepHashes === 'object' && details.stepHashes) || {};
  const changedStep = Object.entries(rebuilt.stepHashes).find(
    ([seq, hash]) => (signedSteps as Record<string, JsonValue>)[seq] !== hash,
  );
  const missingStep = Object.keys(signedSteps).find((seq) => !(seq in rebuilt.stepHashes));
  const where = changedStep
    ? `step attempt ${changedStep[0]} (${stored.steps.find((s) => String(s.seq) === changedStep[0])?.step_id ?? '?'}) differs`
    : missingStep
      ? `step attempt ${missingStep} is missing`
      : 'the run row differs';
  return {
    reason: `signed run ${runId} no longer matches the record signed in audit row ${row.seq}: ${where}`,
    runId,
  };
}
