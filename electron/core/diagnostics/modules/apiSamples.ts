import type { Said } from '../../../../shared/domain/said';
import { asMessage, said, say } from '../../../../shared/domain/words';
import { severity, judgedLevel, type CheckResult, type HealthLevel } from '../../../../shared/domain/health';
import { levelFor, type Thresholds } from '../../../../shared/domain/thresholds';
import { RUNBOOK } from '../runbook';
import {
  describeCurlFailure,
  evidenceOfRequests,
  median,
  msSaid,
  type HttpAnswer,
  type HttpOutcome,
  type HttpRequestSpec,
} from './apiCurl';

/** How many health requests make the error rate and the response time: a handful, never a flood. */
export const HEALTH_SAMPLES = 5;

/** The health requests of a chain: the first keeps its body (to read the status), the others only time. */
export function healthSampleSpecs(path: string, maxTimeS: number): HttpRequestSpec[] {
  return Array.from({ length: HEALTH_SAMPLES }, (_, i) => ({
    label: `health ${i + 1}/${HEALTH_SAMPLES}`,
    path,
    body: i === 0,
    maxTimeS,
  }));
}

export type Finding = { level: HealthLevel; text: Said; runbook?: string | undefined };

/** What a health body says, judged by the caller (the backend's and the firmware's differ). */
export type BodyJudge = (answer: HttpAnswer) => Finding;

export type SamplesVerdict = {
  check: CheckResult;
  /** False when the first request got no HTTP answer at all: nothing else on that port is worth judging. */
  reachable: boolean;
};

/**
 * Judges a handful of health requests to one API: did it answer, how fast (median against the response-time
 * thresholds) and how often it failed (against the error-rate thresholds), and what its health body says.
 */
export function judgeHealthSamples(
  id: string,
  name: Said,
  port: number,
  outcomes: readonly HttpOutcome[],
  thresholds: Thresholds,
  judgeBody: BodyJudge,
): SamplesVerdict {
  const evidence = evidenceOfRequests(outcomes);
  const first = outcomes[0];
  if (!first?.ran) {
    return {
      reachable: false,
      check: { id, level: 'STALE', ...said('api.curlUnreadable', { name }), evidence },
    };
  }
  if (first.answer.exitCode !== 0) {
    const refused = first.answer.exitCode === 7;
    return {
      reachable: false,
      check: {
        id,
        level: 'ERROR',
        ...said('api.failure', { name, failure: describeCurlFailure(first.answer) }),
        evidence,
        runbook: refused ? RUNBOOK.systemDown : RUNBOOK.apiNotResponding,
      },
    };
  }
  const sent = outcomes.flatMap((o) => (o.ran ? [o.answer] : []));
  const answered = sent.filter((a) => a.exitCode === 0);
  if (answered.every((a) => a.status === 404)) {
    return {
      reachable: true,
      check: {
        id,
        level: 'STALE',
        ...said('api.wrongPort', { name, port, path: first.answer.spec.path }),
        evidence,
      },
    };
  }
  const failed = sent.filter((a) => a.exitCode !== 0 || a.status === 0 || a.status >= 400);
  const findings = [...errorRateFindings(sent, failed, thresholds), ...responseTimeFindings(answered, thresholds)];
  if (first.answer.status >= 200 && first.answer.status < 300) {
    findings.push(judgeBody(first.answer));
  }
  const ordered = [...findings].sort((a, b) => severity(b.level) - severity(a.level));
  const level = judgedLevel(findings.map((f) => f.level));
  const okCount = sent.length - failed.length;
  const findingsSaid = { list: ordered.map((f) => f.text), by: '; ' };
  return {
    reachable: true,
    check: {
      id,
      level,
      ...(level === 'OK'
        ? said('api.answersOk', { name, port, ok: okCount, sent: sent.length, findings: findingsSaid })
        : said('api.on', { name, port, findings: findingsSaid })),
      evidence,
      runbook: ordered.find((f) => f.level === level && f.runbook !== undefined)?.runbook,
    },
  };
}

/** How often the requests failed, against the error-rate thresholds (nothing to say when none failed). */
function errorRateFindings(
  sent: readonly HttpAnswer[],
  failed: readonly HttpAnswer[],
  thresholds: Thresholds,
): Finding[] {
  if (failed.length === 0) {
    return [];
  }
  const errorRate = (failed.length / sent.length) * 100;
  const errorLevel = levelFor(errorRate, thresholds.errorRatePercent);
  const what = failed.map((a) => (a.exitCode !== 0 ? describeCurlFailure(a) : say('api.http', { status: a.status })));
  return [
    {
      level: errorLevel,
      text: say('api.failedRequests', {
        failed: failed.length,
        sent: sent.length,
        rate: Math.round(errorRate),
        what: { list: what },
      }),
      runbook: errorLevel === 'OK' ? undefined : RUNBOOK.alertActions,
    },
  ];
}

/** The median and slowest answer, the median against the response-time thresholds. */
function responseTimeFindings(answered: readonly HttpAnswer[], thresholds: Thresholds): Finding[] {
  const times = answered.filter((a) => a.status < 400 && a.timeMs !== null).map((a) => a.timeMs ?? 0);
  const mid = median(times);
  if (mid === null || times.length === 0) {
    return [];
  }
  const timeLevel = levelFor(mid, thresholds.responseTimeMs);
  const timesSaid = { median: msSaid(mid), slowest: msSaid(Math.max(...times)) };
  return [
    {
      level: timeLevel,
      text:
        timeLevel === 'OK'
          ? say('api.fast', timesSaid)
          : say('api.slow', {
              ...timesSaid,
              warning: thresholds.responseTimeMs.warning,
              critical: thresholds.responseTimeMs.critical,
            }),
      runbook: timeLevel === 'OK' ? undefined : RUNBOOK.apiNotResponding,
    },
  ];
}

/** A finding as a child check. */
export function findingCheck(id: string, finding: Finding, evidence: string): CheckResult {
  return { id, level: finding.level, ...asMessage(finding.text), evidence, runbook: finding.runbook };
}

/** The message of a check as it stands (its words, or its stored English). */
export function messageOf(check: Pick<CheckResult, 'message' | 'say'>): { message: string; say?: Said | undefined } {
  return { message: check.message, say: check.say };
}

/** The parent of some children: their worst level, and the worst child's message unless all is well. */
export function parentCheck(
  id: string,
  ok: Pick<CheckResult, 'message' | 'say'>,
  children: CheckResult[],
): CheckResult {
  const level = judgedLevel(children.map((c) => c.level));
  const worst = children.find((c) => c.level === level);
  return {
    id,
    level,
    ...messageOf(level === 'OK' || !worst ? ok : worst),
    evidence: worst?.evidence ?? '',
    runbook: level === 'OK' ? undefined : worst?.runbook,
    children,
  };
}
