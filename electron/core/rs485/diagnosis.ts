import type { Said, SaidValue } from '../../../shared/domain/said';
import { asMessage, said, say } from '../../../shared/domain/words';
import { judgedLevel, type CheckResult, type HealthLevel } from '../../../shared/domain/health';
import {
  CHECK_GROUPS,
  WELL_KNOWN,
  type CheckGroup,
  type ModuleType,
  type RegisterDef,
  type Rs485Profile,
} from '../../../shared/domain/rs485Profile';
import { isAppError } from '../../../shared/errors/AppError';
import { RUNBOOK } from '../diagnostics/runbook';
import { decodeRegister, type Decoded } from './decode';
import type { LineStats, ModbusMaster, RequestOptions } from './modbusTypes';
import { hex } from './profiles';

/**
 * The bus doctor's diagnosis with the vehicle's computer down: the workstation is the Modbus master, reads each
 * expected module by its register map and judges what it reads, in the same CheckResult tree as the SSH diagnosis.
 *
 * Check ids (stable; the firmware-API checks of the SSH diagnosis are `rs485.modules*` and `rs485.bus*`):
 *   rs485.offline.master                      the second-master hazard, before the bus is opened (secondMaster.ts)
 *   rs485.offline.bus                         the bus as a whole: who answered, errors over all requests
 *   rs485.offline.<module>                    one per expected module: power, safety, travel, dock
 *   rs485.offline.<module>.presence           answered the identity read as the module it should be
 *   rs485.offline.<module>.line               timeouts, CRC errors, exceptions, latency p50/p95/p99 of this sweep
 *   rs485.offline.<module>.<group>            the registers the map puts in that group, read and judged:
 *                                             error (own status/error registers), battery, cells, temperature,
 *                                             faults, status, estop
 * The groups a module has come from its map; a module that does not answer keeps all its ids, as STALE.
 */

export const OFFLINE_ROOT = 'rs485.offline';

export type BusModule = { type: ModuleType; address: number; profile: Rs485Profile };

export type OfflineDiagnosisOptions = {
  /** Extra identity reads per answering module, to measure latency; 5 unless told. */
  lineSamples?: number;
  /** Reply timeout per request; the master's own when absent. */
  timeoutMs?: number;
  /** Attempts for the identity read, as the firmware's scan (3). */
  presenceAttempts?: number;
  signal?: AbortSignal;
};

export const MODULE_LABELS: Readonly<Record<ModuleType, string>> = {
  power: 'Power',
  safety: 'Safety',
  travel: 'Travel motor',
  dock: 'Dock & location',
};

const MAX_READ = 125;

export const offlineId = (module?: ModuleType, leaf?: string): string =>
  [OFFLINE_ROOT, module, leaf].filter((p) => p !== undefined).join('.');

export async function diagnoseBusOffline(
  master: ModbusMaster,
  modules: readonly BusModule[],
  options: OfflineDiagnosisOptions = {},
): Promise<CheckResult[]> {
  const perModule: { module: BusModule; check: CheckResult; answered: boolean; stats: LineDelta }[] = [];
  for (const module of modules) {
    options.signal?.throwIfAborted();
    perModule.push(await diagnoseModule(master, module, options));
  }
  return [busCheck(perModule), ...perModule.map((m) => m.check)];
}

// ── one module ─────────────────────────────────────────────────────────────────────────────────────────

