import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Core } from '../../electron/core/createCore';
import type { CallName } from '../../shared/ipc/contract';
import { auditPage, type PageAudit } from '../support/e2e/pageAudit';
import { layoutScreenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible } from '../support/e2e/ui';

const SIZES = [
  { width: 1024, height: 600 },
  { width: 1366, height: 768 },
] as const;
const THEMES = ['light', 'dark'] as const;
const MIN_FONT_PX = 13;
const MIN_CONTRAST = 4.5;

type PageCase = {
  name: string;
  hash: string;
  /** What shows that the page has drawn its content (not only its frame). */
  ready: string;
  /** What a technician does first on this page, so the screenshot shows the page at work. */
  prepare?: (page: Page) => Promise<void>;
};

/**
 * Every page of the demo at a laptop's two sizes and in both themes, as a technician sees it: the demo's units (one
 * with a crashed firmware service), diagnosed and backed up, the simulated module bus with E-Stop pressed, and a
 * procedure run. Each page is measured from its computed styles (no sideways scrolling, no text under 13 px, text
 * contrast at least 4.5:1) and photographed into the git-ignored .tsbuild/screenshots.
 */
describe('every page fits a laptop, in both themes', () => {
  let stack: RealStack;
  let runId = '';
  let faulty = '';

  const call = async (core: Core, name: CallName, input: unknown): Promise<unknown> => {
    const answer = await core.dispatch(name, input);
    if (!answer.ok) {
      throw new Error(`${name}: ${JSON.stringify(answer.error)}`);
    }
    return answer.value;
  };

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-layout-',
      simUnits: 3,
      coreOptions: { env: { OHTW_PASSPHRASE: 'layout e2e passphrase' }, actor: 'Nguyen Van A' },
      beforeCore: (sim) => sim.units[1]!.vehicle.crashService('firmware'),
      beforeHost: async ({ sim, core }) => {
        faulty = sim.units[1]!.name;
        const names = sim.units.map((unit) => unit.name);
        await call(core, 'diagnostics.run', { names });
        await call(core, 'backup.run', { names });
        const { bus } = (await call(core, 'rs485.sim.start', { faults: { estopPressed: true }, connect: true })) as {
          bus: { busId: string } | null;
        };
        await call(core, 'rs485.diagnose', { busId: bus!.busId });
        const run = (await call(core, 'procedures.start', {
          procedureId: 'routine.daily-health',
          units: [names[0]],
        })) as {
          runId: string;
        };
        runId = run.runId;
      },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const pages = (): PageCase[] => {
    const healthy = stack.sim.units[0]!.name;
    return [
      { name: 'fleet', hash: '#/', ready: `unit-row-${faulty}` },
      { name: 'add-unit', hash: '#/add', ready: 'add-unit-form' },
      { name: 'unit', hash: `#/unit/${faulty}`, ready: 'report-meta' },
      { name: 'service-record', hash: `#/unit/${faulty}/record`, ready: 'service-record-page' },
      { name: 'bus', hash: '#/bus', ready: 'held-bus', prepare: openSafetyModule },
      { name: 'procedures', hash: '#/procedures', ready: 'procedures-page' },
      { name: 'procedure', hash: '#/procedures/routine.daily-health', ready: 'procedure-steps' },
      { name: 'recover', hash: `#/recover/${faulty}/services.firmware`, ready: 'recover-page' },
      { name: 'run', hash: `#/run/${runId}`, ready: 'run-page' },
      { name: 'report', hash: `#/run/${runId}/report`, ready: 'report-page' },
      { name: 'backups', hash: '#/backups', ready: 'backups-page' },
      { name: 'unit-backups', hash: `#/backups/${healthy}`, ready: 'unit-backups-page' },
      { name: 'restore', hash: `#/backups/${healthy}/restore`, ready: 'restore-wizard' },
      { name: 'logbook', hash: '#/logbook', ready: 'logbook' },
      { name: 'site-report', hash: '#/reports/site', ready: 'site-body' },
      { name: 'settings', hash: '#/settings', ready: 'settings-page' },
    ];
  };

  /** Opens each page in turn in one tab (as the nav would), waits until it drew, then lets `visit` look at it. */
  async function eachPage(
    browser: Browser,
    context: { size: (typeof SIZES)[number]; theme: (typeof THEMES)[number]; language: 'en' | 'vi' },
    visit: (page: Page, which: PageCase) => Promise<void>,
  ): Promise<string[]> {
    const browserContext = await browser.newContext({
      viewport: context.size,
      colorScheme: context.theme,
      locale: context.language === 'vi' ? 'vi-VN' : 'en-GB',
    });
    const problems: string[] = [];
    try {
      const page = await browserContext.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await page.goto(stack.host.url);
      await visible(byTestId(page, 'fleet-page'));
      for (const which of pages()) {
        await page.evaluate((hash) => {
          window.location.hash = hash;
        }, which.hash);
        await visible(byTestId(page, which.ready), 30_000);
        await which.prepare?.(page);
        // Let late answers (telemetry, history, charts) settle into the layout before it is measured.
        await page.waitForTimeout(400);
        await visit(page, which);
      }
    } finally {
      await browserContext.close();
    }
    return problems;
  }

  const label = (which: PageCase, size: { width: number; height: number }, theme: string) =>
    `${which.name} at ${size.width}×${size.height} (${theme})`;

  function findings(audit: PageAudit, where: string, checkOverflow: boolean): string[] {
    const out: string[] = [];
    if (audit.measured === 0) {
      out.push(`${where}: no text measured`);
    }
    if (checkOverflow && audit.overflowPx > 0) {
      out.push(
        `${where}: ${audit.overflowPx} px of sideways scrolling, past the edge: ${audit.pastRightEdge.join('; ')}`,
      );
    }
    for (const small of audit.smallText) {
      out.push(`${where}: ${small.value} px text at ${small.where} ("${small.text}")`);
    }
    for (const low of audit.lowContrast) {
      out.push(`${where}: contrast ${low.value}:1 at ${low.where} ("${low.text}")`);
    }
    return out;
  }

  for (const theme of THEMES) {
    it(`photographs and measures every page at both sizes in the ${theme} theme`, async () => {
      const failures: string[] = [];
      for (const size of SIZES) {
        const errors = await eachPage(stack.browser, { size, theme, language: 'en' }, async (page, which) => {
          await page.screenshot({ path: layoutScreenshotPath(`${which.name}-${size.width}x${size.height}-${theme}`) });
          const audit = await auditPage(page, { minFontPx: MIN_FONT_PX, minContrast: MIN_CONTRAST });
          // Overflow is judged at the narrower size, where it would first appear; text and contrast at both.
          failures.push(...findings(audit, label(which, size, theme), size.width === 1024));
        });
        failures.push(...errors);
      }
      expect(failures).toEqual([]);
    }, 300_000);
  }

  it('fits 1024×600 in Vietnamese too, whose words are longer: no page scrolls sideways, the nav is one row', async () => {
    const failures: string[] = [];
    const size = SIZES[0];
    const errors = await eachPage(stack.browser, { size, theme: 'light', language: 'vi' }, async (page, which) => {
      const audit = await auditPage(page, { minFontPx: MIN_FONT_PX, minContrast: MIN_CONTRAST });
      if (audit.overflowPx > 0) {
        failures.push(`${which.name} (vi): ${audit.overflowPx} px past the window: ${audit.pastRightEdge.join('; ')}`);
      }
      const navRows = await page.evaluate(() => {
        const tops = Array.from(document.querySelectorAll('.header__nav a')).map((a) => a.getBoundingClientRect().top);
        return new Set(tops.map(Math.round)).size;
      });
      if (navRows !== 1) {
        failures.push(`${which.name} (vi): the nav takes ${navRows} rows`);
      }
      if (which.name === 'fleet') {
        await page.screenshot({ path: layoutScreenshotPath('fleet-1024x600-light-vi') });
        // Each row's Diagnose button is inside the window, not cut off or scrolled away to the right.
        const buttons = await page.evaluate(() =>
          Array.from(document.querySelectorAll('[data-testid^="diagnose-unit-"]')).map(
            (b) => b.getBoundingClientRect().right,
          ),
        );
        expect(buttons.length).toBe(3);
        expect(Math.max(...buttons)).toBeLessThanOrEqual(size.width);
      }
    });
    expect([...failures, ...errors]).toEqual([]);
  }, 300_000);

  it('switches the theme from the header over the system’s, and remembers the choice', async () => {
    const context = await stack.browser.newContext({ viewport: SIZES[1], colorScheme: 'light' });
    try {
      const page = await context.newPage();
      await page.goto(stack.host.url);
      await visible(byTestId(page, 'fleet-page'));
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const light = await background();
      await expect(byTestId(page, 'theme-switch').inputValue()).resolves.toBe('system');

      await byTestId(page, 'theme-switch').selectOption('dark');
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
      const dark = await background();
      expect(dark).not.toBe(light);

      // Remembered: a reload, even on a light system, is dark before and after the first paint.
      await page.reload();
      await visible(byTestId(page, 'fleet-page'));
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
      expect(await background()).toBe(dark);
      await expect(byTestId(page, 'theme-switch').inputValue()).resolves.toBe('dark');

      // Back to following the system, which says dark now.
      await byTestId(page, 'theme-switch').selectOption('system');
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBeNull();
      expect(await background()).toBe(dark);
      await page.emulateMedia({ colorScheme: 'light' });
      expect(await background()).toBe(light);
    } finally {
      await context.close();
    }
  }, 60_000);
});

/** The bus page at work: the scanned modules at the side, the safety module (E-Stop pressed) open. */
async function openSafetyModule(page: Page): Promise<void> {
  await byTestId(page, 'scan-to').fill('8');
  await byTestId(page, 'scan-button').click();
  await visible(byTestId(page, 'scan-summary'), 30_000);
  await page.locator('[data-testid="module-row"][data-address="3"] [data-testid="module-open"]').click();
  await visible(page.locator('[data-testid="module-panel"][data-slave="3"] [data-testid="registers-table"]'), 30_000);
}
