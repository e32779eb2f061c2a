import type { CheckResult } from '../../../../shared/domain/health';
import type { Thresholds } from '../../../../shared/domain/thresholds';
import { RUNBOOK } from '../runbook';
import {
  answers,
  evidenceOfRequests,
  isObject,
  numberField,
  parseJsonObject,
  payload,
  stringField,
  booleanField,
  excerpt,
  type ChainResult,
  type HttpAnswer,
  type HttpOutcome,
  type HttpRequestSpec,
  type JsonObject,
} from './apiCurl';
import { findingCheck, healthSampleSpecs, judgeHealthSamples, parentCheck, type Finding } from './apiSamples';

/** The Origin the runbook's CORS check sends. */
export const CORS_ORIGIN = 'http://localhost:3000';
/** A token no backend issues: a protected endpoint must refuse it as it refuses none. */
const INVALID_TOKEN = 'ohtw-not-a-valid-token';
/** A protected endpoint of the runbook's Key Metrics (permission system:read). */
const PROTECTED_PATH = '/api/v1/monitoring/metrics';

/**
 * What a sweep asks the backend, in this order: its health five times (error rate and response time), the
 * detailed health in the facts' and the runbook's form, a protected endpoint without and with a bad token,
 * and the runbook's CORS check (with the response headers, which also carry any rate-limit headers).
 */
export function backendSpecs(): HttpRequestSpec[] {
  return [
    ...healthSampleSpecs('/health', 2),
    { label: 'detailed health', path: '/api/v1/health/detailed', body: true, maxTimeS: 3 },
    { label: 'detailed health (runbook form)', path: '/health/detailed', body: true, maxTimeS: 3 },
    { label: 'protected, no token', path: PROTECTED_PATH, maxTimeS: 2 },
    {
      label: 'protected, invalid token',
      path: PROTECTED_PATH,
      send: [`Authorization: Bearer ${INVALID_TOKEN}`],
      maxTimeS: 2,
    },
    { label: 'CORS', path: '/api/v1/health/', responseHeaders: true, send: [`Origin: ${CORS_ORIGIN}`], maxTimeS: 2 },
  ];
}

const SAMPLES = 5;
const DETAILED = 5;
const DETAILED_RUNBOOK = 6;
const AUTH_NONE = 7;
const AUTH_INVALID = 8;
const CORS = 9;

const NOT_OFFERED = 'not offered by this build (HTTP 404)';

/** Judges the backend's answers; `chain` is parseChain's reading of the probe. */
export function judgeBackend(chain: ChainResult, thresholds: Thresholds): CheckResult {
  const outcomes = chain.outcomes;
  const health = judgeHealthSamples(
    'api.backend.health',
    'backend API',
    chain.port,
    outcomes.slice(0, SAMPLES),
    thresholds,
    judgeBackendHealthBody,
  );
  if (!health.reachable) {
    return parentCheck('api.backend', health.check.message, [health.check]);
  }
  const children = [
    health.check,
    judgeDetailed(outcomes[DETAILED], outcomes[DETAILED_RUNBOOK]),
    judgeAuth(outcomes[AUTH_NONE], outcomes[AUTH_INVALID]),
    judgeCors(outcomes[CORS]),
    judgeRateLimit(chain),
  ].filter((c): c is CheckResult => c !== null);
  return parentCheck('api.backend', health.check.message, children);
}

function judgeBackendHealthBody(answer: HttpAnswer): Finding {
  const json = parseJsonObject(answer.body);
  if (!json) {
    return { level: 'STALE', text: `its health answer is not JSON ("${excerpt(answer.body)}")` };
  }
  const status = stringField(json, 'status');
  const score = numberField(json, 'overall_health_score');
  const scoreText = score === null ? '' : ` (score ${score})`;
  if (status === null) {
    return { level: 'STALE', text: 'its health answer has no status' };
  }
  if (/^(healthy|ok)$/i.test(status)) {
    return { level: 'OK', text: `status ${status}${scoreText}` };
  }
  return {
    level: /^(unhealthy|error|critical|down)$/i.test(status) ? 'ERROR' : 'WARN',
    text: `it reports status "${status}"${scoreText}`,
    runbook: RUNBOOK.apiNotResponding,
  };
}

function sentAnswer(outcome: HttpOutcome | undefined): HttpAnswer | null {
  return outcome?.ran && outcome.answer.exitCode === 0 ? outcome.answer : null;
}

