import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: playwright cannot download browsers on our machines, and it drives this one over CDP. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A laptop screen, the size technicians actually have beside the vehicle. */
export const LAPTOP_VIEWPORT = { width: 1366, height: 768 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type TestPage = {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, CSP violations included: a clean run has none. */
  problems: string[];
};

/** A fresh context (own storage) and page, recording everything the page complains about. */
export async function openTestPage(browser: Browser, locale = 'en-GB'): Promise<TestPage> {
  const context = await browser.newContext({ viewport: LAPTOP_VIEWPORT, locale });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  return { context, page, problems };
}
