import type { Said, SaidValue } from '../../../shared/domain/said';
import { asMessage, said, say } from '../../../shared/domain/words';
import { judgedLevel, type CheckResult, type HealthLevel } from '../../../shared/domain/health';
import {
  CHECK_GROUPS,
  WELL_KNOWN,
  type CheckGroup,
  type ModuleType,
  type RegisterDef,
} from '../../../shared/domain/rs485Profile';
import { MODULE_LABELS } from '../../../shared/domain/rs485Text';
import { RUNBOOK } from '../diagnostics/runbook';
import type { Decoded } from './decode';
import { busCheck, judgeLine, lineDelta, type LineDelta } from './lineHealth';
import type { ModbusMaster, RequestOptions } from './modbusTypes';
import { isModbusFailure, readRegisters, type BusModule, type ReadingMap } from './moduleRegisters';
import { checkPresence } from './modulePresence';
import { findByName, hex2, line, moduleName, OFFLINE_ROOT, offlineId } from './offlineWords';
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

export type { BusModule };

export type OfflineDiagnosisOptions = {
  /** Extra identity reads per answering module, to measure latency; 5 unless told. */
  lineSamples?: number;
  /** Reply timeout per request; the master's own when absent. */
  timeoutMs?: number;
  /** Attempts for the identity read, as the firmware's scan (3). */
  presenceAttempts?: number;
  signal?: AbortSignal;
};

export { MODULE_LABELS, OFFLINE_ROOT, offlineId };
export { lineDelta, percentile, type LineDelta } from './lineHealth';
export {
  contiguousRuns,
  describeFailure,
  isModbusFailure,
  readModuleRegisters,
  readRegisters,
} from './moduleRegisters';

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

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
