import type { Locator, Page } from 'playwright-core';

/** Locators by data-testid (a string matches exactly): the contract between the renderer and its tests, whatever the language. */
export const byTestId = (scope: Page | Locator, id: string): Locator => scope.getByTestId(id);

/** Waits until the element shows the text (the renderer updates asynchronously), then returns it. */
export async function waitForText(locator: Locator, text: string | RegExp, timeoutMs = 15_000): Promise<Locator> {
  const match = locator.filter({ hasText: text });
  await match.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return match;
}

export async function visible(locator: Locator, timeoutMs = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return locator;
}

export type UnitForm = {
  name: string;
  host: string;
  port?: number;
  user: string;
  auth: { kind: 'key'; keyPath: string; passphraseEnv?: string } | { kind: 'password'; passwordEnv: string };
};

/** Fills the add-unit form as a technician would and submits it. */
export async function fillAndSubmitUnitForm(page: Page, unit: UnitForm): Promise<void> {
  const form = await visible(byTestId(page, 'add-unit-form'));
  await byTestId(form, 'add-name').fill(unit.name);
  await byTestId(form, 'add-host').fill(unit.host);
  await byTestId(form, 'add-port').fill(String(unit.port ?? 22));
  await byTestId(form, 'add-user').fill(unit.user);
  await byTestId(form, 'add-auth-kind').selectOption(unit.auth.kind);
  if (unit.auth.kind === 'key') {
    await byTestId(form, 'add-key-path').fill(unit.auth.keyPath);
    await byTestId(form, 'add-passphrase-env').fill(unit.auth.passphraseEnv ?? '');
  } else {
    await byTestId(form, 'add-password-env').fill(unit.auth.passwordEnv);
  }
  await byTestId(form, 'add-submit').click();
}

/** The fingerprint the page shows after adding a unit (it probes the host key by itself). */
export async function shownFingerprint(page: Page): Promise<string> {
  const fingerprint = await visible(byTestId(page, 'hostkey-fingerprint'));
  return (await fingerprint.textContent())?.trim() ?? '';
}

/** Presses Diagnose on the unit page and waits for the report of a new run to be on show. */
export async function diagnoseOnUnitPage(page: Page): Promise<string> {
  const meta = byTestId(page, 'report-meta');
  const before = (await meta.count()) > 0 ? await meta.getAttribute('data-run-id') : null;
  await byTestId(page, 'diagnose-button').click();
  await page.waitForFunction(
    (previous) => {
      const element = document.querySelector('[data-testid="report-meta"]');
      const button = document.querySelector<HTMLButtonElement>('[data-testid="diagnose-button"]');
      const runId = element?.getAttribute('data-run-id') ?? null;
      return runId !== null && runId !== previous && button !== null && !button.disabled;
    },
    before,
    { timeout: 30_000 },
  );
  return (await meta.getAttribute('data-run-id')) ?? '';
}

export async function checkLevel(page: Page, checkId: string): Promise<string | null> {
  return byTestId(page, `check-${checkId}`).getAttribute('data-level');
}
