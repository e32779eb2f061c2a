import { randomUUID } from 'node:crypto';

import type BetterSqlite3 from 'better-sqlite3';

import { ModuleTypeSchema, type ModuleType, type RegisterDef } from '../../../shared/domain/rs485Profile';
import { AppError } from '../../../shared/errors/AppError';
import { toDbError } from '../history/dbErrors';
import type { Clock } from '../ports/Clock';
import { decodeRegister, rawHex } from './decode';
import { MODULE_LABELS, readRegisters, type BusModule } from './diagnosis';
import type { ModbusMaster, RequestOptions } from './modbusTypes';
import { findRegister, hex } from './profiles';
import { applyWrite, planWrite, type AuditSink, type WritePlan, type WriteResult } from './safeWrite';

/**
 * Module parameters backup: every writable register of each module read into the fleet history, with the map it
 * was read by; and the way back, register by register through the safe-write rules, differences shown first.
 */

export type BackedUpValue = { address: number; name: string; raw: number | null; error: string | null };

export type ModuleBackup = {
  type: ModuleType;
  slave: number;
  profileId: string;
  profileVersion: number;
  values: BackedUpValue[];
};

export type ParamsBackup = {
  id: string;
  unit: string | null;
  takenAt: string;
  takenBy: string;
  note: string | null;
  modules: ModuleBackup[];
};

export type ParamsBackupSummary = Omit<ParamsBackup, 'modules'> & {
  modules: { type: ModuleType; registers: number; unread: number }[];
};

/** The registers a backup holds: the writable ones (commands are actions, not parameters). */
export function parameterRegisters(module: BusModule): RegisterDef[] {
  return module.profile.registers.filter((r) => r.access === 'RW');
}

export async function backupParameters(
  master: ModbusMaster,
  modules: readonly BusModule[],
  options: {
    unit: string | null;
    actor: string;
    note?: string | undefined;
    store: ParamsBackupStore;
    audit: AuditSink;
    request?: RequestOptions | undefined;
  },
): Promise<ParamsBackup> {
  const read: ModuleBackup[] = [];
  for (const module of modules) {
    const defs = parameterRegisters(module);
    const readings = await readRegisters(master, module.address, defs, { retries: 1, ...options.request });
    read.push({
      type: module.type,
      slave: module.address,
      profileId: module.profile.id,
      profileVersion: module.profile.version,
      values: defs.map((def) => {
        const reading = readings.get(def.address);
        return reading && 'decoded' in reading
          ? { address: def.address, name: def.name, raw: reading.decoded.raw, error: null }
          : { address: def.address, name: def.name, raw: null, error: reading?.failure ?? 'not read' };
      }),
    });
  }
  const backup = options.store.save({
    unit: options.unit,
    takenBy: options.actor,
    note: options.note ?? null,
    modules: read,
  });
  const unread = read.reduce((n, m) => n + m.values.filter((v) => v.raw === null).length, 0);
  const total = read.reduce((n, m) => n + m.values.length, 0);
  options.audit.appendAudit({
    actor: options.actor,
    unit: options.unit,
    action: 'rs485.backup',
    outcome: unread === total && total > 0 ? 'failed' : 'ok',
    details: {
      backupId: backup.id,
      modules: read.map((m) => `${m.type}@${m.slave} ${m.profileId}@${m.profileVersion}`),
      registers: total,
      unread,
    },
  });
  return backup;
}

// ── restore ────────────────────────────────────────────────────────────────────────────────────────────

export type RestoreDifference = {
  name: string;
  address: number;
  label: string;
  backupRaw: number;
  currentRaw: number;
  /** "25.2 V → 24.5 V" in the order the restore would go: now → backed up. */
  change: string;
  safetyCritical: boolean;
  plan: WritePlan;
};

export type RestorePlan = {
  backupId: string;
  module: BusModule;
  differences: RestoreDifference[];
  /** Registers already as backed up. */
  same: string[];
  /** Registers that will not be restored, and why. */
  skipped: { name: string; reason: string }[];
  /** Why nothing of this backup may be restored to this module; absent when it may. */
  refused?: string | undefined;
};