async function diagnoseModule(
  master: ModbusMaster,
  module: BusModule,
  options: OfflineDiagnosisOptions,
): Promise<{ module: BusModule; check: CheckResult; answered: boolean; stats: LineDelta }> {
  const before = master.stats(module.address);
  const request: RequestOptions = { timeoutMs: options.timeoutMs, signal: options.signal };
  const label = say('bus.label', { module: moduleName(module.type), address: hex2(module.address) });
  const groups = CHECK_GROUPS.filter((g) => module.profile.registers.some((r) => r.check === g && r.access !== 'W'));

  const presence = await checkPresence(master, module, label, {
    ...request,
    retries: Math.max(0, (options.presenceAttempts ?? 3) - 1),
  });
  let children: CheckResult[];
  if (!presence.answered) {
    const why = said('bus.notRead', { label });
    children = [
      presence.check,
      { id: offlineId(module.type, 'line'), level: 'STALE', ...why, evidence: presence.check.evidence },
      ...groups.map((g): CheckResult => ({
        id: offlineId(module.type, g),
        level: 'STALE',
        ...why,
        evidence: '',
      })),
    ];
  } else {
    const samples = options.lineSamples ?? 5;
    const idRegister = findByName(module.profile, WELL_KNOWN.deviceId);
    for (let i = 0; i < samples && idRegister; i += 1) {
      try {
        await master.readHoldingRegisters(module.address, idRegister.address, 1, request);
      } catch (error) {
        if (!isModbusFailure(error)) {
          throw error;
        }
      }
    }
    const readings = await readRegisters(
      master,
      module.address,
      module.profile.registers.filter((r) => r.check !== undefined && r.access !== 'W'),
      { ...request, retries: 1 },
    );
    const groupChecks = groups.map((g) => judgeGroup(module, g, readings));
    const line = judgeLine(module, lineDelta(before, master.stats(module.address)));
    children = [presence.check, line.check, ...groupChecks];
  }
  const stats = lineDelta(before, master.stats(module.address));
  const level = judgedLevel(children.map((c) => c.level));
  const problems = children.filter((c) => c.level !== 'OK');
  const message =
    level === 'OK'
      ? said('bus.moduleOk', { label, count: children.length })
      : said('bus.moduleProblems', {
          label,
          problems: { list: problems.map((c) => c.say ?? { raw: c.message }), by: '; ' },
        });
  return {
    module,
    answered: presence.answered,
    stats,
    check: {
      id: offlineId(module.type),
      level,
      ...message,
      evidence: `map ${module.profile.id} version ${module.profile.version} (${module.profile.origin}) at slave address ${module.address}`,
      children,
    },
  };
}

