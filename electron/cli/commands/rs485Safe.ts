import { MODULE_TYPES, type ModuleType } from '../../../shared/domain/rs485Profile';
import type { JsonValue } from '../../../shared/errors/AppError';
import { decodeRegister, type Decoded } from '../../core/rs485/decode';
import { MODULE_LABELS } from '../../core/rs485/diagnosis';
import { identifyModule, type Identified } from '../../core/rs485/identifyModule';
import type { ModbusMaster } from '../../core/rs485/modbusTypes';
import {
  loadProfileCatalog,
  readSelection,
  userProfilesDir,
  hex,
  type ProfileCatalog,
  type VariantSelection,
} from '../../core/rs485/profiles';
import type { WritePlan, WriteResult } from '../../core/rs485/safeWrite';
import { stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { ReadDecoder, ReadDecoding, RegisterRead } from './rs485';

/** The register maps the CLI reads and writes by: shipped, and the technician's own in the data folder. */
export type LoadedProfiles = { catalog: ProfileCatalog; selection: VariantSelection };

export async function loadCliProfiles(dataDir: string, shippedDir: string): Promise<LoadedProfiles> {
  const userDir = userProfilesDir(dataDir);
  const catalog = await loadProfileCatalog({ shippedDir, userDir });
  return { catalog, selection: await readSelection(userDir) };
}

/** `--type power|safety|travel|dock`: what the module is when it does not say so itself. */
export function typeOption(parsed: Parsed): ModuleType | undefined {
  const raw = stringOption(parsed, 'type');
  if (raw === undefined) {
    return undefined;
  }
  const type = MODULE_TYPES.find((t) => t === raw);
  if (type === undefined) {
    throw new UsageError(`--type must be one of ${MODULE_TYPES.join(', ')}, not "${raw}"`);
  }
  return type;
}

/** Who did it, for the audit log: the operating-system user, as the core's own default. */
export function cliActor(env: Record<string, string | undefined>): string {
  return env.USER ?? env.USERNAME ?? 'technician';
}

export function identifiedLine(id: Extract<Identified, { ok: true }>): string {
  const how = id.source === 'register' ? `says 0x0104 = ${id.typeRaw ?? '?'}` : 'named by --type';
  return `${MODULE_LABELS[id.module.type]} module at slave ${id.module.address} (${how}); map ${id.module.profile.id} version ${id.module.profile.version}`;
}

export function planJson(plan: WritePlan): Record<string, JsonValue> {
  return {
    module: plan.module,
    register: plan.register
      ? { name: plan.register.name, label: plan.register.label, address: hex(plan.register.address) }
      : null,
    old: plan.old ? decodedJson(plan.old) : null,
    new: plan.new,
    refused: plan.refused ?? null,
    safetyCritical: plan.needsConfirmation,
    unchanged: plan.unchanged,
    summary: plan.summary,
  };
}

export function resultJson(result: WriteResult): Record<string, JsonValue> {
  return {
    outcome: result.outcome,
    verified: result.outcome === 'ok' && result.readBack !== undefined,
    message: result.message,
    readBack: result.readBack ? decodedJson(result.readBack) : null,
    audit: { seq: result.audit.seq, id: result.audit.id },
  };
}

export function decodedJson(d: Decoded): Record<string, JsonValue> {
  return {
    address: hex(d.address),
    name: d.name,
    label: d.label,
    value: d.value,
    unit: d.unit,
    text: d.text,
    raw: d.raw,
    rawHex: d.rawHex,
    level: d.level,
  };
}

/** "0x0030 chargerVoltageSet (Charger voltage setpoint): 24.5 V  raw 245 (0x00F5)" */
export function decodedLine(d: Decoded): string {
  return `${hex(d.address)} ${d.name} (${d.label}): ${d.text}  raw ${d.raw} (${d.rawHex})`;
}

/**
 * The default decoder of `ohtw rs485 read`: the module at the slave is identified (0x0104, or `--type`) and every
 * register of the read its map knows is shown by name, with its value and unit and the raw word. Input registers
 * and slaves that cannot be identified are left raw.
 */
export function profileDecoder(profiles: LoadedProfiles, override: ModuleType | undefined): ReadDecoder {
  return async (read: RegisterRead, master: ModbusMaster): Promise<ReadDecoding | null> => {
    if (read.function !== 'holding') {
      return null;
    }
    const id = await identifyModule(master, read.slave, profiles.catalog, {
      override,
      selection: profiles.selection,
    });
    if (!id.ok) {
      return { lines: [`(not decoded: ${id.reason})`], json: { module: null, reason: id.reason } };
    }
    const decoded: Decoded[] = [];
    read.values.forEach((raw, i) => {
      const def = id.module.profile.registers.find((r) => r.address === read.register + i);
      if (def && def.access !== 'W') {
        decoded.push(decodeRegister(def, raw));
      }
    });
    const map = `${id.module.profile.id}@${id.module.profile.version}`;
    return {
      lines: [
        `${identifiedLine(id)}:`,
        ...(decoded.length === 0 ? ['(the map names none of these registers)'] : decoded.map(decodedLine)),
      ],
      json: { module: id.module.type, profile: map, registers: decoded.map(decodedJson) },
    };
  };
}
