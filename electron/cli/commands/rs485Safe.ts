import { MODULE_TYPES, type ModuleType } from '../../../shared/domain/rs485Profile';
import { hex4, MODULE_LABELS } from '../../../shared/domain/rs485Text';
import type { JsonValue } from '../../../shared/errors/AppError';
import type { DecodedRegisterView, WritePlanView, WriteResultView } from '../../../shared/ipc/contracts/rs485';
import { stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';

/** How reads and writes by the register map read on the command line: the module, the plan, the result. */

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

type IdentifiedModule = {
  module: WritePlanView['module'];
  identity: WritePlanView['identity'];
};

/** "Power module at slave 2 (says 0x0104 = 2); map power-code version 1" */
export function identifiedLine({ module, identity }: IdentifiedModule): string {
  const how = identity.source === 'register' ? `says 0x0104 = ${identity.typeRaw ?? '?'}` : 'named by --type';
  return `${MODULE_LABELS[module.type]} module at slave ${module.address} (${how}); map ${module.profileId} version ${module.profileVersion}`;
}

export function planJson(plan: WritePlanView): Record<string, JsonValue> {
  const { type, address, profileId, profileVersion } = plan.module;
  return {
    module: { type, address, profileId, profileVersion },
    register: plan.register
      ? { name: plan.register.name, label: plan.register.label, address: hex4(plan.register.address) }
      : null,
    old: plan.old ? decodedJson(plan.old) : null,
    new: plan.new,
    refused: plan.refused ?? null,
    safetyCritical: plan.needsConfirmation,
    unchanged: plan.unchanged,
    summary: plan.summary,
  };
}

export function resultJson(result: WriteResultView): Record<string, JsonValue> {
  return {
    outcome: result.outcome,
    verified: result.outcome === 'ok' && result.readBack !== undefined,
    message: result.message,
    readBack: result.readBack ? decodedJson(result.readBack) : null,
    audit: { seq: result.audit.seq, id: result.audit.id },
  };
}

export function decodedJson(d: DecodedRegisterView): Record<string, JsonValue> {
  return {
    address: hex4(d.address),
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
export function decodedLine(d: DecodedRegisterView): string {
  return `${hex4(d.address)} ${d.name} (${d.label}): ${d.text}  raw ${d.raw} (${d.rawHex})`;
}
