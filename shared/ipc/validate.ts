import type { z } from 'zod';

import { AppError } from '../errors/AppError';

/** Parses untrusted input; failures become a VALIDATION AppError that lists every `path: message`. */
export function parseUnknown<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(input)';
    return `${path}: ${issue.message}`;
  });
  throw new AppError('VALIDATION', `Invalid ${what}: ${issues.join('; ')}`, { details: { issues } });
}
