import type { Said, SaidValue } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
import { judgedLevel, type CheckResult, type HealthLevel } from '../../../../shared/domain/health';
import { levelFor, type Thresholds } from '../../../../shared/domain/thresholds';
import type { Probe, ProbeOutput } from '../../transport/batch';
import type { CheckModule, SweepContext } from '../checkModule';
import { RUNBOOK } from '../runbook';
import {
  chainTimeoutS,
  curlChain,
  describeCurlFailure,
  evidenceOfRequests,
  excerpt,
  isObject,
  numberField,
  parseJsonObject,
  payload,
  stringField,
  type ChainResult,
  type HttpAnswer,
  type HttpOutcome,
  type HttpRequestSpec,
  type JsonObject,
} from './apiCurl';
import { firmwarePorts, otherPortsNote } from './apiFirmware';
import { readChain } from './apiModule';
import { parentCheck } from './apiSamples';

/**
 * The modules a vehicle must have, and how bad losing each is. The levels follow the firmware's module-loss
 * policy: losing Safety stops the vehicle at once and Power soon after, without Travel it cannot move, while a
 * lost Dock module is only logged.
 */
export const EXPECTED_MODULES = [
  { address: 0x02, name: 'Power', key: 'power', lost: 'ERROR' },
  { address: 0x03, name: 'Safety', key: 'safety', lost: 'ERROR' },
  { address: 0x04, name: 'Travel', key: 'travel', lost: 'ERROR' },
  { address: 0x05, name: 'Dock', key: 'dock', lost: 'WARN' },
] as const satisfies readonly { address: number; name: string; key: string; lost: HealthLevel }[];

/** The firmware's real polling state and its bus statistics; /api/v1/rs485/modules is a hard-coded stub, so not it. */
function firmwareSpecs(): HttpRequestSpec[] {
  return [
    { label: 'modules', path: '/api/v1/modules', body: true, maxTimeS: 3 },
    { label: 'module stats', path: '/api/v1/modules/stats', body: true, maxTimeS: 3 },
  ];
}

function backendSpecs(): HttpRequestSpec[] {
  return [{ label: 'bus health', path: '/api/v1/rs485/bus/health', body: true, maxTimeS: 3 }];
}

const BACKEND_KEY = 'rs485.backend';
const firmwareKey = (port: number): string => `rs485.firmware.${port}`;

function chainProbe(key: string, port: number, specs: readonly HttpRequestSpec[]): Probe {
  return { key, command: curlChain(port, specs), timeoutS: chainTimeoutS(specs) };
}

/** When the firmware last heard a module: a moment when it says one in ISO form, else its own words. */
function lastSeen(text: string): SaidValue {
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)) ? { at: text } : { raw: text };
}

const hex = (address: number): string => `0x${address.toString(16).padStart(2, '0').toUpperCase()}`;

type ModuleEntry = { address: number; online: boolean | null; type: string | null; lastSeen: string | null };

function parseAddress(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }
  if (typeof value === 'string') {
    const n = /^0x[0-9a-f]+$/i.test(value.trim()) ? Number.parseInt(value, 16) : Number(value);
    return Number.isInteger(n) ? n : null;
  }
  return null;
}

function parseOnline(entry: JsonObject): boolean | null {
  if (typeof entry.online === 'boolean') {
    return entry.online;
  }
  const status = stringField(entry, 'status');
  if (status === null) {
    return null;
  }
  if (/^(online|healthy|ok|warning)$/i.test(status)) {
    return true;
  }
  return /^(offline|lost|error|timeout|missing)$/i.test(status) ? false : null;
}

/** The module list of `/api/v1/modules`, wherever this build puts it; null when there is none. */
function moduleList(json: JsonObject): ModuleEntry[] | null {
  const data = json.data;
  const list: unknown = Array.isArray(json.modules)
    ? json.modules
    : isObject(data) && Array.isArray(data.modules)
      ? data.modules
      : Array.isArray(data)
        ? data
        : null;
  if (!Array.isArray(list)) {
    return null;
  }
  return list.flatMap((item: unknown) => {
    if (!isObject(item)) {
      return [];
    }
    const address = parseAddress(item.address ?? item.addr ?? item.module_addr);
    if (address === null) {
      return [];
    }
    return [
      {
        address,
        online: parseOnline(item),
        type: stringField(item, 'type') ?? stringField(item, 'name'),
        lastSeen: stringField(item, 'last_seen'),
      },
    ];
  });
}

function answered(outcome: HttpOutcome | undefined): HttpAnswer | null {
  return outcome?.ran && outcome.answer.exitCode === 0 ? outcome.answer : null;
}

