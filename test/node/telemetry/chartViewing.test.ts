import { describe, expect, it } from 'vitest';

import { readSample } from '../../../electron/core/telemetry/telemetryProbes';
import type { ProbeOutput } from '../../../electron/core/transport/batch';
import type { TelemetrySample } from '../../../shared/domain/telemetry';
import { DEFAULT_VEHICLE_PROFILE } from '../../../shared/domain/unit';
import { chartRows } from '../../../renderer/features/telemetry/chartPoints';
import { noMotorReason } from '../../../renderer/features/telemetry/motorData';
import { telemetryCsv, telemetryCsvFileName } from '../../../renderer/features/telemetry/telemetryCsv';
import { createTelemetryStore, TREND_POINTS } from '../../../renderer/features/telemetry/telemetryStore';
import { timeTicks } from '../../../renderer/features/telemetry/timeAxis';
import { covers } from '../../../renderer/features/telemetry/useZoomDetail';
import type { WorkstationApi } from '../../../shared/ipc/api';
import {
  minSpanMs,
  panBy,
  shownSpan,
  viewportForKey,
  zoomBy,
  type TimeSpan,
} from '../../../renderer/features/telemetry/viewport';
import { en } from '../../../renderer/i18n/en';
import { vi } from '../../../renderer/i18n/vi';

const HOUR = 3_600_000;
const DAY: TimeSpan = { fromMs: 10 * 24 * HOUR, toMs: 11 * 24 * HOUR };

describe('zooming and moving the charts’ time axis', () => {
  it('zooms in around the middle by keys, out again to the whole window, and 0 or Home resets', () => {
    const once = viewportForKey('+', DAY, null);
    expect(once).toEqual({ fromMs: DAY.fromMs + 6 * HOUR, toMs: DAY.fromMs + 18 * HOUR });
    const twice = viewportForKey('+', DAY, once!);
    expect(twice).toEqual({ fromMs: DAY.fromMs + 9 * HOUR, toMs: DAY.fromMs + 15 * HOUR });
    expect(viewportForKey('-', DAY, twice!)).toEqual(once);
    // Zooming out past the window is the window itself, not a wider axis.
    expect(viewportForKey('-', DAY, once!)).toBeNull();
    expect(viewportForKey('-', DAY, null)).toBeNull();
    expect(viewportForKey('0', DAY, twice!)).toBeNull();
    expect(viewportForKey('Home', DAY, twice!)).toBeNull();
    // Keys the charts do not use are left to the page.
    expect(viewportForKey('Tab', DAY, twice!)).toBeUndefined();
    expect(viewportForKey('a', DAY, null)).toBeUndefined();
  });

  it('moves by a fifth of what is shown with the arrows, and stops at the window’s edges', () => {
    const zoom = { fromMs: DAY.fromMs + 9 * HOUR, toMs: DAY.fromMs + 15 * HOUR };
    expect(viewportForKey('ArrowLeft', DAY, zoom)).toEqual({
      fromMs: zoom.fromMs - 1.2 * HOUR,
      toMs: zoom.toMs - 1.2 * HOUR,
    });
    let moved: TimeSpan | null = zoom;
    for (let i = 0; i < 20; i += 1) {
      moved = panBy(DAY, moved, 0.2);
    }
    expect(moved).toEqual({ fromMs: DAY.toMs - 6 * HOUR, toMs: DAY.toMs });
    // Nothing zoomed: the whole window is already shown, there is nowhere to move.
    expect(viewportForKey('ArrowRight', DAY, null)).toBeNull();
  });

  it('keeps the time under the mouse where it is when the wheel zooms, and never closer than its limit', () => {
    const anchor = DAY.fromMs + 20 * HOUR;
    const zoomed = zoomBy(DAY, null, 4, anchor)!;
    expect((anchor - zoomed.fromMs) / (zoomed.toMs - zoomed.fromMs)).toBeCloseTo(20 / 24, 9);
    expect(zoomed.toMs - zoomed.fromMs).toBe(6 * HOUR);
    let closest: TimeSpan | null = zoomed;
    for (let i = 0; i < 40; i += 1) {
      closest = zoomBy(DAY, closest, 2, anchor);
    }
    expect(closest!.toMs - closest!.fromMs).toBe(minSpanMs(DAY));
    expect(minSpanMs(DAY)).toBe((24 * HOUR) / 500);
    expect(minSpanMs({ fromMs: 0, toMs: 60_000 })).toBe(10_000);
  });

  it('keeps a zoom inside a live window that moves on', () => {
    const zoom = { fromMs: 1_000_000, toMs: 1_060_000 };
    expect(shownSpan({ fromMs: 1_000_000, toMs: 1_900_000 }, zoom)).toEqual(zoom);
    // Fifteen minutes later the zoomed minute has scrolled out: the same width at the window's start.
    expect(shownSpan({ fromMs: 1_500_000, toMs: 2_400_000 }, zoom)).toEqual({ fromMs: 1_500_000, toMs: 1_560_000 });
  });
});

