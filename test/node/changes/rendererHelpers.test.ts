import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import type { Unit } from '../../../shared/domain/unit';
import { groupChanges } from '../../../renderer/features/changes/groupChanges';
import { sortWorstFirst } from '../../../renderer/features/fleet/sortUnits';
import { draftOf, problemsByField, thresholdsFrom } from '../../../renderer/features/settings/thresholdFields';
import { sampleUnit } from '../history/fixtures';

describe('the renderer’s pure helpers for changes, the fleet order and the thresholds form', () => {
  it('groups a check’s lines and leaves out what the level chips already say', () => {
    expect(
      groupChanges([
        { checkId: 'services.firmware', from: 'OK', to: 'ERROR', text: 'services.firmware OK → ERROR: it failed' },
        { checkId: 'services.firmware', from: 'OK', to: 'ERROR', text: 'oht50-firmware restarted 1 time' },
        { checkId: 'clock', from: 'OK', to: null, text: 'clock is no longer reported (was OK)' },
      ]),
    ).toEqual([
      {
        checkId: 'services.firmware',
        from: 'OK',
        to: 'ERROR',
        lines: ['it failed', 'oht50-firmware restarted 1 time'],
      },
      { checkId: 'clock', from: 'OK', to: null, lines: ['clock is no longer reported (was OK)'] },
    ]);
  });

  it('sorts the fleet worst first, never-diagnosed between WARN and OK, then by name', () => {
    const unit = (name: string, lastLevel: Unit['lastLevel']): Unit => sampleUnit(name, { lastLevel });
    const sorted = sortWorstFirst([
      unit('a-ok', 'OK'),
      unit('b-never', null),
      unit('c-warn', 'WARN'),
      unit('d-stale', 'STALE'),
      unit('e-error', 'ERROR'),
      unit('a-error', 'ERROR'),
    ]);
    expect(sorted.map((u) => u.name)).toEqual(['d-stale', 'a-error', 'e-error', 'c-warn', 'b-never', 'a-ok']);
  });

  it('sends typed numbers as numbers and anything else as typed, and files the core’s objections by field', () => {
    const draft = draftOf(DEFAULT_THRESHOLDS);
    expect(thresholdsFrom(draft)).toEqual(DEFAULT_THRESHOLDS);
    const edited = { ...draft, cpuPercent: { warning: ' 70 ', critical: '' }, logWindowMin: 'abc' };
    expect(thresholdsFrom(edited)).toMatchObject({ cpuPercent: { warning: 70, critical: '' }, logWindowMin: 'abc' });
    const problems = problemsByField([
      'thresholds.cpuPercent: warning must not be above critical',
      'thresholds.cpuPercent.critical: Invalid input: expected number, received string',
      'thresholds.logWindowMin: Too big',
      '(input): something else',
    ]);
    expect(Object.fromEntries(problems)).toEqual({
      cpuPercent: ['warning must not be above critical'],
      'cpuPercent.critical': ['Invalid input: expected number, received string'],
      logWindowMin: ['Too big'],
      '': ['something else'],
    });
  });
});