/** Non-2xx answers: 404 is a build without the endpoint, never an error by itself. */
function statusCheck(id: string, answer: HttpAnswer, evidence: string): CheckResult | null {
  const path = answer.spec.path;
  if (answer.status === 404) {
    return { id, level: 'OK', ...said('rs485.notOffered', { path }), evidence };
  }
  if (answer.status === 401 || answer.status === 403) {
    return { id, level: 'OK', ...said('rs485.needsLogin', { path, status: answer.status }), evidence };
  }
  if (answer.status >= 300 || answer.status < 200) {
    return {
      id,
      level: answer.status >= 500 ? 'ERROR' : 'WARN',
      ...said('api.pathAnswered', {
        path,
        status: answer.status,
        body: answer.body.trim() ? say('api.quotedBody', { body: { raw: excerpt(answer.body) } }) : '',
      }),
      evidence,
      runbook: RUNBOOK.apiNotResponding,
    };
  }
  return null;
}

function judgeModules(answer: HttpAnswer, evidence: string): CheckResult {
  const id = 'rs485.modules';
  const byStatus = statusCheck(id, answer, evidence);
  if (byStatus) {
    return byStatus;
  }
  const json = parseJsonObject(answer.body);
  const list = json ? moduleList(json) : null;
  if (!list) {
    const what = json ? say('rs485.noModuleList') : say('rs485.notJson', { body: { raw: excerpt(answer.body) } });
    return { id, level: 'STALE', ...said('rs485.firmwareAnswer', { path: answer.spec.path, what }), evidence };
  }
  const children: CheckResult[] = EXPECTED_MODULES.map((expected) => {
    const childId = `rs485.modules.${expected.key}`;
    const label = say('rs485.module', { name: expected.name, address: hex(expected.address) });
    const entry = list.find((m) => m.address === expected.address);
    if (!entry) {
      return {
        id: childId,
        level: expected.lost,
        ...said('rs485.neverFound', { label }),
        evidence,
        runbook: RUNBOOK.communication,
      };
    }
    const seen = entry.lastSeen ? say('rs485.lastSeen', { at: lastSeen(entry.lastSeen) }) : '';
    if (entry.online === true) {
      return { id: childId, level: 'OK', ...said('rs485.online', { label, seen }), evidence };
    }
    if (entry.online === false) {
      return {
        id: childId,
        level: expected.lost,
        ...said('rs485.offline', { label, seen }),
        evidence,
        runbook: RUNBOOK.communication,
      };
    }
    return {
      id: childId,
      level: 'STALE',
      ...said('rs485.unknownOnline', { label }),
      evidence,
    };
  });
  const extras = list.filter((m) => !EXPECTED_MODULES.some((e) => e.address === m.address));
  const extraText =
    extras.length > 0
      ? say('rs485.also', {
          modules: {
            list: extras.map((m) =>
              say('rs485.extra', {
                type: m.type === null ? say('rs485.moduleWord') : { raw: m.type },
                address: hex(m.address),
                offline: m.online === false ? say('rs485.extraOffline') : '',
              }),
            ),
          },
        })
      : '';
  const online = children.filter((c) => c.level === 'OK').length;
  return parentCheck(id, said('rs485.allOnline', { online, extra: extraText }), children);
}

