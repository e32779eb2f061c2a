/**
 * Safe writes and parameter restores for the bus page: planned first (old → new, refusals), kept as plans the
 * technician applies by id; a safety-critical register needs confirm: true; each write is verified and audited by
 * safeWrite. Nothing here writes outside planWrite/applyWrite.
 */
import type { ModuleType } from '../../../../shared/domain/rs485Profile';
import type {
  DecodedRegisterView,
  RestorePlanView,
  WritePlanView,
  WriteResultView,
} from '../../../../shared/ipc/contracts/rs485';
import type { Clock } from '../../ports/Clock';
import type { Decoded } from '../decode';
import type { BusModule } from '../diagnosis';
import type { Identified } from '../identifyModule';
import type { ModbusMaster } from '../modbusTypes';
import { applyRestore, planRestore, type ParamsBackup, type RestorePlan } from '../paramsBackup';
import { hex } from '../profiles';
import { applyWrite, planClearErrors, planWrite, type AuditSink, type WritePlan, type WriteResult } from '../safeWrite';
import { PlanStore } from './planStore';

/** A decoded word as the contract carries it. */
export const decodedView = (d: Decoded): DecodedRegisterView => ({
  address: d.address,
  name: d.name,
  label: d.label,
  raw: d.raw,
  rawHex: d.rawHex,
  value: d.value,
  unit: d.unit,
  text: d.text,
  level: d.level,
});

export function planView(
  plan: WritePlan,
  ids: { planId: string; busId: string; expiresAt: string },
  identity: WritePlanView['identity'],
): WritePlanView {
  const r = plan.register;
  return {
    ...ids,
    action: plan.action,
    unit: plan.unit,
    module: plan.module,
    register: r
      ? {
          name: r.name,
          label: r.label,
          address: r.address,
          addressHex: hex(r.address),
          unit: r.unit,
          access: r.access,
          safetyCritical: r.safetyCritical,
        }
      : null,
    old: plan.old ? decodedView(plan.old) : null,
    new: plan.new,
    ...(plan.refused !== undefined ? { refused: plan.refused } : {}),
    needsConfirmation: plan.needsConfirmation,
    unchanged: plan.unchanged,
    summary: plan.summary,
    identity,
  };
}

export function resultView(planId: string, result: WriteResult, actor: string): WriteResultView {
  return {
    planId,
    outcome: result.outcome,
    message: result.message,
    ...(result.readBack ? { readBack: decodedView(result.readBack) } : {}),
    audit: { seq: result.audit.seq, id: result.audit.id, actor },
  };
}

/** A restore plan as the page shows it: per module, what would change (now → backed up), what is already so, what not. */
export function restorePlanView(
  planned: { planId: string; busId: string; backupId: string; expiresAt: string; plans: readonly RestorePlan[] },
  unreachable: RestorePlanView['modules'],
): RestorePlanView {
  return {
    planId: planned.planId,
    busId: planned.busId,
    backupId: planned.backupId,
    expiresAt: planned.expiresAt,
    needsConfirmation: planned.plans.some((p) =>
      p.differences.some((d) => d.safetyCritical && d.plan.refused === undefined),
    ),
    modules: [
      ...planned.plans.map((p) => ({
        type: p.module.type,
        address: p.module.address,
        profileId: p.module.profile.id,
        ...(p.refused !== undefined ? { refused: p.refused } : {}),
        differences: p.differences.map((d) => ({
          name: d.name,
          label: d.label,
          address: d.address,
          backupRaw: d.backupRaw,
          currentRaw: d.currentRaw,
          change: d.change,
          safetyCritical: d.safetyCritical,
          ...(d.plan.refused !== undefined ? { refused: d.plan.refused } : {}),
        })),
        same: p.same,
        skipped: p.skipped,
      })),
      ...unreachable,
    ],
  };
}

type StoredWrite = { plan: WritePlan; port: string };
type StoredRestore = { plans: RestorePlan[]; unit: string | null };

export type RestoreResultRow = {
  type: ModuleType;
  address: number;
  name: string;
  outcome: 'ok' | 'failed' | 'refused';
  message: string;
  audit: { seq: number; id: string };
};

export class WritePlans {
  private readonly writes: PlanStore<StoredWrite>;
  private readonly restores: PlanStore<StoredRestore>;

  constructor(private readonly deps: { clock: Clock; audit: AuditSink }) {
    this.writes = new PlanStore(deps.clock, 'write plan');
    this.restores = new PlanStore(deps.clock, 'restore plan');
  }

  async plan(
    busId: string,
    master: ModbusMaster,
    port: string,
    identified: Extract<Identified, { ok: true }>,
    request: {
      action: 'write' | 'clearErrors';
      register?: string | number | undefined;
      value?: string | number | undefined;
      unit: string | null;
    },
  ): Promise<WritePlanView> {
    const { module, source, typeRaw, notes } = identified;
    const plan =
      request.action === 'clearErrors'
        ? await planClearErrors(master, module, { unit: request.unit })
        : await planWrite(master, module, request.register ?? '', request.value ?? '', { unit: request.unit });
    const ids = this.writes.put(busId, { plan, port });
    return planView(plan, { ...ids, busId }, { source, typeRaw, notes });
  }

  /** Takes the plan (once) and applies it on the bus it was made on. */
  async apply(
    planId: string,
    confirm: boolean,
    actor: string,
    masterOf: (busId: string) => ModbusMaster,
  ): Promise<WriteResultView> {
    const { busId, value } = this.writes.take(planId);
    const master = masterOf(busId);
    const result = await applyWrite(master, value.plan, {
      audit: this.deps.audit,
      actor,
      port: value.port,
      confirmation: confirm ? value.plan.confirmationToken : undefined,
    });
    return resultView(planId, result, actor);
  }

  async planRestore(
    busId: string,
    master: ModbusMaster,
    backup: ParamsBackup,
    modules: readonly BusModule[],
    unit: string | null,
  ): Promise<{ planId: string; expiresAt: string; plans: RestorePlan[] }> {
    const plans: RestorePlan[] = [];
    for (const module of modules) {
      if (backup.modules.some((m) => m.type === module.type)) {
        plans.push(await planRestore(master, backup, module, { unit }));
      }
    }
    const ids = this.restores.put(busId, { plans, unit });
    return { ...ids, plans };
  }

  async restore(
    planId: string,
    options: { only?: readonly string[] | undefined; confirm: boolean; actor: string },
    masterOf: (busId: string) => ModbusMaster,
  ): Promise<RestoreResultRow[]> {
    const { busId, value } = this.restores.take(planId);
    const master = masterOf(busId);
    const rows: RestoreResultRow[] = [];
    for (const plan of value.plans) {
      if (plan.refused !== undefined) {
        continue;
      }
      // The technician's confirm covers the safety-critical differences shown in this plan, and only those.
      const confirmations = options.confirm
        ? Object.fromEntries(
            plan.differences.flatMap((d) =>
              d.plan.confirmationToken !== undefined ? [[d.name, d.plan.confirmationToken] as const] : [],
            ),
          )
        : undefined;
      const results = await applyRestore(master, plan, {
        audit: this.deps.audit,
        actor: options.actor,
        only: options.only,
        confirmations,
      });
      for (const { name, result } of results) {
        rows.push({
          type: plan.module.type,
          address: plan.module.address,
          name,
          outcome: result.outcome,
          message: result.message,
          audit: { seq: result.audit.seq, id: result.audit.id },
        });
      }
    }
    return rows;
  }

  dropBus(busId: string): void {
    this.writes.dropBus(busId);
    this.restores.dropBus(busId);
  }
}
