import { createHash } from 'node:crypto';

import type { CheckResult, DiagnosisReport } from '../../../shared/domain/health';
import { AppError } from '../../../shared/errors/AppError';
import type { FlatCheck } from './checkTree';
import type { EvidenceRow } from './statements';

/*
 * How a diagnosis is kept so that a row's size stays bounded over years of sweeps: the report JSON holds the tree
 * without evidence, each check row holds its evidence when it is short and otherwise the SHA-256 of a blob stored
 * once (a `systemctl show` or a config file that did not change is the same blob in every sweep).
 */

/** Evidence up to this many characters stays in the check's row; longer evidence is stored once by hash. */
export const INLINE_EVIDENCE_MAX = 512;

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

/** The report as its run row keeps it: the same tree with every evidence left out (the check rows hold it). */
export function reportWithoutEvidence(report: DiagnosisReport): DiagnosisReport {
  const strip = (checks: readonly CheckResult[]): CheckResult[] =>
    checks.map((check) => ({
      ...check,
      evidence: '',
      ...(check.children ? { children: strip(check.children) } : {}),
    }));
  return { ...report, checks: strip(report.checks) };
}

/** Puts each check's evidence back from its row, in the depth-first order the rows were written in. */
export function reportWithEvidence(
  report: DiagnosisReport,
  rows: readonly EvidenceRow[],
  file: string,
): DiagnosisReport {
  if (rows.length === 0) {
    // Nothing to put back (a run saved before check rows existed keeps its evidence in the report).
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
      const children = check.children ? fill(check.children) : undefined;
      return { ...check, evidence: row.evidence, ...(children ? { children } : {}) };
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