/** What restoring one module of a backup would change; nothing is written. */
export async function planRestore(
  master: ModbusMaster,
  backup: ParamsBackup,
  module: BusModule,
  options: { unit: string | null; request?: RequestOptions | undefined },
): Promise<RestorePlan> {
  const saved = backup.modules.find((m) => m.type === module.type);
  const plan: RestorePlan = { backupId: backup.id, module, differences: [], same: [], skipped: [] };
  const label = MODULE_LABELS[module.type];
  if (!saved) {
    return { ...plan, refused: `backup ${backup.id} holds no ${label} module` };
  }
  if (saved.profileId !== module.profile.id) {
    return {
      ...plan,
      refused: `the ${label} module was backed up with the map ${saved.profileId} and is now read with ${module.profile.id}: the registers do not mean the same`,
    };
  }
  const current = await readRegisters(
    master,
    module.address,
    saved.values
      .map((v) => findRegister(module.profile, v.address))
      .filter((d): d is RegisterDef => d !== undefined && d.access === 'RW'),
    { retries: 1, ...options.request },
  );
  for (const value of saved.values) {
    const def = findRegister(module.profile, value.address);
    if (!def || def.name !== value.name || def.access !== 'RW') {
      plan.skipped.push({
        name: value.name,
        reason: `${hex(value.address)} is not the writable register ${value.name} in ${module.profile.id} version ${module.profile.version}`,
      });
      continue;
    }
    if (value.raw === null) {
      plan.skipped.push({
        name: value.name,
        reason: `it could not be read when backed up (${value.error ?? 'unknown'})`,
      });
      continue;
    }
    const now = current.get(def.address);
    if (!now || !('decoded' in now)) {
      plan.skipped.push({
        name: value.name,
        reason: `its current value could not be read (${now?.failure ?? 'not read'})`,
      });
      continue;
    }
    if (now.decoded.raw === value.raw) {
      plan.same.push(value.name);
      continue;
    }
    const write = await planWrite(master, module, def.name, rawHex(value.raw), {
      unit: options.unit,
      action: 'rs485.restore',
      request: options.request,
    });
    plan.differences.push({
      name: def.name,
      address: def.address,
      label: def.label,
      backupRaw: value.raw,
      currentRaw: now.decoded.raw,
      change: `${now.decoded.text} → ${decodeRegister(def, value.raw).text}`,
      safetyCritical: def.safetyCritical,
      plan: write,
    });
  }
  return plan;
}

/**
 * Writes the chosen differences back through applyWrite: each one checked, verified and audited on its own.
 * A safety-critical one needs its plan's token in `confirmations` (by register name), or it is refused.
 */
export async function applyRestore(
  master: ModbusMaster,
  plan: RestorePlan,
  options: {
    audit: AuditSink;
    actor: string;
    /** Register names to restore; all differences when absent. */
    only?: readonly string[] | undefined;
    confirmations?: Readonly<Record<string, string>> | undefined;
    request?: RequestOptions | undefined;
  },
): Promise<{ name: string; result: WriteResult }[]> {
  if (plan.refused !== undefined) {
    throw new AppError('PRECONDITION_FAILED', plan.refused, { details: { backupId: plan.backupId } });
  }
  const chosen = plan.differences.filter((d) => options.only === undefined || options.only.includes(d.name));
  const out: { name: string; result: WriteResult }[] = [];
  for (const difference of chosen) {
    const result = await applyWrite(master, difference.plan, {
      audit: options.audit,
      actor: options.actor,
      confirmation: options.confirmations?.[difference.name],
      request: options.request,
    });
    out.push({ name: difference.name, result });
  }
  return out;
}

/** One line per difference, for the technician to read before anything is written. */
export function describeRestore(plan: RestorePlan): string[] {
  if (plan.refused !== undefined) {
    return [`not restorable: ${plan.refused}`];
  }
  return [
    ...plan.differences.map(
      (d) => `${hex(d.address)} ${d.label}: ${d.change}${d.safetyCritical ? ' [safety-critical: confirm]' : ''}`,
    ),
    ...(plan.same.length > 0 ? [`${plan.same.length} registers already as backed up`] : []),
    ...plan.skipped.map((s) => `${s.name} skipped: ${s.reason}`),
  ];
}

// ── storage ────────────────────────────────────────────────────────────────────────────────────────────

type BackupRow = { id: string; unit: string | null; taken_at: string; taken_by: string; note: string | null };
type ValueRow = {
  module_type: string;
  slave: number;
  profile_id: string;
  profile_version: number;
  address: number;
  name: string;
  raw: number | null;
  error: string | null;
};

