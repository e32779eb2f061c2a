import type { Said, SaidValue } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
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

/** Judges the backend's answers; `chain` is parseChain's reading of the probe. */
export function judgeBackend(chain: ChainResult, thresholds: Thresholds): CheckResult {
  const outcomes = chain.outcomes;
  const health = judgeHealthSamples(
    'api.backend.health',
    say('api.backendName'),
    chain.port,
    outcomes.slice(0, SAMPLES),
    thresholds,
    judgeBackendHealthBody,
  );
  if (!health.reachable) {
    return parentCheck('api.backend', health.check, [health.check]);
  }
  const children = [
    health.check,
    judgeDetailed(outcomes[DETAILED], outcomes[DETAILED_RUNBOOK]),
    judgeAuth(outcomes[AUTH_NONE], outcomes[AUTH_INVALID]),
    judgeCors(outcomes[CORS]),
    judgeRateLimit(chain),
  ].filter((c): c is CheckResult => c !== null);
  return parentCheck('api.backend', health.check, children);
}

function judgeBackendHealthBody(answer: HttpAnswer): Finding {
  const json = parseJsonObject(answer.body);
  if (!json) {
    return { level: 'STALE', text: say('api.healthNotJson', { body: { raw: excerpt(answer.body) } }) };
  }
  const status = stringField(json, 'status');
  const score = numberField(json, 'overall_health_score');
  const scoreText = score === null ? '' : say('api.score', { score });
  if (status === null) {
    return { level: 'STALE', text: say('api.healthNoStatus', { suffix: '' }) };
  }
  if (/^(healthy|ok)$/i.test(status)) {
    return { level: 'OK', text: say('api.status', { status, score: scoreText }) };
  }
  return {
    level: /^(unhealthy|error|critical|down)$/i.test(status) ? 'ERROR' : 'WARN',
    text: say('api.reportsStatus', { status, suffix: scoreText }),
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
    return findingCheck(id, statusFinding(say('api.detailedHealth'), sent), evidence);
  }
  const json = parseJsonObject(ok.body);
  if (!json) {
    return {
      id,
      level: 'STALE',
      ...said('api.detailedNotJson', { path: ok.spec.path, status: ok.status, body: { raw: excerpt(ok.body) } }),
      evidence,
    };
  }
  return findingCheck(id, detailedFinding(ok.spec.path, payload(json)), evidence);
}

