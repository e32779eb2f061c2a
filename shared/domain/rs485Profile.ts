import { z } from 'zod';

import type { JsonChange } from './jsonDiff';

/**
 * Register-map profiles of the RS485 modules, as data. The vehicle's sources disagree about the maps (two for the
 * travel motor, three for the dock), and the slave firmware is not in them at all, so every map is a JSON file that
 * names its source, carries a version and can be overridden by the technician without touching the shipped file.
 *
 * Values in a profile are in engineering units (what the technician reads and types): `min`, `max` and `alarm` are
 * compared with raw × scale, never with the raw register.
 */

/** The layout of the files this build reads; a file with another format is refused, never guessed at. */
export const PROFILE_FORMAT = 1;

export const MODULE_TYPES = ['power', 'safety', 'travel', 'dock'] as const;
export type ModuleType = (typeof MODULE_TYPES)[number];
export const ModuleTypeSchema = z.enum(MODULE_TYPES);

/**
 * The offline checks a register feeds. The set is closed so that check ids (`rs485.offline.<module>.<group>`) stay
 * stable whatever a user profile says.
 */
export const CHECK_GROUPS = ['error', 'battery', 'cells', 'temperature', 'faults', 'status', 'estop'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** R: read only. RW: a value that reads back as written. W: a command; reading it means nothing (e.g. reset errors). */
export const ACCESS_KINDS = ['R', 'RW', 'W'] as const;
export type RegisterAccess = (typeof ACCESS_KINDS)[number];

/** How bad a decoded meaning is; STALE is not a register's to say. */
export const JudgedLevelSchema = z.enum(['OK', 'WARN', 'ERROR']);
export type JudgedLevel = z.infer<typeof JudgedLevelSchema>;

const NAME = /^[a-z][A-Za-z0-9]*$/;
const SLUG = /^[a-z0-9][a-z0-9-]*$/;

/** A 16-bit word; files may write it as a number or as hex ("0x0023"), which is how the vehicle's sources name them. */
const word = z.preprocess(
  (v) => (typeof v === 'string' && /^0x[0-9a-f]{1,4}$/i.test(v) ? Number.parseInt(v, 16) : v),
  z.number({ error: 'must be a number or hex like "0x0023"' }).int().min(0).max(0xffff),
);

export const EnumEntrySchema = z.strictObject({
  value: word,
  name: z.string().min(1).max(80),
  level: JudgedLevelSchema.optional(),
});
export type EnumEntry = z.infer<typeof EnumEntrySchema>;

export const BitEntrySchema = z.strictObject({
  bit: z.number().int().min(0).max(15),
  name: z.string().min(1).max(80),
  /** What a set bit means for health; a set bit is only informative when absent. */
  level: JudgedLevelSchema.optional(),
});
export type BitEntry = z.infer<typeof BitEntrySchema>;

/** Limits on the decoded value; "below" and "above" are strict, the error limits win over the warning ones. */
export const AlarmSchema = z
  .strictObject({
    warnBelow: z.number().optional(),
    errorBelow: z.number().optional(),
    warnAbove: z.number().optional(),
    errorAbove: z.number().optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), { message: 'an alarm needs at least one limit' });
export type Alarm = z.infer<typeof AlarmSchema>;

export const RegisterSchema = z
  .strictObject({
    address: word,
    /** Stable camelCase key: what writes, backups and metrics name the register by. */
    name: z.string().regex(NAME, 'must be camelCase letters and digits (e.g. packVoltage)').max(48),
    /** What the technician reads. */
    label: z.string().min(1).max(120),
    unit: z.string().max(16),
    /** Engineering value = raw (signed when `signed`) × scale. */
    scale: z.number().positive().finite(),
    signed: z.boolean().optional(),
    access: z.enum(ACCESS_KINDS),
    safetyCritical: z.boolean(),
    /** Inclusive limits of a valid value, in engineering units; writes outside them are refused. */
    min: z.number().finite(),
    max: z.number().finite(),
    enum: z.array(EnumEntrySchema).min(1).optional(),
    bits: z.array(BitEntrySchema).min(1).optional(),
    alarm: AlarmSchema.optional(),
    /** How the raw word is best shown next to the value: 0x0101 as "v1.01", a status word in hex. */
    display: z.enum(['decimal', 'hex', 'version']).optional(),
    check: z.enum(CHECK_GROUPS).optional(),
    /** For a command (access W): the register whose raw value proves the command took effect. */
    afterWrite: z.strictObject({ read: z.string().regex(NAME), expect: word }).optional(),
    notes: z.string().max(500).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.min > r.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `min ${r.min} is above max ${r.max}` });
    }
    if (r.enum && r.bits) {
      ctx.addIssue({ code: 'custom', path: ['bits'], message: 'a register has either enum values or bits, not both' });
    }
    const values = r.enum?.map((e) => e.value) ?? [];
    const dupValue = values.find((v, i) => values.indexOf(v) !== i);
    if (dupValue !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['enum'], message: `value ${dupValue} is listed twice` });
    }
    const bits = r.bits?.map((b) => b.bit) ?? [];
    const dupBit = bits.find((v, i) => bits.indexOf(v) !== i);
    if (dupBit !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bits'], message: `bit ${dupBit} is listed twice` });
    }
    if (r.afterWrite && r.access !== 'W') {
      ctx.addIssue({
        code: 'custom',
        path: ['afterWrite'],
        message: 'only a command (access W) verifies through another register',
      });
    }
    const span = r.signed ? [-0x8000 * r.scale, 0x7fff * r.scale] : [0, 0xffff * r.scale];
    if (r.min < (span[0] ?? 0) - 1e-9 || r.max > (span[1] ?? 0) + 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: `min..max ${r.min}..${r.max} does not fit a ${r.signed ? 'signed' : 'unsigned'} 16-bit register at scale ${r.scale}`,
      });
    }
  });
