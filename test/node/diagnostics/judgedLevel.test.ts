import { describe, expect, it } from 'vitest';

import { judgedLevel, rollUp, type CheckResult } from '../../../shared/domain/health';

describe("a unit's level is its worst judged level", () => {
  it('lets a known ERROR or WARN show through a check that could not be judged', () => {
    expect(judgedLevel(['OK', 'STALE', 'ERROR'])).toBe('ERROR');
    expect(judgedLevel(['STALE', 'WARN', 'OK'])).toBe('WARN');
    expect(judgedLevel(['ERROR', 'WARN'])).toBe('ERROR');
  });

  it('is STALE when nothing could be judged or nothing else went wrong, and OK only when all was judged OK', () => {
    expect(judgedLevel(['STALE', 'STALE'])).toBe('STALE');
    expect(judgedLevel(['OK', 'STALE'])).toBe('STALE');
    expect(judgedLevel(['OK', 'OK'])).toBe('OK');
    expect(judgedLevel([])).toBe('OK');
  });

  it('rolls a parent up the same way', () => {
    const leaf = (id: string, level: CheckResult['level']): CheckResult => ({ id, level, message: '', evidence: '' });
    const parent: CheckResult = {
      ...leaf('resources.disk', 'OK'),
      children: [leaf('resources.disk./', 'STALE'), leaf('resources.disk./opt/oht50', 'ERROR')],
    };
    expect(rollUp(parent).level).toBe('ERROR');
  });
});
