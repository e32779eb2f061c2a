import { describe, expect, it } from 'vitest';

import type { CheckResult, DiagnosisReport } from '../../../../shared/domain/health';
import { assertSafeToApply, judgeSweep } from '../../../../electron/core/backup/restore/preconditions';

const report = (checks: CheckResult[]): DiagnosisReport => ({
  runId: 'r',
  unit: 'u',
  level: 'OK',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  checks,
});
const check = (id: string, level: CheckResult['level'], children?: CheckResult[]): CheckResult => ({
  id,
  level,
  message: `${id} is ${level}`,
  evidence: '',
  ...(children ? { children } : {}),
});

describe('the health gate judges the sweep after a restore against the one before', () => {
  it('passes when nothing new is at ERROR (an ERROR that was there before stays allowed)', () => {
    const before = report([check('api.backend', 'ERROR'), check('services.firmware', 'OK')]);
    const after = report([check('api.backend', 'ERROR'), check('services.firmware', 'WARN')]);
    expect(judgeSweep(before, after)).toBeNull();
  });

  it('fails on a check newly at ERROR, children included, naming it', () => {
    const before = report([check('resources', 'OK', [check('resources.disk', 'OK')])]);
    const after = report([check('resources', 'ERROR', [check('resources.disk', 'ERROR')])]);
    expect(judgeSweep(before, after)).toMatch(/resources\.disk: resources\.disk is ERROR/);
  });

  it('does not roll back for CPU or memory load, which a restore neither causes nor cures', () => {
    const before = report([
      check('resources', 'WARN', [check('resources.cpu', 'WARN'), check('resources.disk', 'OK')]),
    ]);
    const busy = report([
      check('resources', 'ERROR', [check('resources.cpu', 'ERROR'), check('resources.disk', 'OK')]),
    ]);
    expect(judgeSweep(before, busy)).toBeNull();
    const full = report([
      check('resources', 'ERROR', [check('resources.memory', 'ERROR'), check('resources.disk', 'ERROR')]),
    ]);
    expect(judgeSweep(before, full)).toMatch(/resources\.disk/);
    expect(judgeSweep(before, full)).not.toMatch(/resources\.memory/);
  });

  it('fails when the unit no longer answers the diagnosis', () => {
    const after = report([check('connection', 'STALE')]);
    expect(judgeSweep(report([]), after)).toMatch(/did not answer/);
  });
});

describe('live preconditions', () => {
  const pin = { kind: 'released' as const };
  it.each(['MOVE', 'DOCK', 'PAUSED', 'CONFIG'])('refuses while the firmware reports %s', (state) => {
    expect(() =>
      assertSafeToApply('u', { pin, firmware: { kind: 'known', state, fault: null, lastEvent: null } }),
    ).toThrow(/refused while the vehicle is moving or busy/);
  });

  it.each(['IDLE', 'ESTOP', 'FAULT', 'SAFE'])('allows %s', (state) => {
    expect(() =>
      assertSafeToApply('u', { pin, firmware: { kind: 'known', state, fault: null, lastEvent: null } }),
    ).not.toThrow();
  });

  it('allows a firmware that does not answer (it cannot drive the vehicle)', () => {
    expect(() => assertSafeToApply('u', { pin, firmware: { kind: 'unknown', reason: 'down' } })).not.toThrow();
  });
});
