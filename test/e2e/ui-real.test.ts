import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../electron/core/createCore';
import { createLogger, type LogLevel } from '../../electron/core/ports/Logger';
import { startBrowserHost, type BrowserHost } from '../../electron/host/BrowserHost';
import { launchChromium, openTestPage, type TestPage } from '../support/e2e/chromium';
import { REPO_ROOT, requireRendererBuild, screenshotPath } from '../support/e2e/paths';
import {
  byTestId,
  checkLevel,
  diagnoseOnUnitPage,
  fillAndSubmitUnitForm,
  shownFingerprint,
  visible,
  waitForText,
} from '../support/e2e/ui';

const REAL_MODULES = ['electron/core/createCore.ts', 'electron/host/BrowserHost.ts', 'electron/core/sim/SimServer.ts'];
const modulesExist = REAL_MODULES.every((file) => existsSync(join(REPO_ROOT, file)));

/** The part of the simulator this test uses; loaded at run time so this file compiles before it lands. */
type SimFleet = {
  units: {
    name: string;
    host: string;
    port: number;
    user: string;
    clientKeyPath: string;
    hostKeyFingerprint: string;
    vehicle: { crashService(which: 'firmware'): void };
  }[];
  close(): Promise<void>;
};
type SimModule = { startSimFleet(options: { count: number; stateDir: string }): Promise<SimFleet> };

/** The built renderer in real Chromium, against the real core and browser host, diagnosing a simulated vehicle. */
describe.skipIf(!modulesExist)('renderer against the real core, browser host and a simulated unit', () => {
  const logged: { level: LogLevel; message: string }[] = [];
  const logger = createLogger((record) => logged.push(record), 'warn');
  let tempDir: string;
  let sim: SimFleet;
  let core: Core;
  let host: BrowserHost;
  let browser: Browser;
  let tab: TestPage | null = null;

  beforeAll(async () => {
    const staticDir = requireRendererBuild();
    tempDir = await mkdtemp(join(tmpdir(), 'ohtw-ui-real-'));
    const simModule = (await import(/* @vite-ignore */ join(REPO_ROOT, REAL_MODULES[2]!))) as SimModule;
    sim = await simModule.startSimFleet({ count: 1, stateDir: join(tempDir, 'sim') });
    core = await createCore({ dataDir: join(tempDir, 'data'), face: 'browser', logger });
    host = await startBrowserHost({
      dispatch: (name, input) => core.dispatch(name, input),
      subscribe: (listener) => core.events.subscribe(listener),
      staticDir,
      port: 0,
      logger,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await tab?.context.close();
    await browser?.close();
    await host?.close();
    await core?.close();
    await sim?.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('adds and trusts the unit, sees OK, then the crashed firmware as ERROR, in history and in Vietnamese', async () => {
    const unit = sim.units[0]!;
    tab = await openTestPage(browser);
    const { page, problems } = tab;
    await page.goto(host.url);
    await visible(byTestId(page, 'fleet-page'));
    await visible(byTestId(page, 'fleet-empty'));

    await byTestId(page, 'add-unit-button').click();
    await fillAndSubmitUnitForm(page, {
      name: unit.name,
      host: unit.host,
      port: unit.port,
      user: unit.user,
      auth: { kind: 'key', keyPath: unit.clientKeyPath },
    });
    expect(await shownFingerprint(page)).toBe(unit.hostKeyFingerprint);
    await byTestId(page, 'trust-button').click();
    await waitForText(byTestId(page, 'trust-result'), unit.hostKeyFingerprint);
    await page.screenshot({ path: screenshotPath('real-1-trusted'), fullPage: true });

    await byTestId(page, 'open-unit').click();
    await visible(byTestId(page, 'unit-page'));
    const okRun = await diagnoseOnUnitPage(page);
    await waitForText(byTestId(page, 'report-level'), 'OK');
    await page.screenshot({ path: screenshotPath('real-2-ok'), fullPage: true });

    unit.vehicle.crashService('firmware');
    const errorRun = await diagnoseOnUnitPage(page);
    expect(errorRun).not.toBe(okRun);
    await waitForText(byTestId(page, 'report-level'), 'ERROR');
    expect(await checkLevel(page, 'services.firmware')).toBe('ERROR');
    await byTestId(page, 'evidence-toggle-services.firmware').click();
    await visible(byTestId(page, 'evidence-services.firmware'));
    await page.screenshot({ path: screenshotPath('real-3-error'), fullPage: true });

    await page.reload();
    await visible(byTestId(page, 'unit-page'));
    const diagnoses = byTestId(page, 'history-entry').and(page.locator('[data-kind="diagnosis"]'));
    await waitForText(diagnoses.first(), 'ERROR');
    const runIds = await diagnoses.evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
    expect(runIds.slice(0, 2)).toEqual([errorRun, okRun]);

    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(byTestId(page, 'diagnose-button'), 'Chẩn đoán');
    await waitForText(page.locator('.panel.history'), 'Lịch sử');
    await byTestId(page, 'back-link').click();
    await waitForText(byTestId(page, `status-chip-${unit.name}`), 'ERROR');
    await waitForText(byTestId(page, 'nav-fleet'), 'Đội xe');
    await page.screenshot({ path: screenshotPath('real-4-fleet-vi'), fullPage: true });

    expect(problems).toEqual([]);
    expect(logged.filter((record) => record.level === 'error')).toEqual([]);
  });
});
