import { z } from 'zod';

import { CheckResultSchema } from '../../domain/health';
import { JudgedLevelSchema, ModuleTypeSchema } from '../../domain/rs485Profile';
import { IsoTimeSchema, SlaveSchema } from './rs485Bus';

/** The RS485 contract's module side: registers as read and decoded, safe writes, parameter backups, the second master. */

const RegisterAccessSchema = z.enum(['R', 'RW', 'W']);

/** One register of a module as read: what the map says about it, and the value decoded with the raw word beside it. */
export const RegisterReadingSchema = z.object({
  address: z.number().int().min(0).max(0xffff),
  addressHex: z.string(),
  name: z.string(),
  label: z.string(),
  unit: z.string(),
  access: RegisterAccessSchema,
  safetyCritical: z.boolean(),
  min: z.number(),
  max: z.number(),
  /** The enum values a write may choose from, when the register has them. */
  enumValues: z.array(z.object({ value: z.number(), name: z.string() })).optional(),
  /** The named bits, when it is a bit field, each with whether it is set now. */
  bits: z.array(z.object({ bit: z.number().int(), name: z.string(), set: z.boolean() })).optional(),
  /** Null when the register could not be read (failure says why). */
  raw: z.number().int().nullable(),
  rawHex: z.string().nullable(),
  value: z.number().nullable(),
  /** "24.3 V", "ESTOP (3)", "0x0042: undervoltage, battery low". */
  text: z.string().nullable(),
  meaning: z.string().optional(),
  level: JudgedLevelSchema.nullable(),
  reasons: z.array(z.string()),
  failure: z.string().nullable(),
});
export type RegisterReading = z.infer<typeof RegisterReadingSchema>;

/** A technician's map in place of a shipped one: the shipped version and what the technician's file changes. */
export const MapSupersedesSchema = z.object({
  version: z.number().int(),
  file: z.string(),
  changes: z.array(z.object({ path: z.string(), shipped: z.string().nullable(), edited: z.string().nullable() })),
});

export const ModuleProfileRefSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  source: z.enum(['shipped', 'user']),
  supersedes: MapSupersedesSchema.nullable(),
  /** Safety flags of the shipped maps the workstation kept although the technician's map loosened them. */
  keptFlags: z.array(z.string()),
});

export const ModuleReadingSchema = z.object({
  busId: z.string(),
  slave: SlaveSchema,
  type: ModuleTypeSchema,
  /** 0x0104's value; null when it could not be read. */
  typeRaw: z.number().int().nullable(),
  /** register: the module said its type; override: the caller named it. */
  source: z.enum(['register', 'override']),
  profile: ModuleProfileRefSchema,
  notes: z.array(z.string()),
  readAt: IsoTimeSchema,
  durationMs: z.number().nonnegative(),
  registers: z.array(RegisterReadingSchema),
});
export type ModuleReading = z.infer<typeof ModuleReadingSchema>;

/** A register's word as decoded by its map: the value in its units and for people, with the raw word beside it. */
export const DecodedRegisterSchema = z.object({
  address: z.number().int().min(0).max(0xffff),
  name: z.string(),
  label: z.string(),
  raw: z.number().int(),
  rawHex: z.string(),
  value: z.number(),
  unit: z.string(),
  text: z.string(),
  level: JudgedLevelSchema,
});
export type DecodedRegisterView = z.infer<typeof DecodedRegisterSchema>;

/** How the module at a slave was told: it said so at 0x0104 (register), or the caller named it (override). */
export const ModuleIdentitySchema = z.object({
  source: z.enum(['register', 'override']),
  /** 0x0104's value; null when it could not be read. */
  typeRaw: z.number().int().nullable(),
  /** A variant that was asked for and is not there, etc. */
  notes: z.array(z.string()),
});

/** Raw words read from a slave, and what the module's register map makes of them when asked to decode. */
export const RegisterReadSchema = z.object({
  values: z.array(z.number().int().min(0).max(0xffff)),
  decoding: z
    .discriminatedUnion('identified', [
      z.object({
        identified: z.literal(true),
        module: z.object({
          type: ModuleTypeSchema,
          address: SlaveSchema,
          profileId: z.string(),
          profileVersion: z.number().int(),
        }),
        identity: ModuleIdentitySchema,
        /** The registers of the read the map names (write-only ones aside), in address order. */
        registers: z.array(DecodedRegisterSchema),
      }),
      z.object({ identified: z.literal(false), reason: z.string(), typeRaw: z.number().int().nullable() }),
    ])
    .nullable(),
  /** Why the decoding could not be made (the raw values stand); null when it was, or was not asked for. */
  decodeError: z.string().nullable(),
});
export type RegisterReadView = z.infer<typeof RegisterReadSchema>;

