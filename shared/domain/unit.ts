import { z } from 'zod';

import { FindingSchema, HealthLevelSchema } from './health';
import { SaidSchema } from './said';

/** A unit's name is what technicians type: short, no spaces, safe in file names and URLs. */
export const UnitNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    'use letters, digits, ".", "_" or "-" (at most 63), starting with a letter or digit',
  );

export const HostSchema = z
  .string()
  .min(1, 'host is required')
  .max(253)
  .regex(/^[A-Za-z0-9.:_[\]-]+$/, 'not a host name or address');

export const PortSchema = z.number().int().min(1).max(65535);

/** Secrets are referenced, never stored: a key file path (with an optional passphrase variable) or a password variable. */
export const UnitAuthSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('key'),
    keyPath: z.string().min(1),
    passphraseEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
  }),
  z.object({
    kind: z.literal('password'),
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
  }),
]);
export type UnitAuth = z.infer<typeof UnitAuthSchema>;

/**
 * A systemd service by systemd's own rules for unit names: letters, digits, ":", "-", "_", "." and "\\" (escapes),
 * one optional "@" of a template instance, at most 255 characters with ".service", and here never starting with
 * "-" or "." (an option or a hidden name). Whatever the profile holds is still quoted where a command uses it.
 */
export const ServiceNameSchema = z
  .string()
  .min(1, 'a service name is required')
  .max(247, 'a systemd unit name is at most 255 characters with ".service"')
  .regex(
    /^[A-Za-z0-9:_\\][A-Za-z0-9:_.\\-]*(?:@[A-Za-z0-9:_.\\-]*)?$/,
    'a systemd service name: letters, digits, ":", "-", "_", "." (and "@" for a template), starting with a letter or digit',
  )
  .refine(
    (name) => !name.endsWith('.') && !/\.(?:socket|target|timer|mount|path|slice|scope|device|swap)$/.test(name),
    {
      message: 'a service name, not another kind of systemd unit',
    },
  );

/** An absolute, normalized path on the vehicle: no ".", "..", empty or trailing segment, no control characters. */
export const VehiclePathSchema = z
  .string()
  .max(1024)
  .refine((path) => path.startsWith('/') && path !== '/', { message: 'an absolute path such as /opt/oht50' })
  .refine((path) => ![...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
    message: 'a path without control characters',
  })
  .refine(
    (path) =>
      path
        .slice(1)
        .split('/')
        .every((part) => part !== '' && part !== '.' && part !== '..'),
    {
      message: 'a normalized path: no "//", ".", ".." or trailing "/"',
    },
  );

export const VehicleProfileSchema = z.object({
  backendService: ServiceNameSchema,
  firmwareService: ServiceNameSchema,
  backendPort: PortSchema,
  firmwarePort: PortSchema,
  installDir: VehiclePathSchema,
  /** The hardware E-Stop input (gpio59, active-low: 0 means pressed). */
  estopGpioPath: VehiclePathSchema.default('/sys/class/gpio/gpio59/value'),
  /** "runbook" names (oht50-backend, oht50-firmware, :8081) or the newer build (oht50.service, :8080); detected on first contact. */
  variant: z.enum(['runbook', 'newer', 'custom']),
  detected: z.boolean(),
});
export type VehicleProfile = z.infer<typeof VehicleProfileSchema>;

export const DEFAULT_VEHICLE_PROFILE: VehicleProfile = {
  backendService: 'oht50-backend',
  firmwareService: 'oht50-firmware',
  backendPort: 8000,
  firmwarePort: 8081,
  installDir: '/opt/oht50',
  estopGpioPath: '/sys/class/gpio/gpio59/value',
  variant: 'runbook',
  detected: false,
};

export const PinnedHostKeySchema = z.object({
  algorithm: z.string(),
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
  pinnedAt: z.string(),
});
export type PinnedHostKey = z.infer<typeof PinnedHostKeySchema>;

/** The last offline diagnosis of a unit's RS485 bus: its level and what it found. */
export const UnitBusStateSchema = z.object({
  level: HealthLevelSchema,
  at: z.string(),
  runId: z.string(),
  findings: z.array(FindingSchema),
});
export type UnitBusState = z.infer<typeof UnitBusStateSchema>;

export const UnitSchema = z.object({
  name: UnitNameSchema,
  host: HostSchema,
  port: PortSchema,
  user: z.string().min(1),
  auth: UnitAuthSchema,
  profile: VehicleProfileSchema,
  hostKey: PinnedHostKeySchema.nullable(),
  createdAt: z.string(),
  /** The unit's last sweep over SSH (a bus diagnosis is its `bus`, not this). */
  lastLevel: HealthLevelSchema.nullable(),
  lastRunAt: z.string().nullable(),
  lastRunId: z.string().nullable().optional(),
  /** What the last sweep found, worst first (the first is what the Fleet row names); absent before it was judged so. */
  findings: z.array(FindingSchema).optional(),
  /** The unit's RS485 bus as its last offline diagnosis found it; null when its bus was never diagnosed. */
  bus: UnitBusStateSchema.nullable().optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const NewUnitSchema = z.object({
  name: UnitNameSchema,
  host: HostSchema,
  port: PortSchema.default(22),
  user: z.string().min(1, 'user is required').max(64),
  auth: UnitAuthSchema,
  profile: VehicleProfileSchema.partial().optional(),
});
export type NewUnit = z.input<typeof NewUnitSchema>;

export const HostKeyProbeSchema = z.object({
  unit: z.string(),
  algorithm: z.string(),
  fingerprint: z.string(),
  /** trusted: matches the pin; unknown: nothing pinned yet; mismatch: differs from the pin (a hard stop). */
  status: z.enum(['trusted', 'unknown', 'mismatch']),
  pinnedFingerprint: z.string().nullable(),
});
export type HostKeyProbe = z.infer<typeof HostKeyProbeSchema>;

export const HistoryEntrySchema = z.object({
  kind: z.enum(['diagnosis', 'action']),
  id: z.string(),
  at: z.string(),
  unit: z.string().nullable(),
  /** For a diagnosis, its level; for an action, its outcome. */
  level: HealthLevelSchema.nullable(),
  summary: z.string(),
  /** The summary as words, for a face to say in its reader's language (diagnoses; absent for actions). */
  say: SaidSchema.optional(),
  actor: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** The technician's name, set once per workstation and recorded on every audit row, run step and signature. */
export const TechnicianNameSchema = z
  .string()
  .trim()
  .min(2, 'a name of at least two letters')
  .max(80)
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
    message: 'a name without control characters',
  });

export const SessionInfoSchema = z.object({
  technician: z.object({
    /** As set on the Settings page or with `ohtw config set technician`; null when never set. */
    name: z.string().nullable(),
    /** What the audit log records as who acted: the name, or the OS user marked as such when it is not set. */
    recordedAs: z.string(),
  }),
  passphrase: z.object({
    /** This face has no way to the store passphrase but asking for it (no real keyring, none in the environment). */
    needed: z.boolean(),
    /** One was entered for this session. */
    entered: z.boolean(),
  }),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
