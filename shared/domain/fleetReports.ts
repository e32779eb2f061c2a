import { z } from 'zod';

import { HealthLevelSchema } from './health';
import { LogbookDateSchema, LogbookEntrySchema } from './logbook';
import { SaidSchema } from './said';
import { PinnedHostKeySchema, VehicleProfileSchema } from './unit';

/*
 * The two reports the logbook makes for people outside the workshop: one unit's service record and the site report
 * for a period. The page, the printable HTML and PDF, the CSV and the JSON are all drawn from these values.
 */

export const BackupRefSchema = z.object({
  backupId: z.string(),
  createdAt: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});

export const VerifiedBackupSchema = BackupRefSchema.extend({
  verifiedAt: z.string(),
  verifiedBy: z.string(),
  checkedFiles: z.number().int().nonnegative(),
});

export const OpenFindingSchema = z.object({
  checkId: z.string(),
  level: HealthLevelSchema,
  message: z.string(),
  /** The message as words, said in the reader's language (absent: only the English is known). */
  say: SaidSchema.optional(),
  runbook: z.string().nullable(),
});
export type OpenFinding = z.infer<typeof OpenFindingSchema>;

export const ProcedureRunLineSchema = z.object({
  runId: z.string(),
  procedureId: z.string(),
  titleEn: z.string(),
  titleVi: z.string(),
  units: z.array(z.string()),
  state: z.string(),
  escalationLevel: z.number().int().nullable(),
  startedAt: z.string(),
  startedBy: z.string(),
  endedAt: z.string().nullable(),
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
  recordHash: z.string().nullable(),
});
export type ProcedureRunLine = z.infer<typeof ProcedureRunLineSchema>;

export const RestoreLineSchema = z.object({
  transactionId: z.string(),
  backupId: z.string(),
  startedAt: z.string(),
  startedBy: z.string(),
  result: z.string().nullable(),
  reason: z.string().nullable(),
});

export const IncidentMonthSchema = z.object({
  month: z.string(),
  estop: z.number().int().nonnegative(),
  crashes: z.number().int().nonnegative(),
});

export const AuditHeadSchema = z.object({
  /** The newest row of the whole audit chain: every earlier row, this unit's included, is hashed into it. */
  seq: z.number().int().nullable(),
  hash: z.string().nullable(),
  at: z.string().nullable(),
  /** This unit's newest row in the chain. */
  unitSeq: z.number().int().nullable(),
  intact: z.boolean(),
  checked: z.number().int().nonnegative(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});

export const UnitRecordSchema = z.object({
  unit: z.string(),
  generatedAt: z.string(),
  since: z.string().nullable(),
  identity: z
    .object({
      host: z.string(),
      port: z.number().int(),
      user: z.string(),
      hostKey: PinnedHostKeySchema.nullable(),
      profile: VehicleProfileSchema,
      addedAt: z.string(),
    })
    .nullable(),
  firmwareVersion: z.object({ version: z.string(), seenAt: z.string() }).nullable(),
  health: z
    .object({ level: HealthLevelSchema, at: z.string(), runId: z.string(), findings: z.array(OpenFindingSchema) })
    .nullable(),
  lastBackup: BackupRefSchema.nullable(),
  lastVerifiedBackup: VerifiedBackupSchema.nullable(),
  procedures: z.array(ProcedureRunLineSchema),
  restores: z.array(RestoreLineSchema),
  registerWrites: z.array(LogbookEntrySchema),
  incidents: z.object({
    months: z.array(IncidentMonthSchema),
    estop: z.number().int().nonnegative(),
    crashes: z.number().int().nonnegative(),
  }),
  chain: AuditHeadSchema,
});
export type UnitRecord = z.infer<typeof UnitRecordSchema>;

export const HealthDaySchema = z.object({
  day: z.string(),
  OK: z.number().nonnegative(),
  WARN: z.number().nonnegative(),
  ERROR: z.number().nonnegative(),
  STALE: z.number().nonnegative(),
});
export type HealthDay = z.infer<typeof HealthDaySchema>;

export const SiteReportSchema = z.object({
  since: z.string(),
  until: z.string(),
  generatedAt: z.string(),
  units: z.array(z.string()),
  /** Per day, the share (0–1) of the units diagnosed so far at each level (a unit keeps its level until the next). */
  health: z.array(HealthDaySchema),
  incidents: z.array(
    z.object({
      unit: z.string(),
      estop: z.number().int().nonnegative(),
      crashes: z.number().int().nonnegative(),
      otherErrors: z.number().int().nonnegative(),
      /** Mean hours between firmware crashes; null with fewer than two. */
      mtbfHours: z.number().nonnegative().nullable(),
    }),
  ),
  backups: z.object({
    maxAgeDays: z.number().int().positive(),
    /** Units without a verified backup younger than maxAgeDays first. */
    units: z.array(
      z.object({
        unit: z.string(),
        covered: z.boolean(),
        lastBackupAt: z.string().nullable(),
        lastVerifiedBackupAt: z.string().nullable(),
      }),
    ),
  }),
  procedures: z.object({
    runs: z.number().int().nonnegative(),
    completed: z.number().int().nonnegative(),
    aborted: z.number().int().nonnegative(),
    escalated: z.number().int().nonnegative(),
    signed: z.number().int().nonnegative(),
    byProcedure: z.array(
      z.object({ procedureId: z.string(), titleEn: z.string(), titleVi: z.string(), runs: z.number().int() }),
    ),
    escalations: z.array(ProcedureRunLineSchema),
  }),
});
export type SiteReport = z.infer<typeof SiteReportSchema>;

export const UnitReportInputSchema = z.object({
  name: z.string().min(1).max(63),
  since: LogbookDateSchema.optional(),
});

export const SiteReportInputSchema = z.object({
  since: LogbookDateSchema,
  until: LogbookDateSchema.optional(),
  /** A unit is covered when it has a verified backup younger than this. */
  backupMaxAgeDays: z.number().int().min(1).max(3650).default(7),
});

export const ReportRequestSchema = z.discriminatedUnion('report', [
  UnitReportInputSchema.extend({ report: z.literal('unit') }),
  SiteReportInputSchema.extend({ report: z.literal('site') }),
]);
export type ReportRequest = z.infer<typeof ReportRequestSchema>;
