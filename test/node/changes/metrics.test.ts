import { describe, expect, it } from 'vitest';

import { CheckResultSchema, DiagnosisReportSchema } from '../../../shared/domain/health';
import {
  formatGap,
  formatNumber,
  isNews,
  metricKind,
  metricLabel,
} from '../../../electron/core/diagnostics/changesMetrics';
import { judgeService } from '../../../electron/core/diagnostics/serviceChecks';
import { check, openRepo, sampleReport, useTempDir } from '../history/fixtures';

describe('metrics on a check', () => {
  const temp = useTempDir();

  it('round-trip through the history with the report', () => {
    const { repo } = openRepo(temp);
    const report = sampleReport('OHT-07', '2026-11-28T09:00:00.000Z', [
      check('resources', 'WARN', [{ ...check('resources.disk', 'WARN'), metrics: { usePercent: 88.5 } }]),
      { ...check('services.backend', 'OK'), metrics: { restarts: 3, active: 1 } },
    ]);
    repo.saveDiagnosis(report);
    expect(repo.getDiagnosis(report.runId)).toEqual(report);
  });

  it('drop a reading that failed to compute instead of spoiling the report, and refuse a non-number', () => {
    const parsed = CheckResultSchema.parse({ ...check('x', 'OK'), metrics: { a: 1, b: Number.NaN, c: null } });
    expect(parsed.metrics).toEqual({ a: 1 });
    // What JSON makes of NaN: a report saved with one still reads back.
    const stored = JSON.parse(
      JSON.stringify(
        sampleReport('OHT-07', '2026-11-28T09:00:00.000Z', [{ ...check('x', 'OK'), metrics: { b: NaN } }]),
      ),
    );
    expect(DiagnosisReportSchema.parse(stored).checks[0]?.metrics).toEqual({});
    expect(CheckResultSchema.safeParse({ ...check('x', 'OK'), metrics: { a: '1' } }).success).toBe(false);
    expect(CheckResultSchema.safeParse({ ...check('x', 'OK'), metrics: [1] }).success).toBe(false);
  });

  it('come from the services judge: systemd’s restart counter and whether the service is up', () => {
    const props = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', NRestarts: '2' };
    expect(judgeService('services.backend', 'oht50-backend', props, 'cmd').metrics).toEqual({ restarts: 2, active: 1 });
    const failed = { ...props, ActiveState: 'failed', SubState: 'failed', NRestarts: '5' };
    expect(judgeService('services.backend', 'oht50-backend', failed, 'cmd').metrics).toEqual({
      restarts: 5,
      active: 0,
    });
    // An older systemd without NRestarts: the count is unknown, not zero.
    const old = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running' };
    expect(judgeService('services.backend', 'oht50-backend', old, 'cmd').metrics).toEqual({ active: 1 });
    expect(judgeService('services.backend', 'oht50-backend', undefined, 'cmd').metrics).toBeUndefined();
  });
});

describe('comparing readings', () => {
  it('knows a metric by its name or by the unit it ends with', () => {
    expect(metricKind('restarts').type).toBe('counter');
    expect(metricKind('active').type).toBe('flag');
    expect(metricKind('errors').type).toBe('count');
    expect(metricKind('usePercent')).toMatchObject({ type: 'gauge', unit: ' %' });
    expect(metricKind('responseMs')).toMatchObject({ type: 'gauge', unit: ' ms' });
    expect(metricKind('skewS')).toMatchObject({ type: 'gauge', unit: ' s' });
    expect(metricKind('logsMiB')).toMatchObject({ type: 'gauge', unit: ' MiB' });
    expect(metricKind('socTempC')).toMatchObject({ type: 'gauge', unit: ' °C' });
    expect(metricKind('rxPackets')).toMatchObject({ type: 'gauge', unit: '' });
  });

  it('tells only moves that matter, unless the level changed with them', () => {
    const percent = metricKind('usePercent');
    expect(isNews(percent, 40, 44, false)).toBe(false);
    expect(isNews(percent, 40, 45, false)).toBe(true);
    expect(isNews(percent, 79, 81, true)).toBe(true);
    const cpu = metricKind('cpuPercent');
    expect(isNews(cpu, 10, 25, false)).toBe(false);
    expect(isNews(cpu, 10, 30, false)).toBe(true);
    const ms = metricKind('responseMs');
    expect(isNews(ms, 120, 200, false)).toBe(false);
    expect(isNews(ms, 120, 900, false)).toBe(true);
    expect(isNews(metricKind('errors'), 0, 1, false)).toBe(true);
    expect(isNews(metricKind('active'), 1, 0, true)).toBe(false);
  });

  it('words a reading as a technician says it', () => {
    expect(metricLabel('disk', 'usePercent')).toBe('disk');
    expect(metricLabel('cpu', 'cpuPercent')).toBe('cpu');
    expect(metricLabel('backend', 'responseMs')).toBe('backend response');
    expect(metricLabel('clock', 'skewS')).toBe('clock skew');
    expect(formatNumber(88)).toBe('88');
    expect(formatNumber(88.04)).toBe('88');
    expect(formatNumber(0.43)).toBe('0.4');
    expect(formatNumber(1234.5)).toBe('1235');
    expect([45_000, 12 * 60_000, 2 * 3600_000, 3 * 86_400_000].map(formatGap)).toEqual([
      '45 s',
      '12 min',
      '2 h',
      '3 days',
    ]);
  });
});
