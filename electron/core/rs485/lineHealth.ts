import { said, say } from '../../../shared/domain/words';
import type { Said } from '../../../shared/domain/said';
import type { CheckResult, HealthLevel } from '../../../shared/domain/health';
import { RUNBOOK } from '../diagnostics/runbook';
import type { LineStats } from './modbusTypes';
import type { BusModule } from './moduleRegisters';
import { hex2, moduleName, OFFLINE_ROOT, offlineId, round1 } from './offlineWords';

/** The line's quality in an offline diagnosis: per module (timeouts, CRC errors, latency) and the bus as a whole. */

export type LineDelta = {
  requests: number;
  timeouts: number;
  crcErrors: number;
  exceptions: number;
  latenciesMs: number[];
};

/**
 * What this sweep added to the master's counters. The master keeps only its latest latencies, so the new ones are
 * taken from the end: as many as requests were answered (or refused) since.
 */
export function lineDelta(before: LineStats, after: LineStats): LineDelta {
  const requests = Math.max(0, after.requests - before.requests);
  const timeouts = Math.max(0, after.timeouts - before.timeouts);
  const crcErrors = Math.max(0, after.crcErrors - before.crcErrors);
  const exceptions = Math.max(0, after.exceptions - before.exceptions);
  // The master times only replies it accepted (answers and exceptions), not timeouts or corrupted replies.
  const answered = Math.max(0, requests - timeouts - crcErrors);
  const fresh = Math.min(after.latenciesMs.length, answered);
  return {
    requests,
    timeouts,
    crcErrors,
    exceptions,
    latenciesMs: fresh === 0 ? [] : after.latenciesMs.slice(-fresh),
  };
}

/** Nearest-rank percentile; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) {
    return undefined;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function judgeLine(module: BusModule, delta: LineDelta): { check: CheckResult } {
  const id = offlineId(module.type, 'line');
  const policy = module.profile.policy;
  const p50 = percentile(delta.latenciesMs, 50);
  const p95 = percentile(delta.latenciesMs, 95);
  const p99 = percentile(delta.latenciesMs, 99);
  const problems: Said[] = [];
  if (delta.timeouts > 0) {
    problems.push(say('bus.timeouts', { timeouts: delta.timeouts, requests: delta.requests }));
  }
  if (delta.crcErrors > 0) {
    problems.push(say('bus.crc', { crc: delta.crcErrors, requests: delta.requests }));
  }
  if (p95 !== undefined && p95 > policy.maxResponseMs) {
    problems.push(
      say('bus.slow', { p95: round1(p95), max: policy.maxResponseMs, expected: policy.expectedResponseMs }),
    );
  }
  const latencyText =
    p50 === undefined
      ? say('bus.noTiming')
      : say('bus.latency', { p50: round1(p50), p95: round1(p95 ?? p50), p99: round1(p99 ?? p50) });
  const metrics: Record<string, number> = {
    requests: delta.requests,
    timeouts: delta.timeouts,
    crcErrors: delta.crcErrors,
    exceptions: delta.exceptions,
  };
  if (p50 !== undefined && p95 !== undefined && p99 !== undefined) {
    Object.assign(metrics, { p50Ms: round1(p50), p95Ms: round1(p95), p99Ms: round1(p99) });
  }
  const level: HealthLevel = problems.length > 0 ? 'WARN' : 'OK';
  return {
    check: {
      id,
      level,
      ...(problems.length > 0
        ? said('bus.lineProblems', {
            module: moduleName(module.type),
            problems: { list: problems, by: '; ' },
            latency: latencyText,
          })
        : said('bus.lineClean', { module: moduleName(module.type), requests: delta.requests, latency: latencyText })),
      evidence: [
        `requests ${delta.requests}, timeouts ${delta.timeouts}, CRC errors ${delta.crcErrors}, exceptions ${delta.exceptions}`,
        `latencies (ms): ${delta.latenciesMs.map(round1).join(' ') || 'none'}`,
        `policy: expected ${policy.expectedResponseMs} ms, max ${policy.maxResponseMs} ms, ${policy.action} on loss`,
      ].join('\n'),
      runbook: level === 'OK' ? undefined : RUNBOOK.communication,
      metrics,
    },
  };
}

export function busCheck(modules: readonly { module: BusModule; answered: boolean; stats: LineDelta }[]): CheckResult {
  const id = `${OFFLINE_ROOT}.bus`;
  const answered = modules.filter((m) => m.answered);
  const missing = modules.filter((m) => !m.answered);
  const totals = modules.reduce(
    (t, m) => ({
      requests: t.requests + m.stats.requests,
      timeouts: t.timeouts + m.stats.timeouts,
      crcErrors: t.crcErrors + m.stats.crcErrors,
    }),
    { requests: 0, timeouts: 0, crcErrors: 0 },
  );
  const metrics = {
    modulesExpected: modules.length,
    modulesAnswered: answered.length,
    requests: totals.requests,
    timeouts: totals.timeouts,
    crcErrors: totals.crcErrors,
  };
  const evidence = modules
    .map(
      (m) =>
        `${hex2(m.module.address)} ${m.module.type}: ${m.answered ? 'answered' : 'no answer'}; ${m.stats.requests} requests, ${m.stats.timeouts} timeouts, ${m.stats.crcErrors} CRC errors`,
    )
    .join('\n');
  const errors = say('bus.errors', { crc: totals.crcErrors, timeouts: totals.timeouts, requests: totals.requests });
  if (modules.length > 0 && answered.length === 0) {
    return {
      id,
      level: 'STALE',
      ...said('bus.silent'),
      evidence,
      runbook: RUNBOOK.communication,
      metrics,
    };
  }
  const level: HealthLevel = missing.length > 0 || totals.crcErrors > 0 || totals.timeouts > 0 ? 'WARN' : 'OK';
  const who =
    missing.length > 0
      ? say('bus.someMissing', {
          answered: answered.length,
          expected: modules.length,
          missing: {
            list: missing.map((m) =>
              say('bus.label', { module: moduleName(m.module.type), address: hex2(m.module.address) }),
            ),
          },
        })
      : say('bus.allAnswered', { count: modules.length });
  return {
    id,
    level,
    ...said('bus.summary', { who, errors }),
    evidence,
    runbook: level === 'OK' ? undefined : RUNBOOK.communication,
    metrics,
  };
}