/** The backups in the fleet history database (migration 0004); every save is one IMMEDIATE transaction. */
export class ParamsBackupStore {
  private readonly insertBackup: BetterSqlite3.Statement<[BackupRow]>;
  private readonly insertValue: BetterSqlite3.Statement<[ValueRow & { backup_id: string }]>;
  private readonly selectBackup: BetterSqlite3.Statement<[string], BackupRow>;
  private readonly selectValues: BetterSqlite3.Statement<[string], ValueRow>;
  private readonly selectBackups: BetterSqlite3.Statement<{ unit: string | null; limit: number }, BackupRow>;
  private readonly countValues: BetterSqlite3.Statement<
    [string],
    { module_type: string; registers: number; unread: number }
  >;
  private readonly saveTx: (backup: ParamsBackup) => void;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {
    this.insertBackup = db.prepare(
      'INSERT INTO rs485_param_backups (id, unit, taken_at, taken_by, note) VALUES (@id, @unit, @taken_at, @taken_by, @note)',
    );
    this.insertValue = db.prepare(
      `INSERT INTO rs485_param_values (backup_id, module_type, slave, profile_id, profile_version, address, name, raw, error)
       VALUES (@backup_id, @module_type, @slave, @profile_id, @profile_version, @address, @name, @raw, @error)`,
    );
    this.selectBackup = db.prepare('SELECT id, unit, taken_at, taken_by, note FROM rs485_param_backups WHERE id = ?');
    this.selectValues = db.prepare(
      `SELECT module_type, slave, profile_id, profile_version, address, name, raw, error
       FROM rs485_param_values WHERE backup_id = ? ORDER BY slave, address`,
    );
    this.selectBackups = db.prepare(
      `SELECT id, unit, taken_at, taken_by, note FROM rs485_param_backups
       WHERE unit IS @unit ORDER BY taken_at DESC, id DESC LIMIT @limit`,
    );
    this.countValues = db.prepare(
      `SELECT module_type, COUNT(*) AS registers, SUM(raw IS NULL) AS unread
       FROM rs485_param_values WHERE backup_id = ? GROUP BY module_type ORDER BY MIN(slave)`,
    );
    const tx = db.transaction((backup: ParamsBackup) => {
      this.insertBackup.run({
        id: backup.id,
        unit: backup.unit,
        taken_at: backup.takenAt,
        taken_by: backup.takenBy,
        note: backup.note,
      });
      for (const module of backup.modules) {
        for (const value of module.values) {
          this.insertValue.run({
            backup_id: backup.id,
            module_type: module.type,
            slave: module.slave,
            profile_id: module.profileId,
            profile_version: module.profileVersion,
            address: value.address,
            name: value.name,
            raw: value.raw,
            error: value.error,
          });
        }
      }
    });
    this.saveTx = (backup) => tx.immediate(backup);
  }

  save(input: Omit<ParamsBackup, 'id' | 'takenAt'>): ParamsBackup {
    const backup: ParamsBackup = { ...input, id: randomUUID(), takenAt: this.clock.nowIso() };
    this.guard('saving an RS485 parameters backup', () => this.saveTx(backup));
    return backup;
  }

  get(id: string): ParamsBackup | undefined {
    return this.guard(`reading RS485 parameters backup ${id}`, () => {
      const row = this.selectBackup.get(id);
      if (!row) {
        return undefined;
      }
      const modules = new Map<string, ModuleBackup>();
      for (const v of this.selectValues.all(id)) {
        const key = v.module_type;
        let module = modules.get(key);
        if (!module) {
          module = {
            type: this.moduleType(v.module_type),
            slave: v.slave,
            profileId: v.profile_id,
            profileVersion: v.profile_version,
            values: [],
          };
          modules.set(key, module);
        }
        module.values.push({ address: v.address, name: v.name, raw: v.raw, error: v.error });
      }
      return { ...fromRow(row), modules: [...modules.values()] };
    });
  }

  /** The unit's backups (null: those of a bench bus), newest first. */
  list(unit: string | null, limit: number): ParamsBackupSummary[] {
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new AppError('VALIDATION', `limit must be a whole number of at least 0 (got ${limit})`);
    }
    return this.guard('listing RS485 parameters backups', () =>
      this.selectBackups.all({ unit, limit }).map((row) => ({
        ...fromRow(row),
        modules: this.countValues.all(row.id).map((c) => ({
          type: this.moduleType(c.module_type),
          registers: c.registers,
          unread: c.unread,
        })),
      })),
    );
  }

  private moduleType(value: string): ModuleType {
    const parsed = ModuleTypeSchema.safeParse(value);
    if (!parsed.success) {
      throw new AppError('DB', `${this.db.name}: an RS485 backup holds an unknown module type "${value}"`, {
        details: { file: this.db.name },
      });
    }
    return parsed.data;
  }

  private guard<T>(doing: string, operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw toDbError(error, this.db.name, doing);
    }
  }
}

function fromRow(row: BackupRow): Omit<ParamsBackup, 'modules'> {
  return { id: row.id, unit: row.unit, takenAt: row.taken_at, takenBy: row.taken_by, note: row.note };
}

/** A backup as its list shows it: per module, how many registers it holds and how many could not be read. */
export function paramsBackupSummary(backup: ParamsBackup): ParamsBackupSummary {
  return {
    id: backup.id,
    unit: backup.unit,
    takenAt: backup.takenAt,
    takenBy: backup.takenBy,
    note: backup.note,
    modules: backup.modules.map((m) => ({
      type: m.type,
      registers: m.values.length,
      unread: m.values.filter((v) => v.raw === null).length,
    })),
  };
}
