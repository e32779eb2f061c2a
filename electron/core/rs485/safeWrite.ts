import { randomUUID } from 'node:crypto';

import { WELL_KNOWN, type RegisterDef } from '../../../shared/domain/rs485Profile';
import { hexByte } from '../../../shared/domain/rs485Text';
import type { JsonValue } from '../../../shared/errors/AppError';
import type { AuditInput, AuditOutcome, AuditReceipt } from '../history/auditRecord';
import { decodeRegister, encodeValue, formatValue, parseValueInput, rawHex, type Decoded } from './decode';
import { describeFailure, isModbusFailure, MODULE_LABELS, type BusModule } from './diagnosis';
import type { ModbusMaster, RequestOptions } from './modbusTypes';
import { performWrite } from './performWrite';
import { findRegister, hex } from './profiles';

/**
 * Writing one register of a module, the careful way: the write names the register from the map and is planned
 * first (old → new, or why not: read-only, out of range, unknown); a safety-critical register needs the plan's
 * confirmation token back; the value is checked not to have moved since the plan, written, read back and verified;
 * and every attempt that got as far as applying, refused or not, lands in the audit log.
 */

export type WriteAction = 'rs485.write' | 'rs485.clearErrors' | 'rs485.restore';

export type WritePlan = {
  action: WriteAction;
  unit: string | null;
  module: { type: BusModule['type']; address: number; profileId: string; profileVersion: number };
  /** The register as the map names it; undefined when the name matched nothing. */
  register: RegisterDef | undefined;
  /** What the register holds now; null for a command (nothing to read) or when nothing could be read. */
  old: Decoded | null;
  /** What would be written, in the register's units and raw. */
  new: { value: number; raw: number; text: string } | null;
  /** Why this write will not be made; absent when it may be. */
  refused?: string | undefined;
  needsConfirmation: boolean;
  /** Give this back to applyWrite to confirm a safety-critical write. */
  confirmationToken?: string | undefined;
  /** The value is already what would be written. */
  unchanged: boolean;
  /** The read that proves the write: the register itself, or the one a command shows its effect in. */
  verify: { register: RegisterDef; expectRaw: number } | null;
  /** "Power 0x02 Charger voltage setpoint (chargerVoltageSet, 0x0030): 25.2 V → 24.5 V" */
  summary: string;
};

export type WriteResult = {
  outcome: AuditOutcome;
  message: string;
  /** What the verifying read found (the register itself, or the one a command proves itself by). */
  readBack?: Decoded | undefined;
  audit: AuditReceipt;
};

/** The audit log as this needs it: HistoryRepository fits. */
export type AuditSink = { appendAudit(entry: AuditInput): AuditReceipt };

export type ApplyOptions = {
  audit: AuditSink;
  actor: string;
  /** The plan's confirmationToken, when the technician confirmed a safety-critical write. */
  confirmation?: string | undefined;
  request?: RequestOptions | undefined;
  /** The bus's port, for messages and the audit trail. */
  port?: string | undefined;
};

