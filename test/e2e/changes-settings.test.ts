import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../shared/domain/thresholds';
import type { SimUnitInfo } from '../../electron/sim/SimServer';
import type { TestPage } from '../support/e2e/chromium';
import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, diagnoseOnUnitPage, visible, waitForText } from '../support/e2e/ui';

/** Settings and "what changed" in real Chromium, against the real core and browser host and a simulated unit. */
describe('thresholds in settings, and what changed between sweeps', () => {
  let stack: RealStack;
  let unit: SimUnitInfo;
  let tab: TestPage | null = null;

  // The unit is added and trusted through the core: the UI for that has its own tests.
  beforeAll(async () => {
    stack = await startRealStack({ tempPrefix: 'ohtw-changes-ui-' });
    unit = stack.sim.units[0]!;
    tab = await stack.newPage();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const input = (page: Page, key: string, which?: 'warning' | 'critical') =>
    byTestId(page, which ? `threshold-${key}-${which}` : `threshold-${key}`);

  it('edits a threshold, shows the core’s objection inline, and keeps the saved value across a reload', async () => {
    const { page, problems } = tab!;
    await page.goto(stack.host.url);
    await visible(byTestId(page, 'fleet-page'));
    await byTestId(page, 'nav-settings').click();
    await visible(byTestId(page, 'settings-page'));
    expect(new URL(page.url()).hash).toBe('#/settings');
    expect(await input(page, 'diskPercent', 'warning').inputValue()).toBe('80');
    expect(await input(page, 'diskPercent', 'critical').inputValue()).toBe('90');
    await waitForText(byTestId(page, 'settings-source'), 'Alert Thresholds');
    await waitForText(byTestId(page, 'threshold-diskPercent-default'), '80 / 90 %');
    expect(await byTestId(page, 'settings-save').isDisabled()).toBe(true);

    // A warning above its critical: the core refuses, and the row says why.
    await input(page, 'cpuPercent', 'warning').fill('99');
    await input(page, 'diskPercent', 'warning').fill('70');
    await input(page, 'diskPercent', 'critical').fill('85');
    await visible(byTestId(page, 'settings-dirty'));
    await byTestId(page, 'settings-save').click();
    await waitForText(byTestId(page, 'threshold-cpuPercent-error'), 'warning must not be above critical');
    await visible(byTestId(page, 'settings-invalid'));
    expect(await input(page, 'cpuPercent', 'warning').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: screenshotPath('changes-1-settings-invalid'), fullPage: true });
    await byTestId(page, 'thresholds-form').screenshot({ path: screenshotPath('changes-1b-settings-form') });
    expect((await stack.core.dispatch('settings.get', {})).ok && (await settings()).diskPercent.warning).toBe(80);

    await input(page, 'cpuPercent', 'warning').fill('80');
    await byTestId(page, 'settings-save').click();
    await visible(byTestId(page, 'settings-saved'));
    expect(await byTestId(page, 'threshold-cpuPercent-error').count()).toBe(0);
    expect((await settings()).diskPercent).toEqual({ warning: 70, critical: 85 });

    await page.reload();
    await visible(byTestId(page, 'settings-page'));
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('[data-testid="threshold-diskPercent-warning"]')?.value === '70',
    );
    expect(await input(page, 'diskPercent', 'critical').inputValue()).toBe('85');
    expect(await input(page, 'logWindowMin').inputValue()).toBe(String(DEFAULT_THRESHOLDS.logWindowMin));
    await page.screenshot({ path: screenshotPath('changes-2-settings-saved'), fullPage: true });

    // Reset puts the runbook's values in the form; nothing changes in the core until Save.
    await byTestId(page, 'settings-reset').click();
    expect(await input(page, 'diskPercent', 'warning').inputValue()).toBe('80');
    await visible(byTestId(page, 'settings-dirty'));
    expect((await settings()).diskPercent.warning).toBe(70);

    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(byTestId(page, 'nav-settings'), 'Cài đặt');
    await waitForText(byTestId(page, 'settings-reset'), 'Khôi phục mặc định của runbook');
    await page.screenshot({ path: screenshotPath('changes-3-settings-vi'), fullPage: true });
    await byTestId(page, 'settings-save').click();
    await visible(byTestId(page, 'settings-saved'));
    expect(await settings()).toEqual(DEFAULT_THRESHOLDS);
    await byTestId(page, 'lang-switch').selectOption('en');

    expect(problems).toEqual([]);
  });

  it('diagnoses twice with a crash between: the box names the firmware, the timeline lists both runs', async () => {
    const { page, problems } = tab!;
    await page.goto(`${new URL(stack.host.url).origin}/#/unit/${unit.name}`);
    await visible(byTestId(page, 'unit-page'));
    expect(await byTestId(page, 'changes-box').count()).toBe(0);

    const okRun = await diagnoseOnUnitPage(page);
    await visible(byTestId(page, 'changes-first'));
    expect(await runsInTimeline(page)).toEqual([{ id: okRun, level: 'OK', current: 'true' }]);

    unit.vehicle.crashService('firmware');
    const errorRun = await diagnoseOnUnitPage(page);
    const box = byTestId(page, 'changes-box');
    const firmware = byTestId(box, 'change-services.firmware');
    await waitForText(firmware, 'oht50-firmware has failed');
    await waitForText(firmware, /oht50-firmware restarted 1 time since the previous sweep/);
    expect([await firmware.getAttribute('data-from'), await firmware.getAttribute('data-to')]).toEqual(['OK', 'ERROR']);
    expect(await box.getAttribute('data-run-id')).toBe(errorRun);
    expect(await runsInTimeline(page)).toEqual([
      { id: okRun, level: 'OK', current: null },
      { id: errorRun, level: 'ERROR', current: 'true' },
    ]);
    await page.screenshot({ path: screenshotPath('changes-4-unit-changes'), fullPage: true });
    await page.locator('.changes-panel').screenshot({ path: screenshotPath('changes-4b-changes-box') });
    // A crash that takes more checks down with it lists the first few; the rest are one click away.
    const more = byTestId(box, 'changes-more');
    if ((await more.count()) > 0) {
      const before = await box.locator('[data-testid^="change-"]').count();
      await more.click();
      expect(await box.locator('[data-testid^="change-"]').count()).toBeGreaterThan(before);
      await more.click();
    }

    // The earlier run, picked in the timeline: its report, and nothing before it to compare with.
    await byTestId(page, 'timeline-run').first().click();
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid="report-meta"]')?.getAttribute('data-run-id') === id,
      okRun,
    );
    await visible(byTestId(page, 'viewing-old'));
    await visible(byTestId(page, 'changes-first'));
    expect((await runsInTimeline(page)).map((run) => run.current)).toEqual(['true', null]);
    await byTestId(page, 'timeline-run').last().click();
    await waitForText(byTestId(page, 'change-services.firmware'), 'oht50-firmware has failed');
    expect(await byTestId(page, 'viewing-old').count()).toBe(0);

    await byTestId(page, 'back-link').click();
    await waitForText(byTestId(page, `last-change-${unit.name}`), 'services.firmware OK → ERROR');
    await page.screenshot({ path: screenshotPath('changes-5-fleet'), fullPage: true });

    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  });

  async function settings(): Promise<typeof DEFAULT_THRESHOLDS> {
    const answer = await stack.core.dispatch('settings.get', {});
    if (!answer.ok) {
      throw new Error('settings.get failed');
    }
    return (answer.value as { thresholds: typeof DEFAULT_THRESHOLDS }).thresholds;
  }
});

async function runsInTimeline(
  page: Page,
): Promise<{ id: string | null; level: string | null; current: string | null }[]> {
  return byTestId(page, 'timeline-run').evaluateAll((runs) =>
    runs.map((run) => ({
      id: run.getAttribute('data-run-id'),
      level: run.getAttribute('data-level'),
      current: run.getAttribute('aria-current'),
    })),
  );
}
