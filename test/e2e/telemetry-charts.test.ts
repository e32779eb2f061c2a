import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HISTORY_FILE } from '../../electron/core/createCore';
import { openHistoryDatabase } from '../../electron/core/history/openDatabase';
import { TelemetryStore, type StoredSample } from '../../electron/core/telemetry/TelemetryStore';
import { browserFaceOf } from '../../electron/host/coreFace';
import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The last three hours of a unit, one sample a minute, with a pause of half an hour in the middle: what the day
 * view draws at the right of its axis. CPU counts the minutes so that each exported row can be checked.
 */
function recentSamples(unit: string, nowMs: number): StoredSample[] {
  const rows: StoredSample[] = [];
  const start = Math.floor((nowMs - 3 * HOUR_MS) / MINUTE_MS) * MINUTE_MS;
  for (let i = 0; i < 170; i += 1) {
    if (i >= 80 && i < 110) {
      continue;
    }
    rows.push({
      unit,
      sample: {
        at: start + i * MINUTE_MS,
        metrics: { 'cpu.percent': 20 + (i % 10), 'memory.percent': 50, 'disk.percent': 42 },
      },
    });
  }
  return rows;
}

const span = async (chart: Locator): Promise<{ fromMs: number; toMs: number }> => ({
  fromMs: Number(await chart.getAttribute('data-from')),
  toMs: Number(await chart.getAttribute('data-to')),
});

