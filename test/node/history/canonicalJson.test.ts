import { describe, expect, it } from 'vitest';

import { canonicalJson } from '../../../electron/core/history/canonicalJson';
import type { JsonValue } from '../../../shared/errors/AppError';
import { catchAppError } from './fixtures';

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text for the same value built in any order', () => {
    expect(canonicalJson({ unit: 'OHT-07', action: 'restart' })).toBe(
      canonicalJson({ action: 'restart', unit: 'OHT-07' }),
    );
  });

  it('leaves out undefined properties as JSON.stringify does', () => {
    const value = { a: 1, b: undefined } as unknown as JsonValue;
    expect(canonicalJson(value)).toBe('{"a":1}');
  });

  it('refuses values that have no JSON form instead of changing them', () => {
    expect(catchAppError(() => canonicalJson({ n: Number.NaN }), 'VALIDATION').message).toBe(
      '$.n is not a JSON value (NaN)',
    );
    catchAppError(() => canonicalJson({ when: new Date(0) } as unknown as JsonValue), 'VALIDATION');
    catchAppError(() => canonicalJson([undefined] as unknown as JsonValue), 'VALIDATION');
  });
});
