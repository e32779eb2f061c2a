import { z } from 'zod';

import {
  BackupCheckSchema,
  BackupDetailSchema,
  BackupProfileSchema,
  BackupProfileViewSchema,
  BackupPruneSchema,
  BackupRunInputSchema,
  BackupRunResultSchema,
  BackupStatsSchema,
  BackupSummarySchema,
  BackupVerifySchema,
  BackupProgressSchema,
  BackupPullSchema,
  BackupWhereSchema,
  BackupPushSchema,
  ReplicaSettingsSchema,
} from '../../domain/backup';
import { UnitNameSchema } from '../../domain/unit';
import {
  RestorePlanInputSchema,
  RestorePlanSchema,
  RestoreProgressSchema,
  RestoreResultSchema,
  RestoreRunInputSchema,
  RestoreToFolderInputSchema,
  RestoreToFolderResultSchema,
} from '../../domain/restore';

/** The backup feature's calls and events; shared/ipc/contract.ts merges them into the one contract. */
export const backupCalls = {
  /** Backs up the named units (bounded parallelism, one SSH connection each); per-unit results, failures included. */
  'backup.run': { input: BackupRunInputSchema, output: BackupRunResultSchema },
  /** Runs the failed units of an earlier run again (runs are kept while the workstation runs). */
  'backup.retryFailed': {
    input: z.object({ runId: z.string().min(1) }),
    output: BackupRunResultSchema,
  },
  /** Committed backups, newest first; only the unit's when named. Backups being written never show. */
  'backup.list': {
    input: z.object({ unit: UnitNameSchema.optional(), kind: z.enum(['backup', 'snapshot', 'all']).default('all') }),
    output: z.array(BackupSummarySchema),
  },
  /** One backup with every file (path, type, mode, owner, size, SHA-256) and its attachments. */
  'backup.get': { input: z.object({ backupId: z.string().min(1) }), output: BackupDetailSchema },
  /** Re-reads the backup's chunks and checks every hash; `sample` reads only that many files in full. */
  'backup.verify': {
    input: z.object({ backupId: z.string().min(1), sample: z.number().int().min(1).optional() }),
    output: BackupVerifySchema,
  },
  /** Keeps the newest backup of each of the last keepDaily days and keepMonthly months per unit; removes the rest. */
  'backup.prune': {
    input: z.object({
      keepDaily: z.number().int().min(0).max(3650).default(7),
      keepMonthly: z.number().int().min(0).max(1200).default(12),
      keepSnapshotDays: z.number().int().min(0).max(3650).optional(),
      dryRun: z.boolean().default(false),
    }),
    output: BackupPruneSchema,
  },
  /**
   * The whole store's health: index, packs, manifests, every referenced chunk; with readData every byte is read and
   * damaged chunks are quarantined. ok is false only for damage.
   */
  'backup.check': { input: z.object({ readData: z.boolean().default(false) }), output: BackupCheckSchema },
  /** Store sizes: what deduplication and compression save. */
  'backup.stats': { input: z.object({}), output: BackupStatsSchema },
  /** The profile a unit is backed up by (the fleet's when no unit is named), and where it comes from. */
  'backup.profile': { input: z.object({ unit: UnitNameSchema.optional() }), output: BackupProfileViewSchema },
  /** Saves an edited profile for the fleet or one unit into the data folder (null: back to the next one up). */
  'backup.setProfile': {
    input: z.object({ unit: UnitNameSchema.optional(), profile: BackupProfileSchema.nullable() }),
    output: BackupProfileViewSchema,
  },
  /**
   * Copies to a replica (a folder, or sftp://user@host[:port]/path with a pinned host key) the packs and manifests it
   * lacks; only the unit's backups when named. Without a target, the default one (backup.setTarget).
   */
  'backup.push': {
    input: z.object({
      target: z.string().min(1).optional(),
      unit: UnitNameSchema.optional(),
      keyPath: z.string().optional(),
    }),
    output: BackupPushSchema,
  },
  /** Brings one backup from a replica into the local store: by id, or the newest backup of the unit named. */
  'backup.pull': {
    input: z.object({
      selector: z.string().min(1),
      target: z.string().min(1).optional(),
      keyPath: z.string().optional(),
    }),
    output: BackupPullSchema,
  },
  /** A replica's health, read without a key; with readData every pack is read against its SHA-256. */
  'backup.checkAt': {
    input: z.object({
      target: z.string().min(1).optional(),
      readData: z.boolean().default(false),
      keyPath: z.string().optional(),
    }),
    output: BackupCheckSchema,
  },
  /** Where a backup (by id) or a unit's backups (by name) live: targets and laptops, this laptop's records and the team's. */
  'backup.where': { input: z.object({ selector: z.string().min(1) }), output: BackupWhereSchema },
  /** The default target, the SSH key for SFTP targets and the pinned host keys. */
  'backup.replicaSettings': { input: z.object({}), output: ReplicaSettingsSchema },
  /** Sets (or clears, with null) the default target and the SSH key for SFTP targets. */
  'backup.setTarget': {
    input: z.object({ target: z.string().min(1).nullable(), keyPath: z.string().min(1).nullable().default(null) }),
    output: ReplicaSettingsSchema,
  },
  /** Pins an SFTP target's host key (only one matching fingerprint, when given). */
  'backup.trustTarget': {
    input: z.object({
      target: z.string().min(1),
      fingerprint: z
        .string()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint as ssh-keygen -l prints it')
        .optional(),
    }),
    output: z.object({ target: z.string(), algorithm: z.string(), fingerprint: z.string() }),
  },
  /** The dry run: what a restore of the backup would create, change and delete on the unit, and which services restart. */
  'restore.plan': { input: RestorePlanInputSchema, output: RestorePlanSchema },
  /** The restore transaction; needs confirm: true. Emits restore.progress per phase. */
  'restore.run': { input: RestoreRunInputSchema, output: RestoreResultSchema },
  /** A backup's files written into a folder of the workstation with their modes (owners as root); no unit touched. */
  'restore.toFolder': { input: RestoreToFolderInputSchema, output: RestoreToFolderResultSchema },
} as const;
export const backupEvents = {
  /** Per unit of a backup run: queued, connecting, reading (files and bytes so far), committing, done or failed. */
  'backup.progress': BackupProgressSchema,
  'restore.progress': RestoreProgressSchema,
} as const;