describe('telemetry charts on the unit page: the window’s span, zoom, export, and no motor data', () => {
  let stack: RealStack;
  let seeded: StoredSample[] = [];
  /** The stretches of history the page asked the core for. */
  const historyAsked: { fromMs?: number; toMs?: number }[] = [];

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-ui-telemetry-charts-',
      beforeHost: ({ tempDir, sim }) => {
        const db = openHistoryDatabase(join(tempDir, 'data', HISTORY_FILE));
        seeded = recentSamples(sim.units[0]!.name, Date.now());
        new TelemetryStore(db).append(seeded);
        db.close();
      },
      hostBoundary: (core) => {
        const face = browserFaceOf(core);
        return {
          ...face,
          dispatch: (name, input, caller) => {
            if (name === 'telemetry.history') {
              historyAsked.push(input as { fromMs?: number; toMs?: number });
            }
            return face.dispatch(name, input, caller);
          },
        };
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('says why the simulator gives no motor data, in both languages', async () => {
    const unit = stack.sim.units[0]!;
    const { page, problems } = await stack.newPage();
    await page.goto(`${stack.host.url}#/unit/${unit.name}/telemetry`);
    const panel = await visible(byTestId(page, 'telemetry-panel'));
    // The simulated backend guards its telemetry route with its login, as the vehicle's does.
    const noMotor = await waitForText(byTestId(panel, 'telemetry-no-motor'), 'No motor data:', 20_000);
    expect(await noMotor.getAttribute('data-reason')).toBe('login');
    expect(await noMotor.textContent()).toBe(
      'No motor data: the backend API asks for a login before it gives motor values.',
    );
    expect(await panel.locator('[data-chart="motor"]').count()).toBe(0);
    await expect.poll(() => panel.locator('[data-chart="resources"]').count()).toBe(1);
    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(
      byTestId(panel, 'telemetry-no-motor'),
      'Không có dữ liệu động cơ: API của backend yêu cầu đăng nhập',
    );
    await byTestId(page, 'lang-switch').selectOption('en');
    expect(problems).toEqual([]);
  });

  it('spans the whole day, zooms and moves with keys and mouse, and exports what it shows as CSV', async () => {
    const unit = stack.sim.units[0]!;
    const { page, problems } = await stack.newPage();
    await page.goto(`${stack.host.url}#/unit/${unit.name}/telemetry`);
    const panel = await visible(byTestId(page, 'telemetry-panel'));
    await page.locator('[data-testid="telemetry-panel"][data-status="live"]').waitFor({ timeout: 15_000 });
    await waitForText(byTestId(panel, 'telemetry-status'), /^Live, every 2 s$/);

    await byTestId(panel, 'trend-range-24h').click();
    const chart = panel.locator('[data-testid="telemetry-chart"][data-chart="resources"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-chart="resources"]')?.getAttribute('data-points')) > 100,
      undefined,
      { timeout: 15_000 },
    );
    // A history view is titled as one, never as the live stream.
    await waitForText(panel.locator('.section-title'), 'Telemetry history');
    await waitForText(byTestId(panel, 'telemetry-status'), /^Stored samples, \d{4}-\d\d-\d\d \d\d:\d\d – /);
    expect(await byTestId(panel, 'telemetry-status').textContent()).not.toContain('Live');

    // The axis is the whole day; the three hours of samples sit at its right, not stretched across it.
    const day = await span(chart);
    expect(day.toMs - day.fromMs).toBe(24 * HOUR_MS);
    const drawn = await chart.evaluate((element) => {
      const line = element.querySelector<SVGGraphicsElement>('.recharts-line-curve');
      const grid = element.querySelector<SVGGraphicsElement>('.recharts-cartesian-grid');
      return line && grid
        ? { left: (line.getBBox().x - grid.getBBox().x) / grid.getBBox().width, path: line.getAttribute('d') ?? '' }
        : null;
    });
    expect(drawn).not.toBeNull();
    expect(drawn!.left).toBeGreaterThan(0.8);
    // The half-hour pause is a gap: the line starts again (a second M) rather than crossing it.
    expect(drawn!.path.match(/M/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('telemetry-charts-1-day'), fullPage: true });

    // Keys: the chart takes the focus and says its keys; + twice is a quarter of the day, in its middle.
    expect(await chart.getAttribute('aria-label')).toContain('Keys: + and − zoom');
    await chart.focus();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expect.poll(async () => (await span(chart)).toMs - (await span(chart)).fromMs).toBe(6 * HOUR_MS);
    expect((await span(chart)).fromMs).toBe(day.fromMs + 9 * HOUR_MS);
    await expect(byTestId(panel, 'telemetry-span').getAttribute('data-zoomed')).resolves.toBe('true');
    // Both charts share the axis: the other one's state (its reason for no data) is read on the same span.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await span(chart)).fromMs).toBe(day.fromMs + 9 * HOUR_MS - 1.2 * HOUR_MS);
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('ArrowRight');
    }
    await expect.poll(async () => (await span(chart)).toMs).toBe(day.toMs);
    expect((await span(chart)).fromMs).toBe(day.toMs - 6 * HOUR_MS);
    // Zoomed in, the stretch shown is read again at its own resolution, once the keys have come to rest.
    await expect
      .poll(() => historyAsked.some((asked) => asked.fromMs === day.toMs - 6 * HOUR_MS && asked.toMs === day.toMs))
      .toBe(true);
    await page.screenshot({ path: screenshotPath('telemetry-charts-2-zoomed'), fullPage: true });

    // Export what is shown: the last six hours, CPU and disk (memory hidden by its key).
    await byTestId(panel, 'series-toggle-memory.percent').click();
    const shown = await span(chart);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byTestId(panel, 'telemetry-export-csv').click(),
    ]);
    const stamp = (ms: number): string =>
      new Date(ms)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z')
        .replace(/[-:]/g, '');
    expect(download.suggestedFilename()).toBe(
      `ohtw-telemetry-${unit.name}-${stamp(shown.fromMs)}_${stamp(shown.toMs)}.csv`,
    );
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,cpu.percent,disk.percent');
    const rows = lines.slice(1).map((line) => line.split(','));
    for (const row of rows) {
      expect(row).toHaveLength(3);
      const at = Date.parse(row[0]!);
      expect(row[0]).toBe(new Date(at).toISOString());
      expect(at).toBeGreaterThanOrEqual(shown.fromMs);
      expect(at).toBeLessThanOrEqual(shown.toMs);
    }
    // Every seeded sample is in the file with its own values; the live ones the page wrote may follow them.
    const byTime = new Map(rows.map((row) => [row[0], row.slice(1).join(',')]));
    for (const { sample } of seeded) {
      expect(byTime.get(new Date(sample.at).toISOString())).toBe(`${sample.metrics['cpu.percent']},42`);
    }
    await waitForText(
      byTestId(panel, 'telemetry-exported'),
      `Saved ${rows.length} samples as ${download.suggestedFilename()}`,
    );

    // 0 shows the whole day again.
    await chart.focus();
    await page.keyboard.press('0');
    await expect.poll(async () => (await span(chart)).toMs - (await span(chart)).fromMs).toBe(24 * HOUR_MS);

    // The mouse: the wheel zooms around the pointer, a drag pulls the axis along.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await span(chart)).toMs - (await span(chart)).fromMs).toBeLessThan(24 * HOUR_MS);
    const wheeled = await span(chart);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await span(chart)).fromMs).toBeGreaterThan(wheeled.fromMs);
    await byTestId(panel, 'telemetry-zoom-reset').click();
    await expect.poll(async () => (await span(chart)).toMs - (await span(chart)).fromMs).toBe(24 * HOUR_MS);

    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  });
});