describe('a zoomed history stretch read again at its own resolution', () => {
  it('asks the history for exactly the stretch shown, thinned to a chart’s width', async () => {
    const asked: unknown[] = [];
    const api = {
      call: (name: string, input: unknown) => {
        asked.push({ name, input });
        return Promise.resolve({
          unit: 'oht-1',
          fromMs: 5,
          toMs: 9,
          samples: [{ at: 6, metrics: { 'cpu.percent': 1 } }],
        });
      },
      on: () => () => undefined,
    } as unknown as WorkstationApi;
    const store = createTelemetryStore(api, 'oht-1');
    const got = await store.getState().actions.loadDetail({ fromMs: 5, toMs: 9 });
    expect(got).toEqual([{ at: 6, metrics: { 'cpu.percent': 1 } }]);
    expect(asked).toEqual([
      { name: 'telemetry.history', input: { name: 'oht-1', fromMs: 5, toMs: 9, maxPoints: TREND_POINTS } },
    ]);
  });

  it('draws the finer samples only while they cover all that is shown', () => {
    expect(covers({ fromMs: 0, toMs: 10 }, { fromMs: 0, toMs: 10 })).toBe(true);
    expect(covers({ fromMs: 0, toMs: 10 }, { fromMs: 2, toMs: 8 })).toBe(true);
    expect(covers({ fromMs: 0, toMs: 10 }, { fromMs: 2, toMs: 11 })).toBe(false);
    expect(covers({ fromMs: 3, toMs: 10 }, { fromMs: 2, toMs: 8 })).toBe(false);
  });
});

describe('the time axis spans the window chosen', () => {
  it('ticks a 24 h window across all of it, whatever part holds samples', () => {
    const { ticks, stepMs } = timeTicks(DAY.fromMs, DAY.toMs);
    expect(stepMs).toBe(6 * HOUR);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks[0]! - DAY.fromMs).toBeLessThanOrEqual(6 * HOUR);
    expect(DAY.toMs - ticks.at(-1)!).toBeLessThanOrEqual(6 * HOUR);
    // Samples only in the last minutes still leave the rows inside that span and the axis at 24 h.
    const recent = [0, 2000, 4000].map((d) => ({ at: DAY.toMs - 60_000 + d, metrics: { 'cpu.percent': 5 } }));
    const rows = chartRows(recent, ['cpu.percent'], DAY.fromMs, DAY.toMs, 600);
    expect(rows.map((r) => r.at)).toEqual(recent.map((s) => s.at));
  });

  it('breaks the line where the samples stop for more than a few sample periods', () => {
    const samples = [0, 2, 4, 6, 30, 32, 34].map((s) => ({ at: s * 1000, metrics: { 'cpu.percent': s } }));
    const rows = chartRows(samples, ['cpu.percent'], 0, 40_000, 600);
    expect(rows.filter((r) => r.values[0] === null)).toEqual([{ at: 18_000, values: [null] }]);
  });
});

