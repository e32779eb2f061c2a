import { z } from 'zod';

import { UnitNameSchema } from './unit';

/**
 * A restore puts a unit back to one of its backups as one recorded transaction:
 * verify → plan → preconditions → snapshot → apply → restart → health → commit, or rollback to the snapshot.
 */
export const RESTORE_PHASES = [
  'verify',
  'plan',
  'preconditions',
  'snapshot',
  'apply',
  'restart',
  'health',
  'commit',
  'rollback',
] as const;
export const RestorePhaseSchema = z.enum(RESTORE_PHASES);
export type RestorePhase = z.infer<typeof RestorePhaseSchema>;

export const RestorePhaseStatusSchema = z.enum(['started', 'ok', 'failed', 'skipped']);
export type RestorePhaseStatus = z.infer<typeof RestorePhaseStatusSchema>;

/** create: not on the unit now; modify: content, type, link target, mode or owner differ; delete: added since the backup. */
export const RestoreActionSchema = z.enum(['create', 'modify', 'delete']);
export type RestoreAction = z.infer<typeof RestoreActionSchema>;

export const RestoreChangeSchema = z.object({
  /** The path as on the unit (absolute). */
  path: z.string(),
  action: RestoreActionSchema,
  /** What the entry is after the restore (for a delete: what it is now). */
  type: z.enum(['file', 'dir', 'symlink']),
  /** For modify: what differs. */
  differs: z.array(z.enum(['content', 'type', 'target', 'mode', 'owner'])),
});
export type RestoreChange = z.infer<typeof RestoreChangeSchema>;

/** The dry run: exactly what a restore would do, computed against the unit's current tree; nothing is touched. */
export const RestorePlanSchema = z.object({
  unit: z.string(),
  backupId: z.string(),
  backupCreatedAt: z.string(),
  /** The profile's roots on the unit that the restore covers (anything outside them is never touched). */
  roots: z.array(z.string()),
  /** A replacement board: the restore was declared as one and the unit's pinned host key differs from the backup's. */
  replacement: z.boolean(),
  /** The fingerprint pinned for the unit now, and the one recorded with the backup (null when not recorded). */
  hostKey: z.object({ pinned: z.string().nullable(), atBackup: z.string().nullable() }),
  changes: z.array(RestoreChangeSchema),
  /** systemd units restarted after the apply, in order: the ones the profile ties to the changed paths. */
  services: z.array(z.string()),
  counts: z.object({
    create: z.number().int().nonnegative(),
    modify: z.number().int().nonnegative(),
    delete: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
  }),
  /** Bytes of file content that would be sent to the unit. */
  bytesToSend: z.number().int().nonnegative(),
  /** What the technician should know first (an earlier restore of the unit that did not finish). */
  notes: z.array(z.string()).optional(),
});
export type RestorePlan = z.infer<typeof RestorePlanSchema>;

export const RestorePhaseRecordSchema = z.object({
  phase: RestorePhaseSchema,
  status: RestorePhaseStatusSchema,
  startedAt: z.string(),
  durationMs: z.number().int().nonnegative(),
  /** One line for people: what the phase did or why it failed. */
  detail: z.string(),
});
export type RestorePhaseRecord = z.infer<typeof RestorePhaseRecordSchema>;

/**
 * committed: applied, services restarted, health gate passed. rolled-back: something failed after the snapshot (the
 * apply, a restart or the health gate) and the unit was put back to the snapshot; `reason` says why. A restore whose
 * rollback fails too is an error (COMMAND_FAILED) naming the transaction and the snapshot.
 */
export const RestoreResultSchema = z.object({
  transactionId: z.string(),
  unit: z.string(),
  backupId: z.string(),
  snapshotId: z.string().nullable(),
  result: z.enum(['committed', 'rolled-back']),
  reason: z.string().nullable(),
  replacement: z.boolean(),
  changes: z.array(RestoreChangeSchema),
  services: z.array(z.string()),
  phases: z.array(RestorePhaseRecordSchema),
  durationMs: z.number().int().nonnegative(),
});
export type RestoreResult = z.infer<typeof RestoreResultSchema>;

/** Sent when each phase starts and ends, so the wizard can show it as it runs. */
export const RestoreProgressSchema = z.object({
  transactionId: z.string(),
  unit: z.string(),
  phase: RestorePhaseSchema,
  status: RestorePhaseStatusSchema,
  detail: z.string(),
  /** For the apply and the snapshot: how far (files done of files). */
  done: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
});
export type RestoreProgress = z.infer<typeof RestoreProgressSchema>;

export const RestorePlanInputSchema = z.object({
  name: UnitNameSchema,
  backupId: z.string().min(1),
  /**
   * Restoring onto a replacement board (same unit, new host key). Its key must have been pinned explicitly first
   * (units.trust with the fingerprint read on the vehicle); a restore onto a unit whose key changed since the backup is
   * refused unless this says so.
   */
  replacement: z.boolean().default(false),
});

export const RestoreRunInputSchema = RestorePlanInputSchema.extend({
  /** Must be true: a restore changes a vehicle. Without it the call fails with CONFIRMATION_REQUIRED and the plan. */
  confirm: z.boolean().default(false),
});

/** A backup's files written into a folder of the workstation, touching no unit (restic's restore --target). */
export const RestoreToFolderInputSchema = z.object({
  backupId: z.string().min(1),
  /** An absolute folder that does not exist yet or is empty; the data folder's copies/<backup id> when absent. */
  dir: z.string().min(1).max(4096).optional(),
});

export const RestoreToFolderResultSchema = z.object({
  backupId: z.string(),
  unit: z.string(),
  /** Where the files are: each at <dir><path on the unit>. */
  dir: z.string(),
  files: z.number().int().nonnegative(),
  dirs: z.number().int().nonnegative(),
  links: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Owners were set as recorded (the workstation ran as root); otherwise only modes were. */
  owners: z.boolean(),
  /** Files that could not be written (damaged in the store): everything else was. */
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type RestoreToFolderResult = z.infer<typeof RestoreToFolderResultSchema>;
