import { describe, expect, it } from 'vitest';

import type { TestPage } from '../support/e2e/chromium';
import { useFakeHostPages } from '../support/e2e/fakePages';
import { FAKE_HOST_KEY, FakeWorkstation } from '../support/e2e/fakeWorkstation';
import { screenshotPath } from '../support/e2e/paths';
import {
  byTestId,
  checkLevel,
  diagnoseOnUnitPage,
  fillAndSubmitUnitForm,
  shownFingerprint,
  visible,
  waitForText,
} from '../support/e2e/ui';

const TOKEN = 'test-token-0123456789';
const UNIT = {
  name: 'oht-07',
  host: '10.0.7.21',
  user: 'oht',
  auth: { kind: 'key', keyPath: '/keys/oht-07' },
} as const;

/** The built renderer in real Chromium against an in-test fake of the workstation, over the browser-host protocol. */
describe('renderer against a fake workstation', () => {
  const pages = useFakeHostPages(TOKEN);
  let workstation: FakeWorkstation;

  const open = async (token = TOKEN): Promise<TestPage> => {
    workstation = new FakeWorkstation();
    return pages.open(workstation, `/?token=${token}`);
  };

  it('adds a unit, trusts its key, diagnoses it, and finds the runs again after a reload', async () => {
    const { page, problems } = await open();
    await visible(byTestId(page, 'fleet-page'));
    expect(new URL(page.url()).search, 'the token leaves the address bar').toBe('');
    await visible(byTestId(page, 'fleet-empty'));
    await waitForText(byTestId(page, 'data-dir'), '/tmp/ohtw-fake/data');

    await byTestId(page, 'add-unit-button').click();
    await fillAndSubmitUnitForm(page, UNIT);
    expect(await shownFingerprint(page)).toBe(FAKE_HOST_KEY.fingerprint);
    await waitForText(byTestId(page, 'hostkey-algorithm'), 'ssh-ed25519');
    await page.screenshot({ path: screenshotPath('fake-1-host-key'), fullPage: true });
    await byTestId(page, 'trust-button').click();
    await waitForText(byTestId(page, 'trust-result'), FAKE_HOST_KEY.fingerprint);
    expect(workstation.units[0]?.hostKey?.fingerprint).toBe(FAKE_HOST_KEY.fingerprint);

    await byTestId(page, 'open-unit').click();
    await visible(byTestId(page, 'unit-page'));
    await visible(byTestId(page, 'no-report'));
    const okRun = await diagnoseOnUnitPage(page);
    await waitForText(byTestId(page, 'report-level'), 'OK');
    await visible(byTestId(page, 'findings-none'));
    // Only the problems are listed unless every check is asked for.
    expect(await byTestId(page, 'check-services.firmware').count()).toBe(0);
    await byTestId(page, 'all-checks').check();
    expect(await checkLevel(page, 'services.firmware')).toBe('OK');

    workstation.vehicles.set(UNIT.name, { firmwareFailed: true });
    const errorRun = await diagnoseOnUnitPage(page);
    expect(errorRun).not.toBe(okRun);
    await waitForText(byTestId(page, 'report-level'), 'ERROR');
    await waitForText(byTestId(page, 'unit-level'), 'ERROR');
    const firmware = byTestId(page, 'check-services.firmware');
    await waitForText(firmware, 'ERROR');
    await waitForText(firmware, "Troubleshooting › Service Won't Start");
    expect(await checkLevel(page, 'services'), 'a parent is as bad as its worst child').toBe('ERROR');
    await byTestId(page, 'evidence-toggle-services.firmware').click();
    await waitForText(byTestId(page, 'evidence-services.firmware'), 'Active: failed (Result: core-dump)');
    await page.screenshot({ path: screenshotPath('fake-2-unit-error'), fullPage: true });

    await page.reload();
    await visible(byTestId(page, 'unit-page'));
    await byTestId(page, 'unit-tab-history').click();
    const entries = byTestId(page, 'history-entry');
    await waitForText(entries.first(), 'ERROR');
    const diagnoses = entries.and(page.locator('[data-kind="diagnosis"]'));
    expect(await diagnoses.evaluateAll((items) => items.map((item) => item.getAttribute('data-id')))).toEqual([
      errorRun,
      okRun,
    ]);
    await waitForText(entries, 'Trusted the host key SHA256:');
    await diagnoses.nth(1).click();
    await waitForText(byTestId(page, 'report-level'), 'OK');
    await visible(byTestId(page, 'viewing-old'));
    expect(await byTestId(page, 'report-meta').getAttribute('data-run-id')).toBe(okRun);

    await byTestId(page, 'back-link').click();
    await waitForText(byTestId(page, `status-chip-${UNIT.name}`), 'ERROR');
    await page.screenshot({ path: screenshotPath('fake-3-fleet'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows the core validation errors on the form, and accepts the corrected unit', async () => {
    const { page, problems } = await open();
    await byTestId(await visible(byTestId(page, 'fleet-page')), 'add-unit-button').click();
    await fillAndSubmitUnitForm(page, { ...UNIT, name: 'bad name!', host: '' });
    const error = await visible(byTestId(page, 'form-error'));
    await waitForText(error, 'Some values are not valid.');
    await waitForText(error, /name: /);
    await waitForText(error, /host: /);
    expect(await byTestId(page, 'add-name').getAttribute('aria-invalid')).toBe('true');
    expect(await byTestId(page, 'add-user').getAttribute('aria-invalid')).toBe('false');
    await page.screenshot({ path: screenshotPath('fake-4-form-error'), fullPage: true });

    await byTestId(page, 'add-name').fill(UNIT.name);
    await byTestId(page, 'add-host').fill(UNIT.host);
    await byTestId(page, 'add-submit').click();
    expect(await shownFingerprint(page)).toBe(FAKE_HOST_KEY.fingerprint);
    expect(workstation.units.map((unit) => unit.name)).toEqual([UNIT.name]);
    expect(problems).toEqual([]);
  });

  it('diagnoses the whole fleet and lists the worst unit first', async () => {
    const { page, problems } = await open();
    for (const name of ['a-ok', 'b-broken', 'c-new']) {
      await workstation.dispatch('units.add', { ...UNIT, name });
    }
    for (const name of ['a-ok', 'b-broken']) {
      await workstation.dispatch('units.trust', { name, fingerprint: FAKE_HOST_KEY.fingerprint });
    }
    workstation.vehicles.set('b-broken', { firmwareFailed: true });
    await waitForText(byTestId(page, 'unit-row-c-new'), 'never diagnosed');
    await byTestId(page, 'diagnose-unit-b-broken').click();
    await waitForText(byTestId(page, 'status-chip-b-broken'), 'ERROR');
    await byTestId(page, 'diagnose-unit-a-ok').click();
    await waitForText(byTestId(page, 'status-chip-a-ok'), 'OK');

    const order = await page
      .locator('[data-testid^="unit-row-"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
    expect(order).toEqual(['unit-row-b-broken', 'unit-row-c-new', 'unit-row-a-ok']);
    await visible(byTestId(page, 'key-missing-c-new'));
    await page.screenshot({ path: screenshotPath('fake-6-fleet-sorted'), fullPage: true });

    // c-new has no trusted key: the run fails as a whole and says why, in the technician's words.
    await byTestId(page, 'diagnose-all').click();
    await waitForText(byTestId(page, 'run-error'), 'not trusted yet');
    expect(problems).toEqual([]);
  });

  it('retries only the units a fleet diagnosis could not reach', async () => {
    const { page, problems } = await open();
    for (const name of ['r-near', 'r-far']) {
      await workstation.dispatch('units.add', { ...UNIT, name });
      await workstation.dispatch('units.trust', { name, fingerprint: FAKE_HOST_KEY.fingerprint });
    }
    workstation.vehicles.set('r-far', { firmwareFailed: false, unreachable: true });
    await waitForText(byTestId(page, 'unit-row-r-far'), 'never diagnosed');
    await byTestId(page, 'diagnose-all').click();
    await waitForText(byTestId(page, 'status-chip-r-far'), 'STALE');
    await waitForText(byTestId(page, 'diagnose-retry-failed'), 'Retry failed only (1)');

    workstation.vehicles.set('r-far', { firmwareFailed: false });
    const calls = workstation.diagnoseCalls.length;
    await byTestId(page, 'diagnose-retry-failed').click();
    await waitForText(byTestId(page, 'status-chip-r-far'), 'OK');
    expect(workstation.diagnoseCalls.slice(calls)).toEqual([['r-far']]);
    await expect.poll(() => byTestId(page, 'diagnose-retry-failed').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('switches to Vietnamese, and remembers it after a reload', async () => {
    const { page, problems } = await open();
    await workstation.dispatch('units.add', { ...UNIT });
    await visible(byTestId(page, `unit-row-${UNIT.name}`));
    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(byTestId(page, 'nav-fleet'), 'Đội xe');
    await waitForText(byTestId(page, 'add-unit-button'), 'Thêm xe');
    await waitForText(byTestId(page, `diagnose-unit-${UNIT.name}`), 'Chẩn đoán');
    await waitForText(byTestId(page, `status-chip-${UNIT.name}`), 'chưa chẩn đoán');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');

    await page.reload();
    await waitForText(byTestId(page, 'nav-fleet'), 'Đội xe');
    await byTestId(page, `unit-link-${UNIT.name}`).click();
    await waitForText(byTestId(page, 'hostkey-notice'), 'Khóa máy chủ của xe này chưa được tin cậy');
    await byTestId(page, 'hostkey-check').click();
    await waitForText(byTestId(page, 'trust-button'), 'Tin cậy khóa máy chủ');
    await byTestId(page, 'unit-tab-history').click();
    await waitForText(page.locator('.panel.history'), 'Lịch sử');
    await page.screenshot({ path: screenshotPath('fake-5-vietnamese'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('says when live updates are down, and catches up on what it missed once they are back', async () => {
    const { page } = await open();
    await visible(byTestId(page, 'fleet-empty'));
    pages.host!.setEventsDown(true);
    await visible(byTestId(page, 'live-status'));

    // Added while the page hears nothing: its units.changed event is lost for good.
    await workstation.dispatch('units.add', { ...UNIT });
    pages.host!.setEventsDown(false);
    await visible(byTestId(page, `unit-row-${UNIT.name}`));
    await byTestId(page, 'live-status').waitFor({ state: 'detached' });
  });

  it('explains a rejected token instead of showing an empty fleet', async () => {
    const { page } = await open('not-the-token');
    await waitForText(byTestId(page, 'fleet-error'), 'The access token was not accepted');
  });

  it('asks for the host link when opened without a token', async () => {
    workstation = new FakeWorkstation();
    const tab = await pages.open(workstation, '/');
    await visible(byTestId(tab.page, 'no-token'));
    expect(tab.problems).toEqual([]);
  });
});
