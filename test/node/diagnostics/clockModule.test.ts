import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import type { SweepContext } from '../../../electron/core/diagnostics/checkModule';
import { clockModule, measureSkew, parseVehicleTime } from '../../../electron/core/diagnostics/modules/clockModule';
import type { ProbeOutput } from '../../../electron/core/transport/batch';

const unit: Unit = {
  name: 'oht-7',
  host: '10.0.0.7',
  port: 22,
  user: 'tech',
  auth: { kind: 'key', keyPath: '/keys/id' },
  profile: DEFAULT_VEHICLE_PROFILE,
  hostKey: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLevel: null,
  lastRunAt: null,
};

const SENT = 1_764_345_600_000;

function judge(stdout: string, options: { exitCode?: number | null; roundTripMs?: number; truncated?: boolean } = {}) {
  const context: SweepContext = {
    unit,
    profile: unit.profile,
    thresholds: DEFAULT_THRESHOLDS,
    sentAtMs: SENT,
    receivedAtMs: SENT + (options.roundTripMs ?? 400),
  };
  const output: ProbeOutput = {
    key: 'clock.now',
    stdout,
    exitCode: options.exitCode === undefined ? 0 : options.exitCode,
    truncated: options.truncated ?? false,
  };
  const [check] = clockModule.judge(context, new Map([['clock.now', output]]));
  if (!check) {
    throw new Error('no check');
  }
  return check;
}

/** What `date +%s%N` prints when the vehicle's clock reads `ms`. */
const date = (ms: number): string => `${Math.floor(ms / 1000)}${String((ms % 1000) * 1_000_000).padStart(9, '0')}\n`;

describe('clock', () => {
  it('asks for the time with nanoseconds', () => {
    expect(clockModule.probes({ unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS })).toEqual([
      { key: 'clock.now', command: 'date +%s%N', timeoutS: 2 },
    ]);
  });

  it('is OK within the warning limit, measured against the middle of the round trip', () => {
    const check = judge(date(SENT + 200 + 1_300));
    expect(check).toMatchObject({ id: 'clock', level: 'OK' });
    expect(check.message).toBe("the vehicle's clock agrees with this laptop's (1.3 s ahead of this laptop's, ±0.2 s)");
    expect(check.evidence).toContain('$ date +%s%N\n');
    expect(check.evidence).toContain('laptop: sent 2025-11-28T16:00:00.000Z, answer 2025-11-28T16:00:00.400Z');
  });

  it('is WARN past the warning limit and ERROR past the critical one, with the section', () => {
    const warn = judge(date(SENT + 200 - 12_000));
    expect(warn).toMatchObject({ level: 'WARN', runbook: 'Emergency › 3. Communication Failure – Network Issues' });
    expect(warn.message).toMatch(/^the vehicle's clock is 12 s behind this laptop's \(±0\.2 s\): time sync/);
    const error = judge(date(SENT + 200 + 3_600_000));
    expect(error.level).toBe('ERROR');
    expect(error.message).toContain('3600 s ahead of');
  });

  it('is STALE when the round trip is too long to tell a good clock from a bad one', () => {
    const check = judge(date(SENT + 7_000), { roundTripMs: 14_000 });
    expect(check.level).toBe('STALE');
    expect(check.message).toBe(
      "the vehicle took 14 s to answer, too long to tell whether its clock is within 5 s of this laptop's (0.0 s ahead of this laptop's, ±7.0 s)",
    );
  });

  it('still judges a skew that is past a limit wherever in a long round trip the clock was read', () => {
    const far = judge(date(SENT + 300_000), { roundTripMs: 14_000 });
    expect(far.level).toBe('ERROR');
    expect(far.message).toMatch(/^the vehicle's clock is 293 s ahead of this laptop's \(±7\.0 s\)/);
    const between = judge(date(SENT + 60_000), { roundTripMs: 14_000 });
    expect(between.level).toBe('WARN');
    expect(between.message).toMatch(/^the vehicle's clock is at least 46 s ahead of/);
  });

  it('copes with a date without %N (whole seconds)', () => {
    expect(parseVehicleTime('1764345600N')).toEqual({ ms: 1_764_345_600_000, resolutionMs: 1000 });
    expect(parseVehicleTime('1764345600%N')).toEqual({ ms: 1_764_345_600_000, resolutionMs: 1000 });
    const reading = measureSkew({ ms: SENT, resolutionMs: 1000 }, SENT, SENT + 400);
    expect(reading).toEqual({ lowMs: -400, highMs: 1000, skewMs: 300, uncertaintyMs: 700 });
    expect(judge('1764345600N').level).toBe('OK');
  });

  it('is STALE on garbage, an error, a timeout or a cut-off answer', () => {
    expect(judge('Sat Nov 29 2025').message).toBe(
      'the vehicle\'s clock could not be read: date said "Sat Nov 29 2025"',
    );
    expect(judge("date: invalid date '+%s%N'", { exitCode: 1 }).level).toBe('STALE');
    expect(judge('', { exitCode: 124 }).message).toContain('timed out');
    expect(judge('17643', { exitCode: null, truncated: true }).message).toContain('cut off');
    expect(judge('', { exitCode: 127 }).message).toContain('a tool is missing');
  });
});
