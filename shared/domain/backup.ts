import { z } from 'zod';

import { ERROR_CODES } from '../errors/AppError';
import { UnitNameSchema } from './unit';

/**
 * Backups of a unit's state: the profile that names what a unit's state is (data, editable), and what the backup
 * calls answer. The local store keeps the files; these are the shapes that cross the contract.
 */

// ── the profile ───────────────────────────────────────────────────────────────────────────────────────

/** The profile file's format; a profile of another format is refused rather than half understood. */
export const BACKUP_PROFILE_FORMAT = 1;

const COMPONENT = /^[A-Za-z0-9_@+,=.:-]+$/;
const GLOB_COMPONENT = /^[A-Za-z0-9_@+,=.:*?-]+$/;

/** Absolute and normal (no `.`, `..`, `//` or trailing `/`); `*` and `?` only in the last component. */
function isProfilePath(path: string, globLast: boolean): boolean {
  if (!path.startsWith('/') || path === '/') {
    return false;
  }
  const parts = path.slice(1).split('/');
  return parts.every((part, i) => {
    if (part === '' || part === '.' || part === '..') {
      return false;
    }
    return (globLast && i === parts.length - 1 ? GLOB_COMPONENT : COMPONENT).test(part);
  });
}

export const ProfilePathSchema = z
  .string()
  .max(1024)
  .refine((p) => isProfilePath(p, false), 'an absolute, normal path (no ".", ".." or "//")');
/** A path whose last component may hold `*` or `?` (`/etc/systemd/system/oht50*.service`). */
export const ProfileGlobPathSchema = z
  .string()
  .max(1024)
  .refine((p) => isProfilePath(p, true), 'an absolute, normal path; "*" and "?" only in its last component');
/** Matched against a file's full path: `*` within one component, `**` across components, `?` one character. */
export const SecretPatternSchema = z
  .string()
  .max(1024)
  .regex(/^\/[A-Za-z0-9_@+,=.:*?/-]*$/, 'an absolute pattern of path characters, "*", "**" and "?"');

export const ServiceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9@._:-]+$/, 'a systemd unit name (a bare name means .service)');

export const BackupRootSchema = z.object({
  /** Stable short id, for people and for the UI's switches (`logs`). */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
  path: ProfileGlobPathSchema,
  description: z.string().max(300).default(''),
  /** Off: not backed up (logs are off by default). */
  enabled: z.boolean().default(true),
  /** The systemd units that read this path: the restore restarts them when something under it changed. */
  services: z.array(ServiceNameSchema).default([]),
  /** Paths below the root left out (may end in a glob). */
  exclude: z.array(ProfileGlobPathSchema).default([]),
});
export type BackupRoot = z.infer<typeof BackupRootSchema>;

/** A SQLite database copied consistently with SQLite's own backup on the unit, never as a torn file. */
export const BackupDatabaseSchema = z.object({
  path: ProfilePathSchema,
  description: z.string().max(300).default(''),
  enabled: z.boolean().default(true),
  /** The services that write it: stopped around the copy only when asked (a gated action), restarted on restore. */
  services: z.array(ServiceNameSchema).default([]),
});
export type BackupDatabase = z.infer<typeof BackupDatabaseSchema>;

export const BackupProfileSchema = z.object({
  format: z.literal(BACKUP_PROFILE_FORMAT),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
  /** Raised on every edit, so a backup says which profile version named its files. */
  version: z.number().int().positive(),
  description: z.string().max(500).default(''),
  roots: z.array(BackupRootSchema).min(1),
  databases: z.array(BackupDatabaseSchema).default([]),
  /** Files encrypted in the store (the backend .env, keys, Wi-Fi passphrases). */
  secrets: z.array(SecretPatternSchema).default([]),
});
export type BackupProfile = z.infer<typeof BackupProfileSchema>;
export type BackupProfileInput = z.input<typeof BackupProfileSchema>;

/** shipped: the file that comes with the workstation; fleet: the data folder's copy; unit: one unit's own. */
export const BackupProfileSourceSchema = z.enum(['shipped', 'fleet', 'unit']);
export type BackupProfileSource = z.infer<typeof BackupProfileSourceSchema>;

export const BackupProfileViewSchema = z.object({
  profile: BackupProfileSchema,
  source: BackupProfileSourceSchema,
  /** The file it was read from. */
  path: z.string(),
});
export type BackupProfileView = z.infer<typeof BackupProfileViewSchema>;

// ── backups in the store ──────────────────────────────────────────────────────────────────────────────

const JsonSchema: z.ZodType<unknown> = z.json();

export const BackupKindSchema = z.enum(['backup', 'snapshot']);

