import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import {
  byTestId,
  checkLevel,
  diagnoseOnUnitPage,
  fillAndSubmitUnitForm,
  shownFingerprint,
  visible,
  waitForText,
} from '../support/e2e/ui';

/** The built renderer in real Chromium, against the real core and browser host, diagnosing a simulated vehicle. */
describe('renderer against the real core, browser host and a simulated unit', () => {
  let stack: RealStack;

  // The unit is not added: adding and trusting it through the UI is what this test is about.
  beforeAll(async () => {
    stack = await startRealStack({ tempPrefix: 'ohtw-ui-real-', trust: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('adds and trusts the unit, sees OK, then the crashed firmware as ERROR, in history and in Vietnamese', async () => {
    const unit = stack.sim.units[0]!;
    const { page, problems } = await stack.newPage();
    await page.goto(stack.host.url);
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
    // One finding, first on the page: the crashed service, its consequences folded under it, one Fix….
    const findings = byTestId(page, 'findings').locator(':scope > li');
    expect(await findings.evaluateAll((items) => items.map((item) => item.getAttribute('data-testid')))).toEqual([
      'finding-services.firmware',
    ]);
    await waitForText(byTestId(page, 'finding-message-services.firmware'), 'oht50-firmware has failed');
    expect(await byTestId(page, 'fix-services.firmware').getAttribute('data-procedure')).toBe('emergency.system-down');
    await byTestId(page, 'consequences-services.firmware').locator('summary').click();
    await visible(byTestId(page, 'consequence-network.ports.firmware'));
    await byTestId(page, 'evidence-toggle-services.firmware').click();
    await visible(byTestId(page, 'evidence-services.firmware'));
    await page.screenshot({ path: screenshotPath('real-3-error'), fullPage: true });

    await page.reload();
    await visible(byTestId(page, 'unit-page'));
    await byTestId(page, 'unit-tab-history').click();
    const diagnoses = byTestId(page, 'history-entry').and(page.locator('[data-kind="diagnosis"]'));
    await waitForText(diagnoses.first(), 'ERROR');
    const runIds = await diagnoses.evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
    expect(runIds.slice(0, 2)).toEqual([errorRun, okRun]);

    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(byTestId(page, 'diagnose-button'), 'Chẩn đoán');
    await waitForText(page.locator('.panel.history'), 'Lịch sử');
    await byTestId(page, 'unit-tab-health').click();
    await waitForText(byTestId(page, 'finding-message-services.firmware'), 'oht50-firmware đã bị lỗi dừng');
    await byTestId(page, 'back-link').click();
    await waitForText(byTestId(page, `status-chip-${unit.name}`), 'ERROR');
    await waitForText(byTestId(page, `top-finding-${unit.name}`), 'oht50-firmware đã bị lỗi dừng');
    await waitForText(byTestId(page, 'nav-fleet'), 'Đội xe');
    await page.screenshot({ path: screenshotPath('real-4-fleet-vi'), fullPage: true });

    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  });
});
