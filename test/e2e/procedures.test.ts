import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chromiumPdfPrinter } from '../../electron/cli/commands/procedureRunReport';
import type { TestPage } from '../support/e2e/chromium';
import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';

/**
 * The daily health check run in real Chromium against the real core, browser host and a simulated unit: every
 * check step runs the real diagnosis, the manual step is confirmed, the technician signs, and the service report
 * is printed to PDF by Chromium.
 */
describe('procedures in the browser against the real core and a simulated unit', () => {
  let stack: RealStack;
  let tab: TestPage | null = null;

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-procedures-e2e-',
      coreOptions: {
        actor: 'tech-an',
        pdfPrinter: chromiumPdfPrinter(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('runs the daily health check step by step, signs it, and prints the service report to PDF', async () => {
    const unit = stack.sim.units[0]!;
    expect(await stack.core.dispatch('session.setTechnician', { name: 'Nguyễn Văn An' })).toMatchObject({ ok: true });
    tab = await stack.newPage();
    const { page, problems } = tab;
    await page.goto(stack.host.url);
    await byTestId(page, 'nav-procedures').click();
    await visible(byTestId(page, 'procedures-page'));
    await byTestId(page, 'procedures-search').fill('daily');
    await byTestId(page, 'procedure-link-routine.daily-health').click();
    await visible(byTestId(page, 'procedure-steps'));
    await page.screenshot({ path: screenshotPath('procedures-1-procedure'), fullPage: true });

    await byTestId(page, `start-unit-${unit.name}`).check();
    await byTestId(page, 'procedure-start').click();
    await visible(byTestId(page, 'run-page'));

    // Every check step runs the real diagnosis on the unit when asked; none runs on its own.
    const current = byTestId(page, 'current-step');
    for (let guard = 0; guard < 30; guard++) {
      await visible(current.or(byTestId(page, 'run-end')));
      if (await byTestId(page, 'run-end').isVisible()) {
        break;
      }
      const kind = await current.getAttribute('data-kind');
      const stepId = await current.getAttribute('data-step-id');
      if (kind === 'check') {
        await byTestId(page, 'step-run').click();
      } else if (kind === 'manual') {
        await byTestId(page, 'manual-note').fill('Looked at the vehicle: clean, no loose cables.');
        await byTestId(page, 'manual-done').click();
      } else {
        throw new Error(`unexpected step kind ${String(kind)} at ${String(stepId)}`);
      }
      await page.waitForFunction(
        (previous) =>
          document.querySelector('[data-testid="current-step"]')?.getAttribute('data-step-id') !== previous ||
          document.querySelector('[data-testid="step-message"].notice--error') !== null,
        stepId,
        { timeout: 30_000 },
      );
      if (await page.locator('[data-testid="step-message"].notice--error').isVisible()) {
        throw new Error(`step ${String(stepId)} failed: ${await byTestId(page, 'step-message').innerText()}`);
      }
    }
    await waitForText(byTestId(page, 'run-state'), 'Completed');
    await page.screenshot({ path: screenshotPath('procedures-2-completed'), fullPage: true });

    // The name set in Settings is offered, to be read and signed by hand; nothing is signed on its own.
    expect(await byTestId(page, 'sign-name').inputValue()).toBe('Nguyễn Văn An');
    expect(await byTestId(page, 'run-signature').count()).toBe(0);
    await byTestId(page, 'sign-submit').click();
    await waitForText(byTestId(page, 'run-signature'), 'Nguyễn Văn An');

    // The PDF button hands over the report printed by the face's browser engine.
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'report-pdf').click()]);
    const downloaded = await readFile(await download.path());
    expect(downloaded.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);

    await byTestId(page, 'report-open').click();
    await visible(byTestId(page, 'report-page'));
    await waitForText(byTestId(page, 'report-units'), unit.name);
    await waitForText(byTestId(page, 'report-signature'), 'Nguyễn Văn An');
    const pdfPath = join(stack.tempDir, 'daily-health.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdfPath, format: 'A4' });
    const pdf = await readFile(pdfPath);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({ path: screenshotPath('procedures-3-report'), fullPage: true });

    // The record is in the audit chain and the chain is intact.
    const verification = await stack.core.dispatch('audit.verify', {});
    expect(verification).toMatchObject({ ok: true, value: { ok: true } });
    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  });

  it('keeps the escalation contacts the team enters on the Settings page, none preset, bad ones refused', async () => {
    tab ??= await stack.newPage();
    const { page } = tab;
    await page.goto(stack.host.url);
    await byTestId(page, 'nav-settings').click();
    const panel = await visible(byTestId(page, 'escalation-contacts'));
    await visible(byTestId(page, 'escalation-level-4'));
    expect(await panel.locator('input').count()).toBe(0);

    await byTestId(page, 'contact-add-1').click();
    await byTestId(page, 'contact-1-0-name').fill('Trần Thị Bình');
    await byTestId(page, 'escalation-save').click();
    await visible(byTestId(page, 'escalation-error'));

    await byTestId(page, 'contact-1-0-phone').fill('+84 90 123 4567');
    await byTestId(page, 'escalation-save').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="escalation-error"]') === null);
    await page.reload();
    await visible(byTestId(page, 'contact-1-0-name'));
    expect(await byTestId(page, 'contact-1-0-phone').inputValue()).toBe('+84 90 123 4567');
    const matrix = await stack.core.dispatch('escalation.contacts.get', {});
    expect(matrix).toMatchObject({ ok: true, value: { updatedBy: 'tech-an' } });
  });
});
