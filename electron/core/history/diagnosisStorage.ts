import { createHash } from 'node:crypto';

import { readJson } from './readJson';
import type { CheckResult, DiagnosisReport, HealthLevel } from '../../../shared/domain/health';
import { SaidSchema } from '../../../shared/domain/said';
import { AppError } from '../../../shared/errors/AppError';
import type { FlatCheck } from './checkTree';
import type { EvidenceRow } from './statements';

/*
 * How a diagnosis is kept so that a row's size stays bounded over years of sweeps: the report JSON holds only the
 * tree's shape (ids, levels, readings), each check row holds its message and its evidence when that is short, and
 * otherwise the SHA-256 of a blob stored once (a `systemctl show` or a config file that did not change is the same
 * blob in every sweep). Reading puts the report back together from both.
 */

/** Evidence up to this many characters stays in the check's row; longer evidence is stored once by hash. */
export const INLINE_EVIDENCE_MAX = 256;

/** How much of one finding's evidence goes into the full-text index. */
const SEARCHED_EVIDENCE_MAX = 2000;

export type StoredEvidence =
  { inline: string; sha256: null } | { inline: ''; sha256: string; size: number; content: Buffer };

export function storeEvidence(evidence: string): StoredEvidence {
  if (evidence.length <= INLINE_EVIDENCE_MAX) {
    return { inline: evidence, sha256: null };
  }
  const content = Buffer.from(evidence, 'utf8');
  return { inline: '', sha256: createHash('sha256').update(content).digest('hex'), size: content.length, content };
}

/**
 * The report as its run row keeps it: the tree without messages, words, evidence and runbook (the check rows hold
 * them), and without its scope and findings (the run row's own columns).
 */
export function reportSkeleton(report: DiagnosisReport): DiagnosisReport {
  const strip = (checks: readonly CheckResult[]): CheckResult[] =>
    checks.map(({ runbook: _runbook, say: _say, children, ...check }) => ({
      ...check,
      message: '',
      evidence: '',
      ...(children ? { children: strip(children) } : {}),
    }));
  const { scope: _scope, findings: _findings, ...rest } = report;
  return { ...rest, checks: strip(report.checks) };
}

/** Puts each check's message, runbook and evidence back from its row, in the depth-first order of the rows. */
export function reportWithChecks(report: DiagnosisReport, rows: readonly EvidenceRow[], file: string): DiagnosisReport {
  if (rows.length === 0) {
    // Nothing to put back (a run saved without check rows keeps everything in its report).
    return report;
  }
  let ordinal = 0;
  const fill = (checks: readonly CheckResult[]): CheckResult[] =>
    checks.map((check) => {
      const row = rows[ordinal];
      if (!row || row.ordinal !== ordinal || row.check_id !== check.id) {
        throw new AppError('DB', `${file}: the checks of diagnosis ${report.runId} do not match its report`, {
          details: { file, runId: report.runId, ordinal },
        });
      }
      ordinal += 1;
      const { runbook: _runbook, children, ...rest } = check;
      const filled = children ? fill(children) : undefined;
      const said =
        row.say_json === null ? undefined : readJson(SaidSchema, row.say_json, file, `words of ${row.check_id}`);
      return {
        ...rest,
        message: row.message,
        ...(said === undefined ? {} : { say: said }),
        evidence: row.evidence,
        ...(row.runbook === null ? {} : { runbook: row.runbook }),
        ...(filled ? { children: filled } : {}),
      };
    });
  return { ...report, checks: fill(report.checks) };
}

/** What a word search finds a diagnosis by: every finding (a check not OK), its message and its evidence. */
export function diagnosisSearchText(flat: readonly FlatCheck[]): string {
  return flat
    .filter(({ check }) => check.level !== 'OK')
    .map(({ check }) => `${check.id} ${check.message} ${check.evidence.slice(0, SEARCHED_EVIDENCE_MAX)}`)
    .join('\n');
}

/**
 * The checks a run found worse than the unit's previous run did: a leaf at ERROR that was not, or at WARN that was OK,
 * unknown (STALE) or absent. A parent only rolls its children up, so only leaves count; given the roots of the run's
 * findings, only those count (a consequence is folded under its cause).
 */
export function newFindings(
  flat: readonly FlatCheck[],
  previous: ReadonlyMap<string, HealthLevel>,
  roots?: ReadonlySet<string>,
): FlatCheck[] {
  return flat.filter(({ check }) => {
    if (roots ? !roots.has(check.id) : (check.children ?? []).length > 0) {
      return false;
    }
    const before = previous.get(check.id);
    if (check.level === 'ERROR') {
      return before !== 'ERROR';
    }
    return check.level === 'WARN' && (before === undefined || before === 'OK' || before === 'STALE');
  });
}