function judgeStats(answer: HttpAnswer, evidence: string, thresholds: Thresholds): CheckResult {
  const id = 'rs485.bus.stats';
  const byStatus = statusCheck(id, answer, evidence);
  if (byStatus) {
    return byStatus;
  }
  const json = parseJsonObject(answer.body);
  if (!json) {
    return {
      id,
      level: 'STALE',
      ...said('rs485.statsNotJson', { path: answer.spec.path, body: { raw: excerpt(answer.body) } }),
      evidence,
    };
  }
  const data = payload(json);
  const total = numberField(data, 'total_modules');
  const online = numberField(data, 'online_modules');
  const timeouts = numberField(data, 'health_timeouts');
  const crc = numberField(data, 'crc_errors');
  const p95 = numberField(data, 'p95_ms');
  const p99 = numberField(data, 'p99_ms');
  if ([total, online, timeouts, crc, p95, p99].every((v) => v === null)) {
    return { id, level: 'STALE', ...said('rs485.noStats', { path: answer.spec.path }), evidence };
  }
  const problems: { level: HealthLevel; text: Said }[] = [];
  if (timeouts !== null && timeouts > 0) {
    problems.push({ level: 'WARN', text: say('rs485.timeouts', { count: timeouts }) });
  }
  if (crc !== null && crc > 0) {
    problems.push({ level: 'WARN', text: say('rs485.crcErrors', { count: crc }) });
  }
  const p99Text = p99 === null ? '' : say('rs485.p99', { p99 });
  let slow = false;
  if (p95 !== null) {
    const level = levelFor(p95, thresholds.responseTimeMs);
    if (level !== 'OK') {
      slow = true;
      problems.push({
        level,
        text: say('rs485.slowModules', {
          p95,
          p99: p99Text,
          warning: thresholds.responseTimeMs.warning,
          critical: thresholds.responseTimeMs.critical,
        }),
      });
    }
  }
  const facts = [
    ...(total !== null && online !== null ? [say('rs485.modulesOnline', { online, total })] : []),
    ...(timeouts !== null && timeouts === 0 ? [say('rs485.noTimeouts')] : []),
    ...(crc !== null && crc === 0 ? [say('rs485.noCrc')] : []),
    ...(p95 !== null && !slow ? [say('rs485.latency', { p95, p99: p99Text })] : []),
  ];
  const level = problems.some((p) => p.level === 'ERROR') ? 'ERROR' : problems.length > 0 ? 'WARN' : 'OK';
  const all = { list: [...problems.map((p) => p.text), ...facts] };
  return {
    id,
    level,
    ...(problems.length > 0 ? said('rs485.sinceStart', { facts: all }) : said('rs485.facts', { facts: all })),
    evidence,
    runbook: level === 'OK' ? undefined : RUNBOOK.communication,
  };
}

/** The backend's view of the bus (/api/v1/rs485/bus/health): error rate in %, p95 in ms. */
function judgeBackendBus(chain: ChainResult, thresholds: Thresholds): CheckResult | null {
  const id = 'rs485.bus.backend';
  const outcome = chain.outcomes[0];
  const answer = answered(outcome);
  if (!outcome || !answer) {
    return null; // The backend did not answer at all: api.backend says so.
  }
  const evidence = evidenceOfRequests([outcome]);
  const byStatus = statusCheck(id, answer, evidence);
  if (byStatus) {
    return byStatus.level === 'ERROR' ? { ...byStatus, level: 'WARN' } : byStatus;
  }
  const json = parseJsonObject(answer.body);
  if (!json) {
    return {
      id,
      level: 'STALE',
      ...said('rs485.backendNotJson', { path: answer.spec.path, body: { raw: excerpt(answer.body) } }),
      evidence,
    };
  }
  const data = payload(json);
  const status = stringField(data, 'status');
  const errorRate = numberField(data, 'error_rate');
  const p95 = numberField(data, 'response_time_p95');
  const findings: { level: HealthLevel; text: Said }[] = [];
  if (status !== null) {
    const level: HealthLevel = /^(error|offline)$/i.test(status) ? 'ERROR' : /^warning$/i.test(status) ? 'WARN' : 'OK';
    findings.push({ level, text: say('rs485.busStatus', { status: { raw: status } }) });
  }
  if (errorRate !== null) {
    findings.push({
      level: levelFor(errorRate, thresholds.errorRatePercent),
      text: say('rs485.errorRate', { rate: errorRate }),
    });
  }
  if (p95 !== null) {
    findings.push({ level: levelFor(p95, thresholds.responseTimeMs), text: say('rs485.p95', { p95 }) });
  }
  if (findings.length === 0) {
    return { id, level: 'STALE', ...said('rs485.backendNothing', { path: answer.spec.path }), evidence };
  }
  const level = findings.some((f) => f.level === 'ERROR')
    ? 'ERROR'
    : findings.some((f) => f.level === 'WARN')
      ? 'WARN'
      : 'OK';
  return {
    id,
    level,
    ...said('rs485.backendSees', { findings: { list: findings.map((f) => f.text) } }),
    evidence,
    runbook: level === 'OK' ? undefined : RUNBOOK.communication,
  };
}

/** The firmware port to read: the expected one when its module list answers as JSON, else one that does. */
function chooseChain(chains: readonly ChainResult[], expected: number): ChainResult | undefined {
  const ordered = [...chains].sort((a, b) => Number(b.port === expected) - Number(a.port === expected));
  const usable = (c: ChainResult): boolean => {
    const a = answered(c.outcomes[0]);
    return a !== null && a.status >= 200 && a.status < 300 && parseJsonObject(a.body) !== null;
  };
  return ordered.find(usable) ?? ordered[0];
}

/**
 * `rs485.modules` and `rs485.bus` as the vehicle sees them: the firmware's polling state of each module and its
 * bus statistics, and the backend's bus health where it offers it without a login.
 */
