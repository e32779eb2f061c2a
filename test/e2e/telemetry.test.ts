import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HISTORY_FILE } from '../../electron/core/createCore';
import { openHistoryDatabase } from '../../electron/core/history/openDatabase';
import { TelemetryStore, type StoredSample } from '../../electron/core/telemetry/TelemetryStore';
import type { Thresholds } from '../../shared/domain/thresholds';
import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';

const HOUR_MS = 3_600_000;

/**
 * Six days of a unit's past, one sample a minute while a page was open (evenings closed): what the trend views
 * draw. CPU follows the working day, with one short spike the downsampling must keep.
 */
function pastSamples(unit: string, nowMs: number): StoredSample[] {
  const rows: StoredSample[] = [];
  for (let at = nowMs - 6 * 24 * HOUR_MS; at < nowMs - HOUR_MS; at += 60_000) {
    const hour = new Date(at).getUTCHours();
    if (hour >= 20 || hour < 6) {
      continue;
    }
    const day = Math.sin(((hour - 6) / 14) * Math.PI);
    const isSpike = hour === 12 && at % HOUR_MS < 3 * 60_000;
    rows.push({
      unit,
      sample: {
        at,
        metrics: {
          'cpu.percent': isSpike ? 97 : 12 + 30 * day + ((at / 60_000) % 7),
          'memory.percent': 38 + 8 * day,
          'disk.percent': 42,
          'backend.motor_speed': Math.round(900 * day),
          'backend.motor_temperature': 34 + 12 * day,
          'firmware.up': 1,
          'sample.latencyMs': 40,
        },
      },
    });
  }
  return rows;
}

