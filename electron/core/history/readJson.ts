import type { z } from 'zod';

import { AppError } from '../../../shared/errors/AppError';

/**
 * Parses a JSON column and checks it against its domain schema, so that a damaged or hand-edited row
 * surfaces here as one DB error naming the file and the row, not later as a crash far from the cause.
 */
export function readJson<S extends z.ZodType>(schema: S, text: string, file: string, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable(file, what, 'not JSON');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw unreadable(file, what, `${where}${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

function unreadable(file: string, what: string, reason: string): AppError {
  return new AppError('DB', `${file}: ${what} is unreadable (${reason})`, { details: { file, what } });
}
