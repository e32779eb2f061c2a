import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chromiumPdfPrinter } from '../../electron/cli/commands/procedureRunReport';
import type { TestPage } from '../support/e2e/chromium';
import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';
import {
  SEED_NOTE,
  SEED_PASSPHRASE,
  SEED_SIGNER,
  seedBackup,
  seedFleet,
  type SeededFleet,
} from '../support/logbook/seedFleet';
import { pdfText } from '../support/pdfText';

/**
 * The Logbook, a unit's service record and the site report in Chromium against the real core and browser host,
 * over a history the product's own writers made (sweeps, register writes, a verified backup, a signed run with a
 * note); PDFs are printed by headless Chromium behind the host and read back as text.
 */
describe('the logbook and the fleet reports in the browser', () => {
  let stack: RealStack;
  let seeded: SeededFleet;
  let tab: TestPage | null = null;

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-logbook-e2e-',
      simUnits: 0,
      coreOptions: {
        actor: 'an',
        env: { ...process.env, OHTW_PASSPHRASE: SEED_PASSPHRASE },
        pdfPrinter: chromiumPdfPrinter(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
      },
      beforeHost: async ({ tempDir, core }) => {
        const backupId = await seedBackup(join(tempDir, 'data'), 'unit-01');
        seeded = await seedFleet(core, backupId);
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('filters by unit and kind, finds a note by a word, pages without repeats and exports the filtered CSV', async () => {
    tab = await stack.newPage();
    const { page, problems } = tab;
    await page.goto(stack.host.url);
    await byTestId(page, 'nav-logbook').click();
    await visible(byTestId(page, 'logbook-page'));
    const entries = byTestId(page, 'logbook-entry');
    await visible(entries.first());

    // Older pages by cursor: every entry once, in time order, until the end.
    expect(await entries.count()).toBe(50);
    const more = byTestId(page, 'logbook-more');
    while (await more.isVisible()) {
      const before = await entries.count();
      await more.click();
      await expect.poll(() => entries.count()).toBeGreaterThan(before);
    }
    await visible(byTestId(page, 'logbook-end'));
    const ids = await entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-entry')));
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
    const times = await entries.evaluateAll((items) => items.map((item) => item.querySelector('time')?.dateTime ?? ''));
    expect([...times].sort().reverse()).toEqual(times);
    await page.screenshot({ path: screenshotPath('logbook-1-all'), fullPage: false });

    // Unit and kind: only unit-02's register writes, in words.
    await byTestId(page, 'filter-unit').selectOption('unit-02');
    await byTestId(page, 'filter-kind').selectOption('register-write');
    await expect.poll(() => entries.count()).toBe(2);
    const words = await byTestId(page, 'logbook-words').allInnerTexts();
    expect(words).toEqual([
      'Wrote resetErrors (0x0109) on the safety module 3: 25.2 V → 1',
      'Wrote chargerVoltageSet (0x0030) on the power module 2: 25.2 V → 24.5 V',
    ]);
    expect(words.join(' ')).not.toMatch(/rs485\.write|: ok/);

    // The filtered CSV, as downloaded.
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'logbook-export-csv').click()]);
    const csv = (await readFile(await download.path(), 'utf8'))
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(download.suggestedFilename()).toBe('ohtw-logbook.csv');
    expect(csv[0]).toBe('time,unit,kind,what,outcome,level,technician,reference,entry,laptop');
    expect(csv.slice(1)).toHaveLength(2);
    expect(csv.slice(1).every((line) => line.includes(',unit-02,Register writes,Wrote '))).toBe(true);

    // A word in a note finds the step it was written on; its detail opens the run and its report.
    await byTestId(page, 'filter-clear').click();
    await byTestId(page, 'filter-query').fill('bracket');
    // The note itself and the step it confirmed (whose message carries the note).
    await expect.poll(() => entries.count()).toBe(2);
    const note = entries.and(page.locator('[data-code="procedure.note"]'));
    await waitForText(note, SEED_NOTE);
    await note.locator('button').click();
    const detail = byTestId(page, 'logbook-detail');
    await waitForText(detail, SEED_NOTE);
    expect(await byTestId(page, 'logbook-open-run').getAttribute('href')).toBe(`#/run/${seeded.procedureRunId}`);
    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(note, 'Ghi chú ở bước');
    await page.screenshot({ path: screenshotPath('logbook-2-note-vi'), fullPage: true });
    await byTestId(page, 'lang-switch').selectOption('en');
    await byTestId(page, 'logbook-open-report').click();
    await visible(byTestId(page, 'report-page'));
    expect(problems).toEqual([]);
  });

  it("prints a unit's service record to PDF with its last verified backup and its signed run", async () => {
    tab = await stack.newPage();
    const { page, problems } = tab;
    await page.goto(`${stack.host.url}#/unit/unit-01/history`);
    await byTestId(page, 'open-service-record').click();
    await visible(byTestId(page, 'record-body'));
    await waitForText(byTestId(page, 'record-last-verified'), seeded.backupId);
    await waitForText(byTestId(page, 'record-procedures'), `signed by ${SEED_SIGNER}`);
    await waitForText(byTestId(page, 'record-chain'), 'Verified intact');
    await page.screenshot({ path: screenshotPath('logbook-3-service-record'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byTestId(page, 'record-download-pdf').click(),
    ]);
    expect(download.suggestedFilename()).toBe('ohtw-service-record-unit-01.pdf');
    const file = join(stack.tempDir, 'unit-01.pdf');
    await writeFile(file, await readFile(await download.path()));
    const text = await pdfText(file);
    expect(text).toContain('Service record of unit-01');
    expect(text).toContain(`Last verified backup`);
    expect(text).toContain(seeded.backupId);
    expect(text).toContain('Escalation matrix');
    expect(text).toContain(SEED_SIGNER);
    expect(text).toMatch(/Chain head: row \d+, SHA-256 [0-9a-f]{64}/);
    expect(problems).toEqual([]);
  });

  it('shows the site report with its charts and prints it to PDF with the same charts', async () => {
    tab = await stack.newPage();
    const { page, problems } = tab;
    await page.goto(`${stack.host.url}#/reports/site`);
    await visible(byTestId(page, 'site-body'));
    // recharts draws both charts in the page: the fleet's health over days, the incidents per unit.
    await visible(byTestId(page, 'chart-health').locator('.recharts-area').first());
    await visible(byTestId(page, 'chart-incidents').locator('.recharts-bar-rectangle').first());
    expect(
      await page.locator('[data-testid="site-coverage"] tr[data-covered="false"] td:first-child').allInnerTexts(),
    ).toEqual(['unit-02', 'unit-03']);
    await page.screenshot({ path: screenshotPath('logbook-4-site-report'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'site-download-pdf').click()]);
    const file = join(stack.tempDir, 'site.pdf');
    await writeFile(file, await readFile(await download.path()));
    const text = await pdfText(file);
    expect(text).toContain('Fleet health over time');
    // The charts' own text as recharts drew it: the health axis in percent, the incidents' legend and units.
    expect(text).toContain('100 %');
    expect(text).toContain('Firmware crashes');
    expect(text).toMatch(/E-Stop.*unit-01.*unit-02.*unit-03/);
    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  });
});
