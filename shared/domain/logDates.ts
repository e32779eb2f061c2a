import { z } from 'zod';

/** A moment as ISO 8601 UTC (2026-03-01T08:00:00Z, milliseconds allowed). */
export const LogDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'a UTC time as 2026-03-01T08:00:00Z');