/** An answer that was not a 2xx, as a finding: 404 not offered, 401/403 needs a login, 429 limited, 5xx broken. */
function statusFinding(what: Said, sent: readonly HttpAnswer[]): Finding {
  const statuses = sent.map((a) => a.status).join(', ');
  const [firstPath = '', secondPath] = sent.map((a) => a.spec.path);
  const paths = secondPath === undefined ? firstPath : say('api.and', { a: firstPath, b: secondPath });
  if (sent.every((a) => a.status === 404)) {
    return { level: 'OK', text: say('api.notOfferedOn', { what, paths }) };
  }
  const worst = Math.max(...sent.map((a) => a.status));
  if (worst >= 500) {
    return {
      level: 'ERROR',
      text: say('api.answeredStatuses', { what, paths, statuses }),
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  if (sent.some((a) => a.status === 429)) {
    return { level: 'WARN', text: say('api.rateLimitedNotChecked', { what }) };
  }
  if (sent.some((a) => a.status === 401 || a.status === 403)) {
    return { level: 'OK', text: say('api.needsLogin', { what, statuses }) };
  }
  return { level: 'WARN', text: say('api.unexpectedStatus', { what, statuses, paths }) };
}

/** A component's status as the reader sees it: the backend's own word quoted, or ours for a bare connected flag. */
function statusWords(status: string): SaidValue {
  if (status === CONNECTED || status === DISCONNECTED) {
    return say(status === CONNECTED ? 'api.componentConnected' : 'api.componentDisconnected');
  }
  return { raw: status };
}

const CONNECTED = 'connected';
const DISCONNECTED = 'disconnected';

function componentStatus(component: unknown): string | null {
  if (!isObject(component)) {
    return null;
  }
  const status = stringField(component, 'status');
  if (status !== null) {
    return status;
  }
  const connected = booleanField(component, 'connected');
  return connected === null ? null : connected ? CONNECTED : DISCONNECTED;
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
    return { level: 'STALE', text: say('api.detailedEmpty', { path }) };
  }
  const problems: Finding[] = [];
  const notes: Said[] = [];
  const database = componentStatus(components?.database);
  if (database !== null) {
    const words = statusWords(database);
    notes.push(say('api.noteDatabase', { status: words }));
    if (!/^(healthy|ok|connected|up)$/i.test(database)) {
      problems.push({ level: 'ERROR', text: say('api.databaseIs', { status: words }), runbook: RUNBOOK.database });
    }
  }
  const firmware = isObject(components?.firmware) ? components.firmware : null;
  const firmwareConnected = booleanField(firmware, 'firmware_connected') ?? booleanField(firmware, 'connected');
  if (firmwareConnected !== null) {
    notes.push(say(firmwareConnected ? 'api.noteFirmwareConnected' : 'api.noteFirmwareNotConnected'));
    if (!firmwareConnected) {
      problems.push({
        level: 'WARN',
        text: say('api.backendNoFirmware'),
        runbook: RUNBOOK.apiNotResponding,
      });
    }
  }
  const resources = isObject(components?.system_resources) ? components.system_resources : null;
  const usage = (['cpu', 'memory', 'disk'] as const).flatMap((name) => {
    const value = percent(resources, name);
    return value === null ? [] : [say('api.noteUsage', { name, percent: Math.round(value) })];
  });
  notes.push(...usage);
  // The backend's own status words (healthy, degraded) are its text: quoted as it said them in every language.
  const overall = status === null ? say('api.noOverallStatus') : { raw: status };
  if (status !== null && !/^(healthy|ok)$/i.test(status)) {
    problems.unshift({
      level: /^(unhealthy|error|critical|down)$/i.test(status) ? 'ERROR' : 'WARN',
      text: say('api.backendReports', { status: { raw: status } }),
      runbook: RUNBOOK.apiNotResponding,
    });
  }
  const details = notes.length > 0 ? say('api.details', { notes: { list: notes } }) : '';
  if (problems.length === 0) {
    return { level: 'OK', text: say('api.detailedOk', { path, overall, details }) };
  }
  const worst = problems.find((p) => p.level === 'ERROR') ?? problems[0] ?? { level: 'WARN', runbook: undefined };
  return {
    level: worst.level,
    text: say('api.detailedProblems', { path, problems: { list: problems.map((p) => p.text), by: '; ' }, details }),
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
    const [first, second] = letThrough.map((a) =>
      say(a === withoutToken ? 'api.withoutToken' : 'api.withInvalidToken'),
    );
    const how = first && second ? say('api.and', { a: first, b: second }) : (first ?? '');
    return {
      id,
      level: 'ERROR',
      ...said('api.authNotEnforced', { path: PROTECTED_PATH, status: letThrough[0]?.status ?? 200, how }),
      evidence,
      runbook: RUNBOOK.unauthorizedAccess,
    };
  }
  if (sent.every(refused)) {
    return {
      id,
      level: 'OK',
      ...said('api.authEnforced', { path: PROTECTED_PATH, statuses: sent.map((a) => a.status).join(', ') }),
      evidence,
    };
  }
  if (sent.every((a) => a.status === 404)) {
    return { id, level: 'OK', ...said('api.authNotOffered', { path: PROTECTED_PATH }), evidence };
  }
  const statuses = sent.map((a) => a.status).join(', ');
  return {
    id,
    level: 'WARN',
    ...said('api.authNotVerified', { path: PROTECTED_PATH, statuses }),
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
    return { id, level: 'OK', ...said('api.corsNotOffered', { path: answer.spec.path }), evidence };
  }
  if (answer.status >= 400) {
    return {
      id,
      level: 'WARN',
      ...said('api.corsNotChecked', { path: answer.spec.path, status: answer.status }),
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  const allowed = answer.headers.get('access-control-allow-origin');
  if (allowed === undefined) {
    return {
      id,
      level: 'WARN',
      ...said('api.corsMissing', { origin: CORS_ORIGIN }),
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  const note = allowed === '*' || allowed === CORS_ORIGIN ? '' : say('api.corsNotRunbook', { origin: CORS_ORIGIN });
  return { id, level: 'OK', ...said('api.corsAllowed', { allowed: { raw: allowed }, note }), evidence };
}

function judgeRateLimit(chain: ChainResult): CheckResult {
  const id = 'api.backend.rateLimit';
  const sent = answers(chain).filter((a) => a.exitCode === 0);
  const limited = sent.filter((a) => a.status === 429);
  const cors = sentAnswer(chain.outcomes[CORS]);
  const limit = Number(cors?.headers.get('x-ratelimit-limit') ?? Number.NaN);
  const remaining = Number(cors?.headers.get('x-ratelimit-remaining') ?? Number.NaN);
  const headerNote =
    Number.isFinite(limit) && Number.isFinite(remaining) ? say('api.rateLimitNote', { limit, remaining }) : '';
  const evidence = sent.map((a) => `${a.spec.label}: HTTP ${a.status}`).join('\n') + (cors ? `\n${cors.raw}` : '');
  if (limited.length > 0) {
    return {
      id,
      level: 'ERROR',
      ...said('api.rateLimited', { limited: limited.length, sent: sent.length, note: headerNote }),
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  if (Number.isFinite(limit) && Number.isFinite(remaining) && limit > 0 && remaining < limit * 0.1) {
    return {
      id,
      level: 'WARN',
      ...said('api.rateLimitClose', { remaining, limit }),
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  return { id, level: 'OK', ...said('api.rateLimitOk', { sent: sent.length, note: headerNote }), evidence };
}