export type RegisterDef = z.infer<typeof RegisterSchema>;

/** The firmware's module-loss policy for this module type (safety_config.yaml), used to judge line quality. */
export const LossPolicySchema = z.strictObject({
  critical: z.boolean(),
  action: z.string().min(1),
  expectedResponseMs: z.number().positive(),
  maxResponseMs: z.number().positive(),
});
export type LossPolicy = z.infer<typeof LossPolicySchema>;

export const IncludeSchema = z.strictObject({
  block: z.string().regex(SLUG),
  /** Addresses of the block this map uses for something else (the polling-manager dock map, for one). */
  omit: z.array(word).optional(),
});

const header = {
  format: z.literal(PROFILE_FORMAT),
  /** Increased whenever the shipped content changes; a user override says which version it started from. */
  version: z.number().int().min(1),
  title: z.string().min(1).max(160),
  /** Where the map comes from and how far to trust it. */
  source: z.array(z.string().min(1)).min(1),
};

export const RegisterBlockSchema = z.strictObject({
  ...header,
  block: z.string().regex(SLUG),
  registers: z.array(RegisterSchema).min(1),
});
export type RegisterBlock = z.infer<typeof RegisterBlockSchema>;

export const ProfileFileSchema = z.strictObject({
  ...header,
  /** `<moduleType>-<variant>`; a user file with the same id overrides the shipped one. */
  id: z.string().regex(SLUG),
  moduleType: ModuleTypeSchema,
  variant: z.string().regex(SLUG),
  /** The variant used for this module type unless the technician chose another. */
  default: z.boolean().optional(),
  defaultAddress: z.number().int().min(1).max(247),
  /** What the module-type register answers for this module, when the map has one. */
  typeCode: word.optional(),
  policy: LossPolicySchema,
  includes: z.array(IncludeSchema).optional(),
  /** In a user override: the shipped version it was edited from. */
  basedOnVersion: z.number().int().min(1).optional(),
  registers: z.array(RegisterSchema),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;

/** A profile with its blocks merged in, sorted by address: what everything else works with. */
export type Rs485Profile = Omit<ProfileFile, 'includes' | 'registers'> & {
  registers: RegisterDef[];
  origin: 'shipped' | 'user';
  /** The file it was read from. */
  file: string;
  /** A technician's map with a shipped id: the shipped map it takes the place of, and what it changes. */
  supersedes?: { version: number; file: string; changes: JsonChange[] } | undefined;
  /**
   * Registers of a technician's map whose safety flags the shipped maps of its module type set and the workstation
   * kept, whatever the file says: "0x0001 emergencyStop: read-only and safety-critical as shipped".
   */
  keptFlags?: string[] | undefined;
};

/** The registers every caller looks up by these names, when a map has them. */
export const WELL_KNOWN = {
  deviceId: 'deviceId',
  moduleType: 'moduleType',
  systemError: 'systemError',
  resetErrors: 'resetErrors',
} as const;

/** `zod` issues as "path: message" lines, for an error that names the place in the file. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return '(top level)';
  }
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
