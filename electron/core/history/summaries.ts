import { rollUp, severity, judgedLevel, type CheckResult, type DiagnosisReport } from '../../../shared/domain/health';
import type { Said } from '../../../shared/domain/said';
import { say } from '../../../shared/domain/words';
import type { AuditOutcome } from './auditRecord';

const MAX_DETAIL = 120;

/**
 * One line for the history list that names the worst check and what is wrong with it,
 * e.g. "services.firmware: ERROR — oht50-firmware has failed (+1 more)", or "OK: 3 checks passed"; in English, and
 * as words each face says in its reader's language (the face cuts them to a row as the English is cut here).
 */
export function diagnosisSummary(report: DiagnosisReport): { summary: string; say: Said } {
  const checks = report.checks.map(rollUp);
  const level = judgedLevel(checks.map((check) => check.level));
  const worst = checks.filter((check) => check.level === level);
  const first = worst[0];
  if (!first) {
    return { summary: `${report.level}: no checks`, say: say('history.noChecks', { level: report.level }) };
  }
  if (level === 'OK') {
    const count = countChecks(checks);
    return {
      summary: `OK: ${count} ${count === 1 ? 'check' : 'checks'} passed`,
      say: say('history.allPassed', { count }),
    };
  }
  const more = worst.length > 1 ? ` (+${worst.length - 1} more)` : '';
  const leaf = worstLeaf(first);
  return {
    summary: `${first.id}: ${level} — ${clip(leaf.message)}${more}`,
    say: say('history.worst', {
      check: first.id,
      level,
      message: leaf.say ?? { raw: leaf.message },
      more: worst.length > 1 ? say('history.more', { count: worst.length - 1 }) : '',
    }),
  };
}

export function actionSummary(action: string, outcome: AuditOutcome): string {
  return `${action}: ${outcome}`;
}

/** Follows the worst child down, so that a parent which only rolls its children up is explained by the child. */
function worstLeaf(check: CheckResult): CheckResult {
  let worst: CheckResult | undefined;
  for (const child of check.children ?? []) {
    if (!worst || severity(child.level) > severity(worst.level)) {
      worst = child;
    }
  }
  return worst && worst.level === check.level ? worstLeaf(worst) : check;
}

function countChecks(checks: readonly CheckResult[]): number {
  return checks.reduce((sum, check) => sum + 1 + countChecks(check.children ?? []), 0);
}

/** The first line, cut to fit a list row. */
function clip(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}
