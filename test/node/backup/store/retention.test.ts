import { describe, expect, it } from 'vitest';

import type { RetentionCandidate } from '../../../../electron/core/backup/store/retention';
import { selectRetained } from '../../../../electron/core/backup/store/retention';

const at = (id: string, iso: string, kind: 'backup' | 'snapshot' = 'backup', unit = 'u'): RetentionCandidate => ({
  id,
  unit,
  kind,
  createdAtMs: Date.parse(iso),
});
const rule = { keepDaily: 2, keepMonthly: 1, keepSnapshotDays: 7, nowMs: Date.parse('2026-11-28T12:00:00Z') };

describe('retention', () => {
  it('keeps the newest of each of the last N days that have backups, not the last N calendar days', () => {
    const kept = selectRetained(
      [
        at('old-1', '2026-11-01T08:00:00Z'),
        at('old-2', '2026-11-01T18:00:00Z'),
        at('mid', '2026-11-10T08:00:00Z'),
        at('new-1', '2026-11-20T08:00:00Z'),
        at('new-2', '2026-11-20T09:00:00Z'),
      ],
      rule,
    );
    expect([...kept].sort()).toEqual(['mid', 'new-2']);
  });

  it('counts days per unit and in UTC', () => {
    const kept = selectRetained(
      [
        at('a1', '2026-11-27T23:30:00Z', 'backup', 'a'),
        at('a2', '2026-11-28T00:30:00Z', 'backup', 'a'),
        at('a0', '2026-11-26T00:30:00Z', 'backup', 'a'),
        at('b1', '2025-01-01T00:00:00Z', 'backup', 'b'),
      ],
      { ...rule, keepMonthly: 0 },
    );
    expect([...kept].sort()).toEqual(['a1', 'a2', 'b1']);
  });

  it('keeps snapshots by age plus the newest one, and never lets them take a backup slot', () => {
    const kept = selectRetained(
      [
        at('b', '2026-11-01T08:00:00Z'),
        at('s-old', '2026-10-01T08:00:00Z', 'snapshot'),
        at('s-older', '2026-09-01T08:00:00Z', 'snapshot'),
        at('s-new', '2026-11-25T08:00:00Z', 'snapshot'),
        at('s-newer', '2026-11-27T08:00:00Z', 'snapshot'),
      ],
      { ...rule, keepDaily: 1, keepMonthly: 0 },
    );
    expect([...kept].sort()).toEqual(['b', 's-new', 's-newer']);
    const onlyOld = selectRetained(
      [at('s1', '2026-01-01T00:00:00Z', 'snapshot'), at('s2', '2026-02-01T00:00:00Z', 'snapshot')],
      rule,
    );
    expect([...onlyOld]).toEqual(['s2']);
  });

  it('keeps a unit newest backup even with zero slots, and refuses negative counts', () => {
    expect([
      ...selectRetained([at('x', '2020-01-01T00:00:00Z'), at('y', '2021-01-01T00:00:00Z')], {
        ...rule,
        keepDaily: 0,
        keepMonthly: 0,
      }),
    ]).toEqual(['y']);
    expect(() => selectRetained([], { ...rule, keepDaily: -1 })).toThrow(RangeError);
  });
});
