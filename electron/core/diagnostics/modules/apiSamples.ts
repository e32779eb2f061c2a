import { severity, judgedLevel, type CheckResult, type HealthLevel } from '../../../../shared/domain/health';
import { levelFor, type Thresholds } from '../../../../shared/domain/thresholds';
import { RUNBOOK } from '../runbook';
import {
  describeCurlFailure,
  evidenceOfRequests,
  formatMs,
  median,
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

export type Finding = { level: HealthLevel; text: string; runbook?: string | undefined };

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
  name: string,
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
      check: { id, level: 'STALE', message: `${name}: the answer to curl could not be read`, evidence },
    };
  }
  if (first.answer.exitCode !== 0) {
    const refused = first.answer.exitCode === 7;
    return {
      reachable: false,
      check: {
        id,
        level: 'ERROR',
        message: `${name}: ${describeCurlFailure(first.answer)}`,
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
        message: `${name}: :${port} answers but has no ${first.answer.spec.path} (HTTP 404): is this the right port?`,
        evidence,
      },
    };
  }
  const failed = sent.filter((a) => a.exitCode !== 0 || a.status === 0 || a.status >= 400);
  const errorRate = (failed.length / sent.length) * 100;
  const times = answered.filter((a) => a.status < 400 && a.timeMs !== null).map((a) => a.timeMs ?? 0);
  const mid = median(times);
  const slowest = times.length > 0 ? Math.max(...times) : null;

  const findings: Finding[] = [];
  const errorLevel = levelFor(errorRate, thresholds.errorRatePercent);
  if (failed.length > 0) {
    const what = failed.map((a) => (a.exitCode !== 0 ? describeCurlFailure(a) : `HTTP ${a.status}`)).join(', ');
    findings.push({
      level: errorLevel,
      text: `${failed.length} of ${sent.length} requests failed (${Math.round(errorRate)} % error rate: ${what})`,
      runbook: errorLevel === 'OK' ? undefined : RUNBOOK.alertActions,
    });
  }
  if (mid !== null && slowest !== null) {
    const timeLevel = levelFor(mid, thresholds.responseTimeMs);
    const limits = `warning at ${thresholds.responseTimeMs.warning} ms, critical at ${thresholds.responseTimeMs.critical} ms`;
    findings.push({
      level: timeLevel,
      text:
        timeLevel === 'OK'
          ? `median ${formatMs(mid)} (slowest ${formatMs(slowest)})`
          : `slow: median ${formatMs(mid)}, slowest ${formatMs(slowest)} (${limits})`,
      runbook: timeLevel === 'OK' ? undefined : RUNBOOK.apiNotResponding,
    });
  }
  if (first.answer.status >= 200 && first.answer.status < 300) {
    findings.push(judgeBody(first.answer));
  }
  const ordered = [...findings].sort((a, b) => severity(b.level) - severity(a.level));
  const level = judgedLevel(findings.map((f) => f.level));
  const okCount = sent.length - failed.length;
  const head =
    level === 'OK' ? `${name} answers on :${port}: ${okCount} of ${sent.length} requests OK,` : `${name} on :${port}:`;
  return {
    reachable: true,
    check: {
      id,
      level,
      message: `${head} ${ordered.map((f) => f.text).join('; ')}`,
      evidence,
      runbook: ordered.find((f) => f.level === level && f.runbook !== undefined)?.runbook,
    },
  };
}

/** A finding as a child check. */
export function findingCheck(id: string, finding: Finding, evidence: string): CheckResult {
  return { id, level: finding.level, message: finding.text, evidence, runbook: finding.runbook };
}

/** The parent of some children: their worst level, and the worst child's message unless all is well. */
export function parentCheck(id: string, okMessage: string, children: CheckResult[]): CheckResult {
  const level = judgedLevel(children.map((c) => c.level));
  const worst = children.find((c) => c.level === level);
  return {
    id,
    level,
    message: level === 'OK' || !worst ? okMessage : worst.message,
    evidence: worst?.evidence ?? '',
    runbook: level === 'OK' ? undefined : worst?.runbook,
    children,
  };
}