async function checkPresence(
  master: ModbusMaster,
  module: BusModule,
  label: Said,
  request: RequestOptions,
): Promise<{ answered: boolean; check: CheckResult }> {
  const id = offlineId(module.type, 'presence');
  const profile = module.profile;
  const deviceId = findByName(profile, WELL_KNOWN.deviceId);
  const typeRegister = findByName(profile, WELL_KNOWN.moduleType);
  const firmware = findByName(profile, 'firmwareVersion');
  const policy = say('bus.policy', { action: profile.policy.action });
  const probe = deviceId ?? profile.registers.find((r) => r.access !== 'W');
  if (!probe) {
    return {
      answered: false,
      check: { id, level: 'STALE', ...said('bus.noRegister', { label, map: profile.id }), evidence: '' },
    };
  }
  const evidence: string[] = [];
  let answeredWith: number | undefined;
  try {
    answeredWith = (await master.readHoldingRegisters(module.address, probe.address, 1, request))[0];
    evidence.push(`FC03 ${hex(probe.address)} ${probe.name} → ${answeredWith ?? '?'}`);
  } catch (error) {
    if (!isModbusFailure(error)) {
      throw error;
    }
    evidence.push(`FC03 ${hex(probe.address)} ${probe.name} → ${describeFailure(error)}`);
    // As the firmware's scan does: a module without 0x0100 may still answer 0x0000.
    if (isException(error) && probe.address !== 0) {
      try {
        await master.readHoldingRegisters(module.address, 0, 1, request);
        evidence.push('FC03 0x0000 → answered');
        return {
          answered: true,
          check: {
            id,
            level: 'WARN',
            ...said('bus.wrongModule', {
              label,
              address: hex(probe.address),
              register: probe.label,
              map: profile.id,
            }),
            evidence: evidence.join('\n'),
            runbook: RUNBOOK.communication,
          },
        };
      } catch (second) {
        if (!isModbusFailure(second)) {
          throw second;
        }
        evidence.push(`FC03 0x0000 → ${describeFailure(second)}`);
      }
    }
    const answeredAtAll = isException(error);
    return {
      answered: answeredAtAll,
      check: {
        id,
        level: answeredAtAll ? 'WARN' : 'STALE',
        ...(answeredAtAll
          ? said('bus.refusesIdentity', { label, failure: failureSaid(error) })
          : said('bus.absent', { label, failure: failureSaid(error), policy })),
        evidence: evidence.join('\n'),
        runbook: RUNBOOK.communication,
      },
    };
  }

  const findings: { level: HealthLevel; text: Said }[] = [];
  if (deviceId && answeredWith !== undefined && answeredWith !== module.address) {
    findings.push({
      level: 'WARN',
      text: say('bus.idDisagrees', { said: answeredWith, address: module.address }),
    });
  }
  const facts: Said[] = [];
  const extra = [typeRegister, firmware].filter((r): r is RegisterDef => r !== undefined);
  const extraReads = await readRegisters(master, module.address, extra, { ...request, retries: 1 });
  if (typeRegister) {
    const read = extraReads.get(typeRegister.address);
    if (read && 'decoded' in read) {
      evidence.push(line(read.decoded));
      if (profile.typeCode !== undefined && read.decoded.raw !== profile.typeCode) {
        findings.push({
          level: 'WARN',
          text: say('bus.typeDisagrees', { said: read.decoded.text, expected: profile.typeCode }),
        });
      } else {
        facts.push(say('bus.typeIs', { type: read.decoded.meaning ?? read.decoded.text }));
      }
    } else if (read) {
      evidence.push(`FC03 ${hex(typeRegister.address)} ${typeRegister.name} → ${read.failure}`);
    }
  }
  if (firmware) {
    const read = extraReads.get(firmware.address);
    if (read && 'decoded' in read) {
      evidence.push(line(read.decoded));
      facts.push(say('bus.firmwareIs', { version: read.decoded.text }));
    }
  }
  const level = judgedLevel(findings.map((f) => f.level));
  return {
    answered: true,
    check: {
      id,
      level,
      ...(findings.length > 0
        ? said('bus.answersBut', { label, findings: { list: findings.map((f) => f.text), by: '; ' } })
        : said('bus.answers', { label, facts: facts.length > 0 ? say('bus.facts', { facts: { list: facts } }) : '' })),
      evidence: evidence.join('\n'),
      runbook: level === 'OK' ? undefined : RUNBOOK.communication,
    },
  };
}

