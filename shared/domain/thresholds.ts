import { z } from 'zod';

/** A warning and a critical limit; a reading at or above `critical` is ERROR, at or above `warning` WARN. */
const Limit = z
  .object({ warning: z.number().nonnegative(), critical: z.number().nonnegative() })
  .refine((l) => l.warning <= l.critical, 'warning must not be above critical');

/** Alert thresholds; the defaults are the runbook's "Alert Thresholds" table. Editable in settings. */
export const ThresholdsSchema = z.object({
  cpuPercent: Limit,
  memoryPercent: Limit,
  diskPercent: Limit,
  responseTimeMs: Limit,
  errorRatePercent: Limit,
  /** How far the vehicle's clock may drift from the laptop's, in seconds. */
  clockSkewS: Limit,
  /** Errors in a service's journal over the log window before it is a warning or an error. */
  logErrors: Limit,
  /** Size of the install folder's logs/ before it is worth a warning, in MiB. */
  logsDirMiB: Limit,
  /** Journal window for the logs checks, in minutes. */
  logWindowMin: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  cpuPercent: { warning: 80, critical: 95 },
  memoryPercent: { warning: 85, critical: 95 },
  diskPercent: { warning: 80, critical: 90 },
  responseTimeMs: { warning: 500, critical: 1000 },
  errorRatePercent: { warning: 5, critical: 10 },
  clockSkewS: { warning: 5, critical: 60 },
  logErrors: { warning: 1, critical: 20 },
  logsDirMiB: { warning: 1024, critical: 4096 },
  logWindowMin: 60,
};

/** OK, WARN or ERROR for a reading against a limit. */
export function levelFor(value: number, limit: { warning: number; critical: number }): 'OK' | 'WARN' | 'ERROR' {
  if (value >= limit.critical) {
    return 'ERROR';
  }
  if (value >= limit.warning) {
    return 'WARN';
  }
  return 'OK';
}
