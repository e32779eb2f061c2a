import { z } from 'zod';

import { UnitNameSchema } from './unit';

/** journalctl's priorities, most severe first; a filter at one level shows it and everything worse. */
export const LOG_PRIORITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export const LogPrioritySchema = z.enum(LOG_PRIORITIES);
export type LogPriority = z.infer<typeof LogPrioritySchema>;

/** One journal entry as the live log view shows it. */
export const LogLineSchema = z.object({
  /** The entry's time on the vehicle, epoch ms. */
  atMs: z.number(),
  /** 0 emerg … 7 debug. */
  priority: z.number().int().min(0).max(7),
  /** The systemd unit it belongs to, when the journal says. */
  unit: z.string(),
  identifier: z.string(),
  pid: z.number().int().nullable(),
  message: z.string(),
});
export type LogLine = z.infer<typeof LogLineSchema>;

/** A systemd unit name, as journalctl -u takes it. */
export const SystemdUnitSchema = z
  .string()
  .regex(/^[A-Za-z0-9@._:-]{1,200}$/, 'a systemd unit name')
  .refine((name) => !name.startsWith('-'), 'a systemd unit name');

/** Which journal a view reads: the vehicle's own services (the profile's) unless other units are named. */
export const LogSourceSchema = z.object({
  unit: UnitNameSchema,
  /** Systemd units to read; empty: the unit's backend and firmware services. */
  services: z.array(SystemdUnitSchema).max(20).default([]),
  /** The whole journal of the vehicle instead of some units. */
  allServices: z.boolean().default(false),
  /** This level and worse. */
  priority: LogPrioritySchema.default('debug'),
});
export type LogSource = z.infer<typeof LogSourceSchema>;

/** A log view kept as evidence, as lists show it. */
export const LogViewSchema = z.object({
  id: z.string(),
  unit: z.string(),
  actor: z.string(),
  savedAt: z.string(),
  runId: z.string().nullable(),
  lines: z.number().int(),
  sha256: z.string(),
  filter: z.record(z.string(), z.unknown()),
});
export type LogView = z.infer<typeof LogViewSchema>;

export function priorityName(priority: number): LogPriority {
  return LOG_PRIORITIES[Math.max(0, Math.min(7, Math.trunc(priority)))] ?? 'debug';
}