export async function planWrite(
  master: ModbusMaster,
  module: BusModule,
  ref: string | number,
  input: string | number,
  options: { unit: string | null; action?: WriteAction; request?: RequestOptions } = { unit: null },
): Promise<WritePlan> {
  const action = options.action ?? 'rs485.write';
  const where = `${MODULE_LABELS[module.type]} ${hexByte(module.address)}`;
  const base = {
    action,
    unit: options.unit,
    module: {
      type: module.type,
      address: module.address,
      profileId: module.profile.id,
      profileVersion: module.profile.version,
    },
  };
  const refuse = (register: RegisterDef | undefined, reason: string, old: Decoded | null = null): WritePlan => ({
    ...base,
    register,
    old,
    new: null,
    refused: reason,
    needsConfirmation: false,
    unchanged: false,
    verify: null,
    summary: `${where} ${register ? describe(register) : String(ref)}: ${reason}`,
  });

  const register = findRegister(module.profile, ref);
  if (!register) {
    return refuse(undefined, `the map ${module.profile.id} has no register ${String(ref)}`);
  }
  if (register.access === 'R') {
    return refuse(register, `${register.label} is read-only`);
  }
  const value = parseValueInput(register, input);
  if (value === undefined) {
    return refuse(register, `"${String(input)}" is not a value for ${register.label}`);
  }
  const encoded = encodeValue(register, value);
  if (!encoded.ok) {
    return refuse(register, encoded.reason);
  }

  let old: Decoded | null = null;
  if (register.access === 'RW') {
    try {
      const [raw] = await master.readHoldingRegisters(module.address, register.address, 1, options.request);
      old = decodeRegister(register, raw ?? 0);
    } catch (error) {
      if (!isModbusFailure(error)) {
        throw error;
      }
      return refuse(register, `its current value could not be read (${describeFailure(error)})`);
    }
  }
  const next = { value: encoded.value, raw: encoded.raw, text: formatValue(register, encoded.value) };
  const unchanged = old !== null && old.raw === encoded.raw;
  const needsConfirmation = register.safetyCritical;
  const verify = verification(module, register, encoded.raw);
  const arrow = register.access === 'W' ? `command ${next.text}` : `${old?.text ?? '?'} → ${next.text}`;
  return {
    ...base,
    register,
    old,
    new: next,
    needsConfirmation,
    confirmationToken: needsConfirmation ? randomUUID() : undefined,
    unchanged,
    verify,
    summary: `${where} ${describe(register)}: ${arrow}${unchanged ? ' (already so)' : ''}${needsConfirmation ? ' [safety-critical: confirm]' : ''}`,
  };
}

/** The read that proves the write: the register a command shows its effect in, or the register itself. */
function verification(module: BusModule, register: RegisterDef, raw: number): WritePlan['verify'] {
  const proof = register.afterWrite ? findRegister(module.profile, register.afterWrite.read) : register;
  if (register.afterWrite && proof) {
    return { register: proof, expectRaw: register.afterWrite.expect };
  }
  return register.access === 'RW' ? { register, expectRaw: raw } : null;
}

/** Clearing a module's errors: the reset-errors command (0x0109 on the code maps), verified by the error register. */
export function planClearErrors(
  master: ModbusMaster,
  module: BusModule,
  options: { unit: string | null; request?: RequestOptions },
): Promise<WritePlan> {
  return planWrite(master, module, WELL_KNOWN.resetErrors, 1, { ...options, action: 'rs485.clearErrors' });
}

/** Records one outcome of applying a plan in the audit log, and answers it. */
type Recorder = (
  outcome: AuditOutcome,
  message: string,
  extra?: Record<string, JsonValue>,
  readBack?: Decoded,
) => WriteResult;

export async function applyWrite(master: ModbusMaster, plan: WritePlan, options: ApplyOptions): Promise<WriteResult> {
  const record: Recorder = (outcome, message, extra = {}, readBack) => {
    const audit = options.audit.appendAudit({
      actor: options.actor,
      unit: plan.unit,
      action: plan.action,
      outcome,
      details: {
        ...auditDetails(plan, options.confirmation !== undefined),
        ...(options.port === undefined ? {} : { port: options.port }),
        ...extra,
        message,
      },
    });
    return { outcome, message, readBack, audit };
  };

  const register = plan.register;
  if (plan.refused !== undefined || !register || !plan.new) {
    return record('refused', plan.refused ?? 'the plan has nothing to write');
  }
  if (
    plan.needsConfirmation &&
    (options.confirmation === undefined || options.confirmation !== plan.confirmationToken)
  ) {
    return record(
      'refused',
      `${register.label} is safety-critical: the write needs the technician's explicit confirmation of this plan`,
    );
  }
  const moved = await movedSincePlan(master, plan, register, options, record);
  if (moved) {
    return moved;
  }
  try {
    // Applying the plan is the technician's go-ahead (and, for a safety-critical register, its token was checked).
    await performWrite(
      master,
      {
        port: options.port ?? 'rs485',
        slave: plan.module.address,
        register: register.address,
        value: plan.new.raw,
        confirmed: true,
      },
      { requestOptions: options.request },
    );
  } catch (error) {
    if (!isModbusFailure(error)) {
      throw error;
    }
    return record('failed', `the write of ${register.label} failed: ${describeFailure(error)}`);
  }
  return verifyWrite(master, plan, register, options, record);
}

