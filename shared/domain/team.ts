import { z } from 'zod';

import { HealthLevelSchema } from './health';

/*
 * The team as the contract carries it: the server this laptop joined, what is waiting to be pushed, how the last
 * sync went, the host-key conflicts standing, the team's fleet as this laptop knows it, and what `audit verify
 * --team` found for every device's chain.
 */

export const HostKeyConflictSchema = z.object({
  unit: z.string(),
  pins: z.array(
    z.object({
      /** null: this laptop. */
      deviceId: z.string().nullable(),
      device: z.string(),
      fingerprint: z.string(),
      pinnedAt: z.string().nullable(),
    }),
  ),
});
export type HostKeyConflictView = z.infer<typeof HostKeyConflictSchema>;

const CountsSchema = z.object({
  units: z.number().int().nonnegative(),
  diagnoses: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  restores: z.number().int().nonnegative(),
  backups: z.number().int().nonnegative(),
  settings: z.number().int().nonnegative(),
  audit: z.number().int().nonnegative(),
  /** Where backups live: a target they were pushed to, a laptop that pulled them. */
  locations: z.number().int().nonnegative(),
});
export type SyncCounts = z.infer<typeof CountsSchema>;

export const TeamStatusSchema = z.object({
  joined: z.boolean(),
  /** The server's address (never with a password). */
  url: z.string().nullable(),
  deviceId: z.string(),
  deviceLabel: z.string().nullable(),
  joinedAt: z.string().nullable(),
  /** Where the password comes from: the environment variable's name, or the OS keychain. */
  passwordFrom: z.string().nullable(),
  /** Rows recorded here and not yet on the server (units, diagnoses, runs, restores, settings, backup locations; audit rows unknown offline). */
  pending: z.number().int().nonnegative(),
  syncing: z.boolean(),
  lastSync: z
    .object({
      at: z.string(),
      ok: z.boolean(),
      pushed: z.number().int().nonnegative(),
      pulled: z.number().int().nonnegative(),
      error: z.string().nullable(),
    })
    .nullable(),
  devices: z.array(z.object({ deviceId: z.string(), label: z.string(), technician: z.string().nullable() })),
  conflicts: z.array(HostKeyConflictSchema),
});
export type TeamStatus = z.infer<typeof TeamStatusSchema>;

export const SyncResultSchema = z.object({
  ok: z.boolean(),
  /** Set when the sync stopped (the link dropped, the server refused): what was committed stays, the rest waits. */
  error: z.string().nullable(),
  pushed: CountsSchema,
  pulled: CountsSchema,
  /** Rows the server holds for another device under the same id (a run belongs to its device): not overwritten. */
  refused: z.array(z.string()),
  conflicts: z.array(HostKeyConflictSchema),
  /** Team settings a colleague edited later than this laptop did, now in force here. */
  settingsApplied: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
});
export type SyncResult = z.infer<typeof SyncResultSchema>;

export const TeamFleetUnitSchema = z.object({
  name: z.string(),
  /** Registered on this laptop. */
  mine: z.boolean(),
  /** The laptops (labels) that registered it. */
  devices: z.array(z.string()),
  lastVisit: z
    .object({
      at: z.string(),
      level: HealthLevelSchema,
      actor: z.string().nullable(),
      /** null: this laptop. */
      device: z.string().nullable(),
    })
    .nullable(),
  lastBackup: z.object({ at: z.string(), actor: z.string().nullable(), device: z.string().nullable() }).nullable(),
  conflict: z.boolean(),
});
export type TeamFleetUnit = z.infer<typeof TeamFleetUnitSchema>;

export const ChainVerdictSchema = z.object({
  deviceId: z.string(),
  device: z.string(),
  mine: z.boolean(),
  rows: z.number().int().nonnegative(),
  ok: z.boolean(),
  /** What the verdict rests on: the HMAC (this laptop's own chain) or linkage, heads and the pulled copy. */
  proof: z.enum(['keyed', 'linkage']),
  problem: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});
export type ChainVerdict = z.infer<typeof ChainVerdictSchema>;

export const TeamAuditVerificationSchema = z.object({
  ok: z.boolean(),
  chains: z.array(ChainVerdictSchema),
});
export type TeamAuditVerification = z.infer<typeof TeamAuditVerificationSchema>;
