import { z } from 'zod';

import { ERROR_CODES, type SerializedAppError } from '../errors/AppError';

/** Every call answers with this envelope, so errors cross as data and are never thrown across a process. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: SerializedAppError };

export const SerializedAppErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  retryable: z.boolean().optional(),
});

export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: SerializedAppErrorSchema }),
]);