/** A value that changed since the plan is not overwritten: the refusal (or the failed read), or null to go on. */
async function movedSincePlan(
  master: ModbusMaster,
  plan: WritePlan,
  register: RegisterDef,
  options: ApplyOptions,
  record: Recorder,
): Promise<WriteResult | null> {
  if (register.access !== 'RW' || !plan.old) {
    return null;
  }
  try {
    const [now] = await master.readHoldingRegisters(plan.module.address, register.address, 1, options.request);
    if ((now ?? 0) === plan.old.raw) {
      return null;
    }
    const moved = decodeRegister(register, now ?? 0);
    return record(
      'refused',
      `${register.label} changed since the plan (${plan.old.text} then, ${moved.text} now): plan the write again`,
      { nowRaw: moved.raw },
    );
  } catch (error) {
    if (!isModbusFailure(error)) {
      throw error;
    }
    return record(
      'failed',
      `nothing written: ${register.label} could not be read before writing (${describeFailure(error)})`,
    );
  }
}

/** Verify: a value reads back as written; a command by the register that shows its effect. */
async function verifyWrite(
  master: ModbusMaster,
  plan: WritePlan,
  register: RegisterDef,
  options: ApplyOptions,
  record: Recorder,
): Promise<WriteResult> {
  const proof = plan.verify ? { def: plan.verify.register, expect: plan.verify.expectRaw } : undefined;
  if (!proof) {
    return record('ok', `${register.label}: command sent; the map names no register that shows its effect`);
  }
  let readBack: Decoded;
  try {
    const [raw] = await master.readHoldingRegisters(plan.module.address, proof.def.address, 1, options.request);
    readBack = decodeRegister(proof.def, raw ?? 0);
  } catch (error) {
    if (!isModbusFailure(error)) {
      throw error;
    }
    return record(
      'failed',
      `written, but the read-back of ${proof.def.label} failed (${describeFailure(error)}): its value is unknown, read it again`,
    );
  }
  const extra = { readBackRaw: readBack.raw, readBackRegister: proof.def.name };
  if (readBack.raw !== proof.expect) {
    const expected = decodeRegister(proof.def, proof.expect).text;
    const message = register.afterWrite
      ? `${register.label} sent, but ${proof.def.label} is still ${readBack.text} (expected ${expected}): the cause is probably still there`
      : `verify failed: wrote ${expected} (${rawHex(proof.expect)}) to ${register.label}, read back ${readBack.text} (${readBack.rawHex})`;
    return record('failed', message, extra, readBack);
  }
  return record(
    'ok',
    register.afterWrite
      ? `${register.label} done: ${proof.def.label} is ${readBack.text}`
      : `${register.label} is now ${readBack.text}, verified by reading it back`,
    extra,
    readBack,
  );
}

function auditDetails(plan: WritePlan, confirmed: boolean): Record<string, JsonValue> {
  const register = plan.register;
  return {
    module: plan.module.type,
    slave: plan.module.address,
    profile: `${plan.module.profileId}@${plan.module.profileVersion}`,
    register: register?.name ?? null,
    address: register ? hex(register.address) : null,
    safetyCritical: register?.safetyCritical ?? false,
    confirmed,
    oldRaw: plan.old?.raw ?? null,
    oldText: plan.old?.text ?? null,
    newRaw: plan.new?.raw ?? null,
    newText: plan.new?.text ?? null,
  };
}

function describe(register: RegisterDef): string {
  return `${register.label} (${register.name}, ${hex(register.address)})`;
}
