import { z } from 'zod';

/** Small schema helpers shared by the procedure format's files. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pathKey(part: PropertyKey): string | number {
  return typeof part === 'number' ? part : String(part);
}

/**
 * A schema that picks the schema to apply from the input itself (or refuses it with a reason), so that an unknown
 * step kind is reported as such rather than as the failures of every kind it is not.
 */
export function dispatch<T>(
  pick: (input: unknown) => z.ZodType<T> | string | { reason: string; at: string },
): z.ZodType<T, unknown> {
  return z.unknown().transform((input, ctx): T => {
    const schema = pick(input);
    if (typeof schema === 'string') {
      ctx.issues.push({ code: 'custom', message: schema, input });
      return z.NEVER;
    }
    if ('reason' in schema) {
      ctx.issues.push({ code: 'custom', message: schema.reason, input, path: [schema.at] });
      return z.NEVER;
    }
    const result = schema.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.issues.push({ code: 'custom', message: issue.message, input: issue.input, path: issue.path.map(pathKey) });
      }
      return z.NEVER;
    }
    return result.data;
  });
}
