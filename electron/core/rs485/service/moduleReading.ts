/**
 * A module's registers as the bus page shows them: what the map says about each (name, unit, access, limits,
 * safety-critical, enum and bit meanings) and what it holds now, decoded, with the raw word beside the value.
 */
import type { RegisterDef, Rs485Profile } from '../../../../shared/domain/rs485Profile';
import type { ModuleReading, RegisterReading } from '../../../../shared/ipc/contracts/rs485';
import type { Clock } from '../../ports/Clock';
import type { Decoded } from '../decode';
import { readModuleRegisters } from '../diagnosis';
import type { Identified } from '../identifyModule';
import type { ModbusMaster, RequestOptions } from '../modbusTypes';
import { hex } from '../profiles';

export function registerReading(register: RegisterDef, decoded?: Decoded, failure?: string): RegisterReading {
  const raw = decoded?.raw ?? null;
  return {
    address: register.address,
    addressHex: hex(register.address),
    name: register.name,
    label: register.label,
    unit: register.unit,
    access: register.access,
    safetyCritical: register.safetyCritical,
    min: register.min,
    max: register.max,
    ...(register.enum ? { enumValues: register.enum.map((e) => ({ value: e.value, name: e.name })) } : {}),
    ...(register.bits
      ? {
          bits: register.bits.map((b) => ({
            bit: b.bit,
            name: b.name,
            set: raw !== null && (raw & (1 << b.bit)) !== 0,
          })),
        }
      : {}),
    raw,
    rawHex: decoded?.rawHex ?? null,
    value: decoded?.value ?? null,
    text: decoded?.text ?? null,
    ...(decoded?.meaning !== undefined ? { meaning: decoded.meaning } : {}),
    level: decoded?.level ?? null,
    reasons: decoded?.reasons ?? [],
    failure: decoded ? null : (failure ?? 'not read'),
  };
}

/** Reads every readable register of an identified module (one request per contiguous run). */
export async function readModule(
  master: ModbusMaster,
  busId: string,
  id: Extract<Identified, { ok: true }>,
  clock: Clock,
  request: RequestOptions = {},
): Promise<ModuleReading> {
  const started = clock.now();
  const readAt = clock.nowIso();
  const rows = await readModuleRegisters(master, id.module, request);
  return {
    busId,
    slave: id.module.address,
    type: id.module.type,
    typeRaw: id.typeRaw,
    source: id.source,
    profile: profileRef(id.module.profile),
    notes: id.notes,
    readAt,
    durationMs: Math.max(0, clock.now() - started),
    registers: rows.map((row) => registerReading(row.register, row.decoded, row.failure)),
  };
}

/** The map a reading was decoded by, as the bus page names it: whose file, and what it changed from the shipped one. */
export function profileRef(profile: Rs485Profile): ModuleReading['profile'] {
  return {
    id: profile.id,
    version: profile.version,
    title: profile.title,
    source: profile.origin,
    supersedes: profile.supersedes ?? null,
    keptFlags: profile.keptFlags ?? [],
  };
}