function judgeGroup(module: BusModule, group: CheckGroup, readings: ReadingMap): CheckResult {
  const id = offlineId(module.type, group);
  const defs = module.profile.registers.filter((r) => r.check === group && r.access !== 'W');
  const decoded: Decoded[] = [];
  const failures: Said[] = [];
  const evidence: string[] = [];
  const metrics: Record<string, number> = {};
  for (const def of defs) {
    const read = readings.get(def.address);
    if (!read) {
      continue;
    }
    if ('decoded' in read) {
      decoded.push(read.decoded);
      evidence.push(line(read.decoded));
      metrics[metricName(def)] = def.enum || def.bits || def.display === 'hex' ? read.decoded.raw : read.decoded.value;
    } else {
      failures.push(say('bus.registerFailed', { address: hex(def.address), label: def.label, failure: read.failure }));
      evidence.push(`${hex(def.address)} ${def.name} → ${read.failure}`);
    }
  }
  const title = say('bus.title', { module: moduleName(module.type), group: say(`bus.group.${group}`) });
  const reasons = decoded.flatMap((d): SaidValue[] => d.reasonsSaid ?? d.reasons.map((text) => ({ raw: text })));
  const judged = judgedLevel(decoded.map((d) => d.level));
  // A register that could not be read leaves the group unjudged only when nothing in it could be.
  const level: HealthLevel =
    decoded.length === 0 ? 'STALE' : failures.length > 0 ? judgedLevel([judged, 'WARN']) : judged;
  const parts: SaidValue[] =
    reasons.length > 0
      ? reasons
      : decoded.slice(0, 3).map((d) => say('bus.reading', { label: lowerFirst(d.label), value: d.text }));
  const more = reasons.length === 0 && decoded.length > 3 ? say('bus.andMore', { count: decoded.length - 3 }) : '';
  const read =
    decoded.length > 0 ? say('bus.group', { title, parts: { list: parts }, more }) : say('bus.groupNotRead', { title });
  const failed =
    failures.length > 0
      ? say('bus.registersNotRead', {
          count: failures.length,
          failures: { list: failures, by: '; ' },
          map: module.profile.id,
        })
      : null;
  return {
    id,
    level,
    ...asMessage(failed === null ? read : say('bus.groupAndFailed', { group: read, failed })),
    evidence: evidence.join('\n'),
    runbook: level === 'OK' || level === 'STALE' ? undefined : runbookFor(module.type, group),
    metrics: Object.keys(metrics).length > 0 ? metrics : undefined,
  };
}

function runbookFor(type: ModuleType, group: CheckGroup): string | undefined {
  if (group === 'estop' || (type === 'safety' && group === 'status')) {
    return RUNBOOK.estop;
  }
  return undefined;
}

// ── line quality ───────────────────────────────────────────────────────────────────────────────────────

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