export const rs485Module: CheckModule = {
  name: 'rs485',
  checkIds: ['rs485.modules', 'rs485.bus'],
  probes: ({ unit }) => [
    ...firmwarePorts(unit.profile).map((port) => chainProbe(firmwareKey(port), port, firmwareSpecs())),
    chainProbe(BACKEND_KEY, unit.profile.backendPort, backendSpecs()),
  ],
  judge(context: SweepContext, outputs): CheckResult[] {
    const asked = context.unit.profile;
    const reads = firmwarePorts(asked).map((port) =>
      readChain(
        chainProbe(firmwareKey(port), port, firmwareSpecs()),
        port,
        firmwareSpecs(),
        outputs.get(firmwareKey(port)),
      ),
    );
    const backendBus = judgeBackendRead(context, outputs);

    const chains = reads.flatMap((r) => ('chain' in r ? [r.chain] : []));
    const chosen = chooseChain(chains, context.profile.firmwarePort);
    if (!chosen) {
      const stale = reads.find((r): r is { stale: Said; evidence: string } => 'stale' in r);
      const message = said('rs485.viewStale', { reason: stale?.stale ?? say('probe.noAnswer') });
      const evidence = stale?.evidence ?? '';
      return [
        { id: 'rs485.modules', level: 'STALE', ...message, evidence },
        { id: 'rs485.bus', level: 'STALE', ...message, evidence, children: backendBus ? [backendBus] : undefined },
      ];
    }
    const modulesOutcome = chosen.outcomes[0];
    const modulesAnswer = answered(modulesOutcome);
    const evidence = evidenceOfRequests(chosen.outcomes.slice(0, 1));
    if (!modulesOutcome?.ran || !modulesAnswer) {
      // No answer from the firmware at all: nothing on the vehicle is polling the modules that we can see.
      const why = modulesOutcome?.ran ? describeCurlFailure(modulesOutcome.answer) : say('curl.didNotParse');
      const message = said('rs485.viewLost', { why, others: otherPortsNote(chains, chosen) });
      const level = modulesOutcome?.ran ? 'ERROR' : 'STALE';
      const runbook = level === 'ERROR' ? RUNBOOK.systemDown : undefined;
      const modules: CheckResult = { id: 'rs485.modules', level, ...message, evidence, runbook };
      const bus: CheckResult = {
        id: 'rs485.bus',
        level: judgedLevel([level, ...(backendBus ? [backendBus.level] : [])]),
        ...message,
        evidence,
        runbook,
        children: backendBus ? [backendBus] : undefined,
      };
      return [modules, bus];
    }
    const stats = judgeStatsOutcome(chosen.outcomes[1], context.thresholds);
    const busChildren = [stats, backendBus].filter((c): c is CheckResult => c !== null);
    const bus =
      busChildren.length > 0
        ? parentCheck(
            'rs485.bus',
            said('rs485.list', { items: { list: busChildren.map((c) => c.say ?? { raw: c.message }), by: '; ' } }),
            busChildren,
          )
        : {
            id: 'rs485.bus',
            level: 'STALE' as const,
            ...said('rs485.noStatsAtAll'),
            evidence: evidenceOfRequests(chosen.outcomes),
          };
    return [judgeModules(modulesAnswer, evidence), bus];
  },
};

/** What the backend says of the bus it polls, or why it could not be read. */
function judgeBackendRead(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>): CheckResult | null {
  const asked = context.unit.profile;
  const backendRead = readChain(
    chainProbe(BACKEND_KEY, asked.backendPort, backendSpecs()),
    asked.backendPort,
    backendSpecs(),
    outputs.get(BACKEND_KEY),
  );
  return 'chain' in backendRead
    ? judgeBackendBus(backendRead.chain, context.thresholds)
    : {
        id: 'rs485.bus.backend',
        level: 'STALE',
        ...said('rs485.backendStale', { reason: backendRead.stale }),
        evidence: backendRead.evidence,
      };
}

/** The firmware's bus statistics, when their request was sent: judged if answered, a warning if not. */
function judgeStatsOutcome(statsOutcome: HttpOutcome | undefined, thresholds: Thresholds): CheckResult | null {
  if (!statsOutcome?.ran) {
    return null;
  }
  const statsAnswer = answered(statsOutcome);
  return statsAnswer
    ? judgeStats(statsAnswer, evidenceOfRequests([statsOutcome]), thresholds)
    : {
        id: 'rs485.bus.stats',
        level: 'WARN',
        ...said('rs485.noStatsBecause', { why: describeCurlFailure(statsOutcome.answer) }),
        evidence: evidenceOfRequests([statsOutcome]),
        runbook: RUNBOOK.apiNotResponding,
      };
}