export const BackupSummarySchema = z.object({
  id: z.string(),
  unit: z.string(),
  kind: BackupKindSchema,
  createdAt: z.string(),
  completedAt: z.string(),
  profile: z.looseObject({ id: z.string(), version: z.union([z.number(), z.string()]) }),
  toolVersion: z.string(),
  meta: z.record(z.string(), JsonSchema),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  newBytes: z.number().int().nonnegative(),
  storedBytes: z.number().int().nonnegative(),
  hasSecrets: z.boolean(),
  /** Paths left out because a restore would refuse them (absent in older backups: none). */
  skipped: z.number().int().nonnegative().optional(),
});
export type BackupSummaryView = z.infer<typeof BackupSummarySchema>;

/** A path of the unit a backup left out on purpose: a restore would refuse it (its name, a symlink out, a device). */
export const SkippedPathSchema = z.object({ path: z.string(), reason: z.string() });
export type SkippedPathView = z.infer<typeof SkippedPathSchema>;

export const BackupFileSchema = z.object({
  path: z.string(),
  type: z.enum(['file', 'dir', 'symlink']),
  mode: z.number().int().nonnegative(),
  uid: z.number().int().nonnegative(),
  gid: z.number().int().nonnegative(),
  owner: z.string(),
  group: z.string(),
  mtimeMs: z.number(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  linkTarget: z.string().optional(),
  secret: z.boolean(),
});
export type BackupFileView = z.infer<typeof BackupFileSchema>;

export const BackupDetailSchema = BackupSummarySchema.extend({
  entries: z.array(BackupFileSchema),
  /** Extra data kept with the backup by name: `rs485-parameters` holds the unit's latest module parameters. */
  attachments: z.record(z.string(), JsonSchema),
  skippedPaths: z.array(SkippedPathSchema),
});
export type BackupDetail = z.infer<typeof BackupDetailSchema>;

export const BackupVerifySchema = z.object({
  backupId: z.string(),
  ok: z.boolean(),
  checkedFiles: z.number().int().nonnegative(),
  problems: z.array(
    z.object({
      path: z.string(),
      problem: z.enum(['chunk-missing', 'chunk-damaged', 'content-mismatch', 'manifest-damaged', 'passphrase-needed']),
      message: z.string(),
      chunk: z.string().optional(),
    }),
  ),
  /** Other backups that share a damaged or missing chunk: damaged too, until a backup writes that content again. */
  sharedWith: z.array(z.string()),
  /** Damaged chunks this verify moved out of use (kept on disk): the next backup of that content writes them again. */
  quarantined: z.number().int().nonnegative(),
});
export type BackupVerify = z.infer<typeof BackupVerifySchema>;

export const BackupPruneSchema = z.object({
  removedBackups: z.array(z.string()),
  keptBackups: z.number().int().nonnegative(),
  removedChunks: z.number().int().nonnegative(),
  removedPacks: z.number().int().nonnegative(),
  freedBytes: z.number().int().nonnegative(),
  dryRun: z.boolean(),
});

/** The store's health (restic's check); with readData every byte was read. */
export const BackupCheckSchema = z.object({
  ok: z.boolean(),
  readData: z.boolean(),
  problems: z.array(
    z.object({
      kind: z.enum(['config', 'key', 'index', 'pack', 'manifest', 'chunk']),
      subject: z.string(),
      message: z.string(),
      backups: z.array(z.string()),
    }),
  ),
  notes: z.array(z.string()),
  unreferencedPacks: z.array(z.string()),
  counts: z.object({
    backups: z.number().int().nonnegative(),
    packs: z.number().int().nonnegative(),
    chunks: z.number().int().nonnegative(),
    legacyChunks: z.number().int().nonnegative(),
    quarantined: z.number().int().nonnegative(),
    readBytes: z.number().int().nonnegative(),
  }),
});
export type BackupCheck = z.infer<typeof BackupCheckSchema>;

// ── replicas: a folder or an SFTP server holding a copy of the store ─────────────────────────────────

export const BackupPushSchema = z.object({
  /** The target as written (a folder, or sftp://user@host[:port]/path). */
  target: z.string(),
  /** Backups copied by this push, in the order they were committed at the target. */
  pushed: z.array(z.string()),
  /** Backups the target already held. */
  alreadyThere: z.number().int().nonnegative(),
  /** Those of them the target holds exactly as this store does (a differing header is a conflict, not a copy). */
  alreadyThereIds: z.array(z.string()),
  /** Backups not copied, with why (damaged here, a pack at the target that differs…). */
  skipped: z.array(z.object({ backupId: z.string(), reason: z.string() })),
  packsCopied: z.number().int().nonnegative(),
  packsPresent: z.number().int().nonnegative(),
  bytesCopied: z.number().int().nonnegative(),
  /** Files at the target that differ from this store's: left as they are, never overwritten. */
  conflicts: z.array(z.string()),
});
export type BackupPush = z.infer<typeof BackupPushSchema>;

/** One place a backup lives: a target it was pushed to, or a laptop that pulled it, as recorded on the team. */
export const BackupLocationSchema = z.object({
  backupId: z.string(),
  unit: z.string().nullable(),
  /** target: a folder or SFTP server it was pushed to; laptop: a laptop holding it in its store. */
  kind: z.enum(['target', 'laptop']),
  /** The target as written (never with a password), or the laptop's device id. */
  place: z.string(),
  /** The laptop's name on the team (this laptop: "this laptop"); null for a target. */
  laptop: z.string().nullable(),
  /** Which laptop recorded it: null for this one, else the colleague's name on the team. */
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});
export type BackupLocationView = z.infer<typeof BackupLocationSchema>;

export const BackupWhereSchema = z.object({
  selector: z.string(),
  locations: z.array(BackupLocationSchema),
});
export type BackupWhere = z.infer<typeof BackupWhereSchema>;

/** Where `ohtw backups push` and `pull` go without --to / --from, the key for SFTP, and the pinned host keys. */
export const ReplicaSettingsSchema = z.object({
  target: z.string().nullable(),
  /** The SSH private key file for SFTP targets. */
  keyPath: z.string().nullable(),
  /** Host keys of SFTP targets by host:port, pinned as a unit's is. */
  hostKeys: z.record(z.string(), z.object({ algorithm: z.string(), fingerprint: z.string() })),
});
export type ReplicaSettings = z.infer<typeof ReplicaSettingsSchema>;

export const BackupPullSchema = z.object({
  target: z.string(),
  backups: z.array(
    z.object({
      backupId: z.string(),
      unit: z.string(),
      createdAt: z.string(),
      /** pulled: copied now; present: this store already held it. */
      status: z.enum(['pulled', 'present']),
    }),
  ),
  packsCopied: z.number().int().nonnegative(),
  bytesCopied: z.number().int().nonnegative(),
});
export type BackupPull = z.infer<typeof BackupPullSchema>;

export const BackupStatsSchema = z.object({
  backups: z.number().int().nonnegative(),
  units: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  storedBytes: z.number().int().nonnegative(),
  logicalBytes: z.number().int().nonnegative(),
  uniqueBytes: z.number().int().nonnegative(),
});

// ── running backups ───────────────────────────────────────────────────────────────────────────────────

/** online: SQLite's backup while the service runs; service-stopped: the writers stopped around the copy (gated). */
export const DatabaseCopyModeSchema = z.enum(['online', 'service-stopped']);
export type DatabaseCopyMode = z.infer<typeof DatabaseCopyModeSchema>;

export const BackupRunInputSchema = z.object({
  names: z.array(UnitNameSchema).min(1),
  /** Units backed up at once (each over its own SSH connection). */
  concurrency: z.number().int().min(1).max(16).default(4),
  database: DatabaseCopyModeSchema.default('online'),
  /** Must be true with database 'service-stopped': stopping a vehicle's service is a gated action. */
  confirmServiceStop: z.boolean().default(false),
  /**
   * Read every file from the unit again. Otherwise a regular file whose size and modification time are as the
   * unit's previous backup recorded them is taken from the store instead of crossing the network again.
   */
  full: z.boolean().default(false),
});

export const BackupUnitResultSchema = z.object({
  unit: z.string(),
  /** partial: stored and restorable, but some paths were left out (see skipped). */
  status: z.enum(['ok', 'partial', 'failed']),
  backupId: z.string().nullable(),
  /** Entries of every type in the backup. */
  files: z.number().int().nonnegative(),
  /** Bytes of file content read from the unit. */
  bytes: z.number().int().nonnegative(),
  /** Of those, bytes the store did not hold yet. */
  newBytes: z.number().int().nonnegative(),
  /** Bytes written to disk after compression and encryption. */
  storedBytes: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
  /** What the unit did not have or could not give (a root that does not exist, a file changed while read). */
  warnings: z.array(z.string()),
  /** Names of the attachments kept with the backup (`rs485-parameters`). */
  attachments: z.array(z.string()),
  /** Regular files taken from the unit's previous backup because they had not changed (0 for a full read). */
  reusedFiles: z.number().int().nonnegative().optional(),
  /** Paths left out because a restore would refuse them, and why. */
  skipped: z.array(SkippedPathSchema).default([]),
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
export type BackupUnitResult = z.infer<typeof BackupUnitResultSchema>;

export const BackupRunResultSchema = z.object({
  runId: z.string(),
  results: z.array(BackupUnitResultSchema),
});
export type BackupRunResult = z.infer<typeof BackupRunResultSchema>;

export const BACKUP_PHASES = ['queued', 'connecting', 'reading', 'committing', 'done', 'failed'] as const;
export const BackupProgressSchema = z.object({
  runId: z.string(),
  unit: z.string(),
  phase: z.enum(BACKUP_PHASES),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Set once the unit is done. */
  backupId: z.string().optional(),
  /** One line: the failure, or what is being read. */
  message: z.string().optional(),
});
export type BackupProgress = z.infer<typeof BackupProgressSchema>;