describe('live telemetry on the unit page, against the real core, browser host and a simulated unit', () => {
  let stack: RealStack;
  const batchTimes: number[] = [];

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-ui-telemetry-',
      coreOptions: { env: {} },
      beforeCore: (sim) => {
        const unit = sim.units[0]!;
        // A bench vehicle runs its backend with the login bypassed, so the motor values can be read; its motor cycles.
        unit.vehicle.state.http.backend.authEnforced = false;
        unit.vehicle.state.http.backend.motorCycle = { periodMs: 40_000, maxSpeed: 1200 };
      },
      beforeHost: ({ tempDir, sim, core }) => {
        const db = openHistoryDatabase(join(tempDir, 'data', HISTORY_FILE));
        new TelemetryStore(db).append(pastSamples(sim.units[0]!.name, Date.now()));
        db.close();
        core.events.subscribe((event) => {
          if (event.name === 'telemetry.samples') {
            batchTimes.push(Date.now());
          }
        });
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('draws live values and charts, switches to the day and week trends, and stops when the page is left', async () => {
    const unit = stack.sim.units[0]!;
    const { page, problems } = await stack.newPage();
    await page.goto(`${stack.host.url}#/unit/${unit.name}/telemetry`);
    const panel = await visible(byTestId(page, 'telemetry-panel'));
    await page.locator('[data-testid="telemetry-panel"][data-status="live"]').waitFor({ timeout: 15_000 });

    // Values arrive and keep arriving: the newest sample's time moves on.
    const values = byTestId(page, 'telemetry-values');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="telemetry-values"]')?.getAttribute('data-at'),
    );
    const firstAt = Number(await values.getAttribute('data-at'));
    await page.waitForFunction(
      (before) => Number(document.querySelector('[data-testid="telemetry-values"]')?.getAttribute('data-at')) > before,
      firstAt,
      { timeout: 15_000 },
    );
    await waitForText(byTestId(page, 'telemetry-value-memory.percent'), /^\d+(\.\d)? %$/);
    await waitForText(byTestId(page, 'telemetry-value-cpu.percent'), /^\d+(\.\d)? %$/);
    await waitForText(byTestId(page, 'telemetry-value-firmware.up'), 'Running');
    await waitForText(byTestId(page, 'telemetry-value-sample.latencyMs'), /^\d+ ms$/);
    await waitForText(byTestId(page, 'telemetry-value-backend.motor_temperature'), /^\d+\.\d °C$/);
    const speeds = new Set<string>();
    await page.waitForFunction(() => document.querySelector('[data-testid="telemetry-value-backend.motor_speed"]'));
    for (let i = 0; i < 40 && speeds.size < 2; i += 1) {
      speeds.add((await byTestId(page, 'telemetry-value-backend.motor_speed').textContent()) ?? '');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(speeds.size).toBeGreaterThanOrEqual(2);

    // The live chart draws a line for CPU, memory and disk.
    const resources = page.locator('[data-testid="telemetry-chart"][data-chart="resources"]');
    // Three lines (CPU, memory, disk), each through several samples; a flat line has no height, so look at its path.
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('[data-chart="resources"] .recharts-line-curve')).filter(
          (line) => (line.getAttribute('d')?.split('L').length ?? 0) >= 3,
        ).length === 3,
      undefined,
      { timeout: 20_000 },
    );
    await page.screenshot({ path: screenshotPath('telemetry-1-live'), fullPage: true });

    // The limits in force are drawn on the chart: a warning and a critical line for each of the three.
    const settings = await stack.core.dispatch('settings.get', {});
    const { thresholds } = (settings.ok ? settings.value : {}) as { thresholds: Thresholds };
    const expected = [
      `cpu.percent:warning:${thresholds.cpuPercent.warning}`,
      `cpu.percent:critical:${thresholds.cpuPercent.critical}`,
      `memory.percent:warning:${thresholds.memoryPercent.warning}`,
      `memory.percent:critical:${thresholds.memoryPercent.critical}`,
      `disk.percent:warning:${thresholds.diskPercent.warning}`,
      `disk.percent:critical:${thresholds.diskPercent.critical}`,
    ].join(' ');
    await expect.poll(() => resources.getAttribute('data-thresholds')).toBe(expected);
    await expect.poll(() => resources.locator('.recharts-reference-line line').count()).toBe(6);

    // Pick the series: CPU hidden takes its line and its limits away, and comes back when pressed again.
    await byTestId(panel, 'series-toggle-cpu.percent').click();
    await expect(byTestId(panel, 'series-toggle-cpu.percent').getAttribute('aria-pressed')).resolves.toBe('false');
    await expect.poll(() => resources.locator('.recharts-line-curve').count()).toBe(2);
    await expect.poll(() => resources.locator('.recharts-reference-line line').count()).toBe(4);
    expect(await resources.getAttribute('data-thresholds')).not.toContain('cpu.percent');
    await byTestId(panel, 'series-toggle-cpu.percent').click();
    await expect.poll(() => resources.locator('.recharts-line-curve').count()).toBe(3);

    await byTestId(panel, 'trend-range-24h').click();
    await page.locator('[data-testid="telemetry-panel"][data-view="24h"]').waitFor();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-chart="resources"]')?.getAttribute('data-points')) > 50,
      undefined,
      { timeout: 15_000 },
    );

    await byTestId(panel, 'trend-range-7d').click();
    await page.locator('[data-testid="telemetry-panel"][data-view="7d"]').waitFor();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-chart="resources"]')?.getAttribute('data-points')) > 300,
      undefined,
      { timeout: 15_000 },
    );
    const points = Number(await resources.getAttribute('data-points'));
    const width = (await resources.boundingBox())?.width ?? 0;
    // Thinned to the chart's width, with the nights drawn as gaps rather than as lines across them.
    expect(points).toBeLessThanOrEqual(width + 20);
    const path = (await resources.locator('.recharts-line-curve').first().getAttribute('d')) ?? '';
    // The three-minute spikes at noon survive the thinning: the CPU line reaches up to 97 % of a 0–100 axis.
    const reach = await resources.evaluate((chart) => {
      const line = chart.querySelector<SVGGraphicsElement>('.recharts-line-curve');
      const grid = chart.querySelector<SVGGraphicsElement>('.recharts-cartesian-grid');
      return line && grid
        ? { top: line.getBBox().y, gridTop: grid.getBBox().y, gridHeight: grid.getBBox().height }
        : null;
    });
    expect(reach).not.toBeNull();
    expect((reach!.top - reach!.gridTop) / reach!.gridHeight).toBeLessThan(0.06);
    // Each night without samples starts a new stroke (M) instead of a line drawn across it.
    expect(path.match(/M/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
    await expect(byTestId(panel, 'trend-range-7d').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.screenshot({ path: screenshotPath('telemetry-2-week'), fullPage: true });

    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(panel.locator('.section-title'), 'Lịch sử dữ liệu đo');
    await waitForText(byTestId(panel, 'trend-range-7d'), '7 ngày qua');
    await page.screenshot({ path: screenshotPath('telemetry-3-week-vi'), fullPage: true });
    await byTestId(page, 'lang-switch').selectOption('en');

    // Leaving the page stops the stream: after a moment no more batches come.
    await byTestId(page, 'back-link').click();
    await visible(byTestId(page, 'fleet-page'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const afterLeaving = batchTimes.length;
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(batchTimes.length).toBe(afterLeaving);

    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  });
});