describe('the CSV export of what the charts show', () => {
  const samples: TelemetrySample[] = [
    { at: Date.UTC(2026, 11, 7, 14, 0, 0), metrics: { 'cpu.percent': 12.5, 'memory.percent': 40 } },
    { at: Date.UTC(2026, 11, 7, 14, 0, 2), metrics: { 'cpu.percent': 13, 'disk.percent': 41 } },
    { at: Date.UTC(2026, 11, 7, 14, 0, 4), metrics: { 'cpu.percent': 14, 'memory.percent': 41 } },
  ];

  it('writes a header, then the samples inside the span with ISO times and only the series shown', () => {
    const span = { fromMs: samples[1]!.at, toMs: samples[2]!.at };
    const csv = telemetryCsv(samples, ['cpu.percent', 'memory.percent'], span);
    expect(csv.rows).toBe(2);
    expect(csv.content).toBe(
      'time,cpu.percent,memory.percent\r\n' + '2026-12-07T14:00:02.000Z,13,\r\n' + '2026-12-07T14:00:04.000Z,14,41\r\n',
    );
    expect(telemetryCsv([], ['cpu.percent'], span)).toEqual({ content: 'time,cpu.percent\r\n', rows: 0 });
  });

  it('names the file by the unit and the span', () => {
    expect(telemetryCsvFileName('oht-07', { fromMs: samples[0]!.at, toMs: samples[2]!.at + 0.5 })).toBe(
      'ohtw-telemetry-oht-07-20261207T140000Z_20261207T140004Z.csv',
    );
  });
});

describe('why there is no motor data, in words', () => {
  const profile = DEFAULT_VEHICLE_PROFILE;
  const out = (stdout: string, exitCode: number): ProbeOutput => ({
    key: 'tm.backend',
    stdout,
    exitCode,
    truncated: false,
  });
  const ok = (stdout: string): ProbeOutput => out(stdout, 0);
  /** The problems the sampler words for a backend answer, through the sampler's own reading. */
  const sampleWithBackend = (at: number, backend: ProbeOutput | undefined): TelemetrySample => {
    const outputs = new Map<string, ProbeOutput>([['tm.firmware', { ...ok('active\n'), key: 'tm.firmware' }]]);
    if (backend) {
      outputs.set('tm.backend', backend);
    }
    const reading = readSample(profile, outputs, null);
    return { at, metrics: reading.metrics, problems: reading.problems };
  };
  const span = { fromMs: 0, toMs: 10_000 };

  it.each([
    ['login', ok('{"detail":"Not authenticated"}')],
    ['refused', ok('{"detail":"Internal Server Error"}')],
    ['notListening', out('', 7)],
    ['noAnswer', out('', 28)],
    ['noAnswer', out('', 124)],
    ['noAnswer', undefined],
    ['notTelemetry', ok('<html>nginx</html>')],
    ['noFields', ok('{"battery": 80}')],
    ['noCurl', out('sh: curl: not found', 127)],
    ['backendOther', out('', 3)],
  ] as const)('says %s for the backend answer the sampler got', (reason, backend) => {
    expect(noMotorReason([sampleWithBackend(5_000, backend)], span)).toBe(reason);
  });

  it('says the link is lost, or that none were recorded, and nothing while any motor value is in the span', () => {
    expect(noMotorReason([{ at: 1, metrics: {}, problems: ['connection: socket closed'] }], span)).toBe('connection');
    expect(noMotorReason([{ at: 1, metrics: { 'cpu.percent': 3 } }], span)).toBe('notRecorded');
    const withMotor = sampleWithBackend(2_000, ok('{"motor_speed": 300, "motor_temperature": 40.5}'));
    expect(withMotor.metrics['backend.motor_speed']).toBe(300);
    expect(noMotorReason([withMotor, sampleWithBackend(5_000, undefined)], span)).toBeNull();
    // The motor values are outside what is shown: the newest problem in the span is the reason.
    expect(noMotorReason([withMotor, sampleWithBackend(5_000, undefined)], { fromMs: 3_000, toMs: 9_000 })).toBe(
      'noAnswer',
    );
    expect(noMotorReason([], span)).toBeNull();
  });

  it('has every reason in both languages', () => {
    const reasons = ['login', 'refused', 'notListening', 'noAnswer', 'notTelemetry', 'noFields', 'noCurl'];
    for (const reason of [...reasons, 'connection', 'backendOther', 'notRecorded']) {
      const key = `telemetry.noMotor.${reason}` as keyof typeof en;
      expect(en[key], key).toBeTruthy();
      expect(vi[key], key).toBeTruthy();
      expect(vi[key]).not.toBe(en[key]);
    }
  });
});