export const WritePlanSchema = z.object({
  planId: z.string(),
  busId: z.string(),
  action: z.enum(['rs485.write', 'rs485.clearErrors', 'rs485.restore']),
  unit: z.string().nullable(),
  module: z.object({
    type: ModuleTypeSchema,
    address: SlaveSchema,
    profileId: z.string(),
    profileVersion: z.number().int(),
  }),
  register: z
    .object({
      name: z.string(),
      label: z.string(),
      address: z.number().int(),
      addressHex: z.string(),
      unit: z.string(),
      access: RegisterAccessSchema,
      safetyCritical: z.boolean(),
    })
    .nullable(),
  /** What the register holds now; null for a command or when it could not be read. */
  old: DecodedRegisterSchema.nullable(),
  new: z.object({ value: z.number(), raw: z.number().int(), text: z.string() }).nullable(),
  /** Why this write will not be made; absent when it may be. Applying a refused plan records the refusal. */
  refused: z.string().optional(),
  /** Safety-critical: rs485.applyWrite needs confirm: true. */
  needsConfirmation: z.boolean(),
  unchanged: z.boolean(),
  /** "Power 0x02 Charger voltage setpoint (chargerVoltageSet, 0x0030): 25.2 V → 24.5 V" */
  summary: z.string(),
  /** How the module was identified. */
  identity: ModuleIdentitySchema,
  /** The plan is forgotten after this (apply it before, or plan again). */
  expiresAt: IsoTimeSchema,
});
export type WritePlanView = z.infer<typeof WritePlanSchema>;

export const AuditReceiptSchema = z.object({ seq: z.number().int(), id: z.string() });

export const WriteResultSchema = z.object({
  planId: z.string(),
  outcome: z.enum(['ok', 'failed', 'refused']),
  message: z.string(),
  /** What the verifying read found. */
  readBack: DecodedRegisterSchema.optional(),
  /** The audit log's entry, and who it records as acting. */
  audit: AuditReceiptSchema.extend({ actor: z.string() }),
});
export type WriteResultView = z.infer<typeof WriteResultSchema>;

export const ParamsBackupSummarySchema = z.object({
  id: z.string(),
  unit: z.string().nullable(),
  takenAt: IsoTimeSchema,
  takenBy: z.string(),
  note: z.string().nullable(),
  modules: z.array(z.object({ type: ModuleTypeSchema, registers: z.number().int(), unread: z.number().int() })),
});

export const ParamsBackupSchema = z.object({
  id: z.string(),
  unit: z.string().nullable(),
  takenAt: IsoTimeSchema,
  takenBy: z.string(),
  note: z.string().nullable(),
  modules: z.array(
    z.object({
      type: ModuleTypeSchema,
      slave: SlaveSchema,
      profileId: z.string(),
      profileVersion: z.number().int(),
      values: z.array(
        z.object({
          address: z.number().int(),
          name: z.string(),
          raw: z.number().int().nullable(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
});

export const RestorePlanSchema = z.object({
  planId: z.string(),
  busId: z.string(),
  backupId: z.string(),
  expiresAt: IsoTimeSchema,
  /** Some difference is safety-critical: rs485.params.restore needs confirm: true. */
  needsConfirmation: z.boolean(),
  modules: z.array(
    z.object({
      type: ModuleTypeSchema,
      address: SlaveSchema,
      profileId: z.string(),
      /** Why nothing of this backup goes back to this module; absent when it may. */
      refused: z.string().optional(),
      differences: z.array(
        z.object({
          name: z.string(),
          label: z.string(),
          address: z.number().int(),
          backupRaw: z.number().int(),
          currentRaw: z.number().int(),
          /** "25.2 V → 24.5 V": now → backed up. */
          change: z.string(),
          safetyCritical: z.boolean(),
          /** The safe-write rules refuse this one (read-only now, out of range): it will not be written. */
          refused: z.string().optional(),
        }),
      ),
      same: z.array(z.string()),
      skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
    }),
  ),
});

export type RestorePlanView = z.infer<typeof RestorePlanSchema>;

export const SecondMasterSchema = z.object({
  unit: z.string(),
  /** none: nothing else polls the bus; likely: the firmware runs; unknown: it could not be told. */
  hazard: z.enum(['none', 'likely', 'unknown']),
  sshReachable: z.boolean().nullable(),
  firmwareActive: z.boolean().nullable(),
  firmwareService: z.string(),
  /** Why SSH or systemctl could not tell, when they could not. */
  reason: z.string().nullable(),
  mayProceed: z.boolean(),
  /** The rs485.offline.master check, as rs485.diagnose puts it in the tree. */
  check: CheckResultSchema,
  choices: z.array(z.object({ id: z.enum(['proceed', 'stop-firmware', 'bench-bus', 'cancel']), label: z.string() })),
  /** What stopping the firmware would do, for the confirmation dialog (present when it is offered). */
  stopFirmware: z
    .object({ title: z.string(), commands: z.array(z.string()), undo: z.array(z.string()), consequences: z.string() })
    .nullable(),
});