function judgeDetailed(facts: HttpOutcome | undefined, runbook: HttpOutcome | undefined): CheckResult | null {
  const id = 'api.backend.detailed';
  const pair = [facts, runbook].filter((o): o is HttpOutcome => o !== undefined);
  const evidence = evidenceOfRequests(pair);
  const sent = pair.map(sentAnswer).filter((a): a is HttpAnswer => a !== null);
  if (sent.length === 0) {
    return null;
  }
  const ok = sent.find((a) => a.status >= 200 && a.status < 300);
  if (!ok) {
    return findingCheck(id, statusFinding('detailed health', sent), evidence);
  }
  const json = parseJsonObject(ok.body);
  if (!json) {
    return {
      id,
      level: 'STALE',
      message: `${ok.spec.path} answered HTTP ${ok.status} but not with JSON ("${excerpt(ok.body)}")`,
      evidence,
    };
  }
  return findingCheck(id, detailedFinding(ok.spec.path, payload(json)), evidence);
}

/** An answer that was not a 2xx, as a finding: 404 not offered, 401/403 needs a login, 429 limited, 5xx broken. */
function statusFinding(what: string, sent: readonly HttpAnswer[]): Finding {
  const statuses = sent.map((a) => a.status);
  const paths = sent.map((a) => a.spec.path).join(' and ');
  if (statuses.every((s) => s === 404)) {
    return { level: 'OK', text: `${what}: ${NOT_OFFERED} on ${paths}` };
  }
  const worst = Math.max(...statuses);
  if (worst >= 500) {
    return {
      level: 'ERROR',
      text: `${what}: ${paths} answered HTTP ${statuses.join(', ')}`,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  if (statuses.includes(429)) {
    return { level: 'WARN', text: `${what}: not checked, the backend is rate-limiting (HTTP 429)` };
  }
  if (statuses.some((s) => s === 401 || s === 403)) {
    return { level: 'OK', text: `${what}: needs a login on this build, not checked (HTTP ${statuses.join(', ')})` };
  }
  return { level: 'WARN', text: `${what}: unexpected HTTP ${statuses.join(', ')} from ${paths}` };
}

function componentStatus(component: unknown): string | null {
  if (!isObject(component)) {
    return null;
  }
  const status = stringField(component, 'status');
  if (status !== null) {
    return status;
  }
  const connected = booleanField(component, 'connected');
  return connected === null ? null : connected ? 'connected' : 'disconnected';
}

function percent(resources: JsonObject | null, name: string): number | null {
  return (
    numberField(resources, `${name}_percent`) ?? numberField(resources, `${name}_usage`) ?? numberField(resources, name)
  );
}

function detailedFinding(path: string, data: JsonObject): Finding {
  const status = stringField(data, 'status');
  const components = isObject(data.components) ? data.components : null;
  if (status === null && components === null) {
    return { level: 'STALE', text: `${path} has neither a status nor components` };
  }
  const problems: Finding[] = [];
  const notes: string[] = [];
  const database = componentStatus(components?.database);
  if (database !== null) {
    notes.push(`database ${database}`);
    if (!/^(healthy|ok|connected|up)$/i.test(database)) {
      problems.push({ level: 'ERROR', text: `its database is ${database}`, runbook: RUNBOOK.database });
    }
  }
  const firmware = isObject(components?.firmware) ? components.firmware : null;
  const firmwareConnected = booleanField(firmware, 'firmware_connected') ?? booleanField(firmware, 'connected');
  if (firmwareConnected !== null) {
    notes.push(firmwareConnected ? 'firmware connected' : 'firmware not connected');
    if (!firmwareConnected) {
      problems.push({
        level: 'WARN',
        text: 'the backend cannot reach the firmware API',
        runbook: RUNBOOK.apiNotResponding,
      });
    }
  }
  const resources = isObject(components?.system_resources) ? components.system_resources : null;
  const usage = (['cpu', 'memory', 'disk'] as const).flatMap((name) => {
    const value = percent(resources, name);
    return value === null ? [] : [`${name} ${Math.round(value)} %`];
  });
  notes.push(...usage);
  const overall = status ?? 'no overall status';
  if (status !== null && !/^(healthy|ok)$/i.test(status)) {
    problems.unshift({
      level: /^(unhealthy|error|critical|down)$/i.test(status) ? 'ERROR' : 'WARN',
      text: `the backend reports itself ${status}`,
      runbook: RUNBOOK.apiNotResponding,
    });
  }
  const details = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  if (problems.length === 0) {
    return { level: 'OK', text: `${path}: ${overall}${details}` };
  }
  const worst = problems.find((p) => p.level === 'ERROR') ?? problems[0] ?? { level: 'WARN', text: '' };
  return {
    level: worst.level,
    text: `${path}: ${problems.map((p) => p.text).join('; ')}${details}`,
    runbook: worst.runbook,
  };
}

function judgeAuth(none: HttpOutcome | undefined, invalid: HttpOutcome | undefined): CheckResult | null {
  const id = 'api.backend.auth';
  const pair = [none, invalid].filter((o): o is HttpOutcome => o !== undefined);
  const evidence = evidenceOfRequests(pair);
  const withoutToken = sentAnswer(none);
  const badToken = sentAnswer(invalid);
  const sent = [withoutToken, badToken].filter((a): a is HttpAnswer => a !== null);
  if (sent.length === 0) {
    return null;
  }
  const refused = (a: HttpAnswer): boolean => a.status === 401 || a.status === 403;
  const letThrough = sent.filter((a) => a.status >= 200 && a.status < 300);
  if (letThrough.length > 0) {
    const how = letThrough.map((a) => (a === withoutToken ? 'without a token' : 'with an invalid token')).join(' and ');
    return {
      id,
      level: 'ERROR',
      message: `authentication is not enforced: ${PROTECTED_PATH} answered HTTP ${letThrough[0]?.status ?? 200} ${how} (is BYPASS_AUTH or TESTING set in the backend's .env?)`,
      evidence,
      runbook: RUNBOOK.unauthorizedAccess,
    };
  }
  if (sent.every(refused)) {
    return {
      id,
      level: 'OK',
      message: `protected endpoints refuse requests without a valid token (${PROTECTED_PATH}: HTTP ${sent.map((a) => a.status).join(', ')})`,
      evidence,
    };
  }
  if (sent.every((a) => a.status === 404)) {
    return { id, level: 'OK', message: `${PROTECTED_PATH}: ${NOT_OFFERED}, authentication not checked`, evidence };
  }
  const statuses = sent.map((a) => a.status).join(', ');
  return {
    id,
    level: 'WARN',
    message: `authentication not verified: ${PROTECTED_PATH} answered HTTP ${statuses} instead of 401/403`,
    evidence,
    runbook: RUNBOOK.apiNotResponding,
  };
}

function judgeCors(outcome: HttpOutcome | undefined): CheckResult | null {
  const id = 'api.backend.cors';
  const answer = sentAnswer(outcome);
  if (!outcome || !answer) {
    return null;
  }
  const evidence = evidenceOfRequests([outcome]);
  if (answer.status === 404) {
    return { id, level: 'OK', message: `${answer.spec.path}: ${NOT_OFFERED}, CORS not checked`, evidence };
  }
  if (answer.status >= 400) {
    return {
      id,
      level: 'WARN',
      message: `CORS not checked: ${answer.spec.path} answered HTTP ${answer.status}`,
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  const allowed = answer.headers.get('access-control-allow-origin');
  if (allowed === undefined) {
    return {
      id,
      level: 'WARN',
      message: `no Access-Control-Allow-Origin for Origin ${CORS_ORIGIN}: a browser page served from another origin cannot use the API`,
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  const note = allowed === '*' || allowed === CORS_ORIGIN ? '' : ` (not the runbook's ${CORS_ORIGIN})`;
  return { id, level: 'OK', message: `cross-origin requests allowed for ${allowed}${note}`, evidence };
}

function judgeRateLimit(chain: ChainResult): CheckResult {
  const id = 'api.backend.rateLimit';
  const sent = answers(chain).filter((a) => a.exitCode === 0);
  const limited = sent.filter((a) => a.status === 429);
  const cors = sentAnswer(chain.outcomes[CORS]);
  const limit = Number(cors?.headers.get('x-ratelimit-limit') ?? Number.NaN);
  const remaining = Number(cors?.headers.get('x-ratelimit-remaining') ?? Number.NaN);
  const headerNote =
    Number.isFinite(limit) && Number.isFinite(remaining) ? `; limit ${limit}, ${remaining} left in this window` : '';
  const evidence = sent.map((a) => `${a.spec.label}: HTTP ${a.status}`).join('\n') + (cors ? `\n${cors.raw}` : '');
  if (limited.length > 0) {
    return {
      id,
      level: 'ERROR',
      message: `the backend answered 429 Too Many Requests to ${limited.length} of ${sent.length} requests: its rate limit (1000 per 60 s) is used up, so other clients are refused too${headerNote}`,
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  if (Number.isFinite(limit) && Number.isFinite(remaining) && limit > 0 && remaining < limit * 0.1) {
    return {
      id,
      level: 'WARN',
      message: `close to the rate limit: ${remaining} of ${limit} requests left in this window`,
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  return { id, level: 'OK', message: `no 429 in ${sent.length} requests${headerNote}`, evidence };
}
