import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';

import { launchChromium, openTestPage, type TestPage } from './chromium';
import { startFakeBrowserHost, type FakeHost, type FakeHostOptions } from './fakeBrowserHost';
import { requireRendererBuild } from './paths';

export type FakePages = {
  /** Starts a fake browser host in front of `source` and opens `address` (after the host's origin) in a fresh page. */
  open(source: Pick<FakeHostOptions, 'dispatch' | 'subscribe'>, address: string): Promise<TestPage>;
  /** The host of the current test, null between tests. */
  readonly host: FakeHost | null;
};

/**
 * One Chromium for the describe block, and per test a fake browser host with the built renderer and a fresh page,
 * both closed after the test. Registers the describe block's hooks: call it in the block's body.
 */
export function useFakeHostPages(token: string): FakePages {
  let browser: Browser;
  let staticDir: string;
  let host: FakeHost | null = null;
  let tab: TestPage | null = null;

  beforeAll(async () => {
    staticDir = requireRendererBuild();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await tab?.context.close();
    await host?.close();
    tab = null;
    host = null;
  });

  return {
    open: async (source, address) => {
      host = await startFakeBrowserHost({ dispatch: source.dispatch, subscribe: source.subscribe, staticDir, token });
      tab = await openTestPage(browser);
      await tab.page.goto(`${host.origin}${address}`);
      return tab;
    },
    get host() {
      return host;
    },
  };
}
