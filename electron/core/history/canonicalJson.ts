import { AppError, type JsonValue } from '../../../shared/errors/AppError';

/**
 * JSON with object keys sorted (by UTF-16 code unit, recursively) and no whitespace, so the same value always
 * gives the same text and therefore the same hash. Properties whose value is undefined are left out, as
 * JSON.stringify does; anything that has no JSON form (NaN, Infinity, undefined in an array, a Date, a Map…)
 * is refused rather than silently changed, because a hash over a changed value could never be verified.
 */
export function canonicalJson(value: JsonValue): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw notJson(path, String(value));
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => encode(item, `${path}[${index}]`)).join(',')}]`;
  }
  if (isPlainObject(value)) {
    const members = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${encode(value[key], `${path}.${key}`)}`);
    return `{${members.join(',')}}`;
  }
  throw notJson(path, typeof value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function notJson(path: string, what: string): AppError {
  return new AppError('VALIDATION', `${path} is not a JSON value (${what})`, { details: { path } });
}