function judgeLine(module: BusModule, delta: LineDelta): { check: CheckResult } {
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

function busCheck(modules: readonly { module: BusModule; answered: boolean; stats: LineDelta }[]): CheckResult {
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

// ── reading ────────────────────────────────────────────────────────────────────────────────────────────

type Reading = { decoded: Decoded } | { failure: string };
type ReadingMap = Map<number, Reading>;

/**
 * Reads registers in contiguous runs (one request per run, at most 125 words); a run the module refuses is read
 * again register by register, so one missing address does not hide the others.
 */
export async function readRegisters(
  master: ModbusMaster,
  slave: number,
  defs: readonly RegisterDef[],
  request: RequestOptions,
): Promise<ReadingMap> {
  const out: ReadingMap = new Map();
  for (const run of contiguousRuns(defs)) {
    const first = run[0];
    if (!first) {
      continue;
    }
    try {
      const values = await master.readHoldingRegisters(slave, first.address, run.length, request);
      run.forEach((def, i) => out.set(def.address, { decoded: decodeRegister(def, values[i] ?? 0) }));
    } catch (error) {
      if (!isModbusFailure(error)) {
        throw error;
      }
      if (run.length === 1 || !isException(error)) {
        run.forEach((def) => out.set(def.address, { failure: describeFailure(error) }));
        continue;
      }
      for (const def of run) {
        try {
          const [value] = await master.readHoldingRegisters(slave, def.address, 1, request);
          out.set(def.address, { decoded: decodeRegister(def, value ?? 0) });
        } catch (single) {
          if (!isModbusFailure(single)) {
            throw single;
          }
          out.set(def.address, { failure: describeFailure(single) });
        }
      }
    }
  }
  return out;
}

/**
 * Every readable register of a module, decoded with its unit and the raw word beside it, in address order: the
 * register table the technician browses. A register that could not be read carries why instead of a value.
 */
export async function readModuleRegisters(
  master: ModbusMaster,
  module: BusModule,
  request: RequestOptions = {},
): Promise<{ register: RegisterDef; decoded?: Decoded; failure?: string }[]> {
  const defs = module.profile.registers.filter((r) => r.access !== 'W');
  const readings = await readRegisters(master, module.address, defs, request);
  return defs.map((register) => {
    const reading = readings.get(register.address);
    if (reading && 'decoded' in reading) {
      return { register, decoded: reading.decoded };
    }
    return { register, failure: reading?.failure ?? 'not read' };
  });
}

export function contiguousRuns(defs: readonly RegisterDef[]): RegisterDef[][] {
  const sorted = [...defs].sort((a, b) => a.address - b.address);
  const runs: RegisterDef[][] = [];
  let current: RegisterDef[] = [];
  for (const def of sorted) {
    const last = current[current.length - 1];
    if (last && (def.address !== last.address + 1 || current.length >= MAX_READ)) {
      runs.push(current);
      current = [];
    }
    if (!last || def.address !== last.address) {
      current.push(def);
    }
  }
  if (current.length > 0) {
    runs.push(current);
  }
  return runs;
}

/** Errors that mean "the bus or the module said no", as opposed to a bug or a cancelled sweep. */
export function isModbusFailure(error: unknown): boolean {
  return (
    isAppError(error) &&
    ['MODBUS_TIMEOUT', 'MODBUS_CRC', 'MODBUS_EXCEPTION', 'MODBUS_WRONG_SLAVE', 'MODBUS_BAD_FRAME'].includes(error.code)
  );
}

function isException(error: unknown): boolean {
  return isAppError(error) && error.code === 'MODBUS_EXCEPTION';
}

export function describeFailure(error: unknown): string {
  if (!isAppError(error)) {
    return String(error);
  }
  switch (error.code) {
    case 'MODBUS_TIMEOUT':
      return 'no answer';
    case 'MODBUS_CRC':
      return 'reply failed its CRC check';
    case 'MODBUS_EXCEPTION': {
      const code = error.details?.['exceptionCode'];
      const name = error.details?.['exceptionName'];
      return `refused with exception ${typeof code === 'number' ? code.toString(16).padStart(2, '0') : '?'}${typeof name === 'string' ? ` (${name})` : ''}`;
    }
    default:
      return error.message;
  }
}

// ── small helpers ──────────────────────────────────────────────────────────────────────────────────────

function findByName(profile: Rs485Profile, name: string): RegisterDef | undefined {
  return profile.registers.find((r) => r.name === name);
}

function line(d: Decoded): string {
  return `${hex(d.address)} ${d.name} = ${d.text} (raw ${d.rawHex})`;
}

const UNIT_SUFFIX: Readonly<Record<string, string>> = {
  '%': 'Percent',
  '°C': 'C',
  V: 'V',
  mV: 'Mv',
  A: 'A',
  mA: 'Ma',
  W: 'W',
  ms: 'Ms',
  s: 'S',
  mm: 'Mm',
};

/** camelCase metric names ending in their unit, as the health model asks (packVoltageV, stateOfChargePercent). */
function metricName(def: RegisterDef): string {
  if (def.enum || def.bits || def.display === 'hex') {
    return def.name;
  }
  return `${def.name}${UNIT_SUFFIX[def.unit] ?? ''}`;
}

function hex2(address: number): string {
  return `0x${address.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The module's name in the reader's language. */
function moduleName(type: ModuleType): Said {
  return say(`bus.module.${type}`);
}

/** Why a request failed, in words for the verdict (describeFailure says it for the evidence). */
function failureSaid(error: unknown): Said | { raw: string } {
  if (isAppError(error) && error.code === 'MODBUS_TIMEOUT') {
    return say('bus.failNoAnswer');
  }
  if (isAppError(error) && error.code === 'MODBUS_CRC') {
    return say('bus.failCrc');
  }
  if (isAppError(error) && error.code === 'MODBUS_EXCEPTION') {
    const code = error.details?.['exceptionCode'];
    const name = error.details?.['exceptionName'];
    return say('bus.refusedException', {
      code: typeof code === 'number' ? code.toString(16).padStart(2, '0') : '?',
      name: typeof name === 'string' ? say('bus.exceptionName', { name }) : '',
    });
  }
  return { raw: describeFailure(error) };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
