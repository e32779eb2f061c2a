import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { expect } from 'vitest';

import { createCore, type Core, type CoreOptions } from '../../../electron/core/createCore';
import { createLogger, type LogLevel } from '../../../electron/core/ports/Logger';
import { startSimFleet, type SimFleet } from '../../../electron/sim/SimServer';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../../electron/host/BrowserHost';
import { browserFaceOf } from '../../../electron/host/coreFace';
import { launchChromium, openTestPage, type TestPage } from './chromium';
import { requireRendererBuild } from './paths';

export type LoggedRecord = { level: LogLevel; message: string };

export type RealStackOptions = {
  /** Prefix of the temporary directory holding the simulator's state (sim/) and the core's data (data/). */
  tempPrefix: string;
  /** Simulated units to start; 0 starts no simulator (a test with its own units). Default 1. */
  simUnits?: number;
  /** Merged over { dataDir, face: 'browser', logger }. */
  coreOptions?: Partial<CoreOptions>;
  /** Add and trust every simulated unit through the core (the UI for that has its own tests). Default true. */
  trust?: boolean;
  /** Runs once the simulator is up, before the core is created (to set up a simulated vehicle). */
  beforeCore?: (sim: SimFleet) => void | Promise<void>;
  /** Runs once the core is up and the units are trusted, before the browser host starts. */
  beforeHost?: (stack: { tempDir: string; sim: SimFleet; core: Core }) => void | Promise<void>;
  /** What the browser host calls, in place of the core's dispatch and events (a seam in front of the core). */
  hostBoundary?: (core: Core) => Pick<BrowserHostOptions, 'dispatch' | 'subscribe' | 'releaseClient'>;
};

export type RealStack = {
  tempDir: string;
  sim: SimFleet;
  core: Core;
  host: BrowserHost;
  browser: Browser;
  /** What the core and the host logged at warning level and above. */
  logged: LoggedRecord[];
  /** The logged errors: a clean run has none. */
  loggedErrors(): LoggedRecord[];
  /** A fresh context and page recording its problems; closed by close(). */
  newPage(locale?: string): Promise<TestPage>;
  /** Pages, browser, host, core, simulator, then the temporary directory. */
  close(): Promise<void>;
};

const NO_SIM: SimFleet = { units: [], close: async () => {} };

/**
 * The real core and browser host over the built renderer, with simulated units and headless Chromium: what every
 * end-to-end test against the real workstation starts from. If any part fails to start, what did start is closed.
 */
export async function startRealStack(options: RealStackOptions): Promise<RealStack> {
  const logged: LoggedRecord[] = [];
  const logger = createLogger((record) => logged.push(record), 'warn');
  const pages: TestPage[] = [];
  let tempDir: string | undefined;
  let sim: SimFleet | undefined;
  let core: Core | undefined;
  let host: BrowserHost | undefined;
  let browser: Browser | undefined;

  const close = async (): Promise<void> => {
    for (const tab of pages.splice(0)) {
      await tab.context.close();
    }
    await browser?.close();
    await host?.close();
    await core?.close();
    await sim?.close();
    if (tempDir) {
      await rm(tempDir, { recursive: true, force: true });
    }
  };

  try {
    const staticDir = requireRendererBuild();
    tempDir = await mkdtemp(join(tmpdir(), options.tempPrefix));
    const simUnits = options.simUnits ?? 1;
    sim = simUnits > 0 ? await startSimFleet({ count: simUnits, stateDir: join(tempDir, 'sim') }) : NO_SIM;
    await options.beforeCore?.(sim);
    const started = await createCore({
      dataDir: join(tempDir, 'data'),
      face: 'browser',
      logger,
      ...options.coreOptions,
    });
    core = started;
    if (options.trust ?? true) {
      for (const unit of sim.units) {
        const add = await started.dispatch('units.add', {
          name: unit.name,
          host: unit.host,
          port: unit.port,
          user: unit.user,
          auth: { kind: 'key', keyPath: unit.clientKeyPath },
        });
        const trust = await started.dispatch('units.trust', { name: unit.name, fingerprint: unit.hostKeyFingerprint });
        expect([add.ok, trust.ok], `${unit.name} added and trusted`).toEqual([true, true]);
      }
    }
    await options.beforeHost?.({ tempDir, sim, core: started });
    const boundary = options.hostBoundary?.(started) ?? browserFaceOf(started);
    host = await startBrowserHost({ ...boundary, staticDir, port: 0, logger });
    browser = await launchChromium();
    const openedBrowser = browser;
    return {
      tempDir,
      sim,
      core,
      host,
      browser,
      logged,
      loggedErrors: () => logged.filter((record) => record.level === 'error'),
      newPage: async (locale) => {
        const tab = await openTestPage(openedBrowser, locale);
        pages.push(tab);
        return tab;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
