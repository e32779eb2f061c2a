import type { Page } from 'playwright-core';

import type { SimVehicle } from '../../../electron/sim/SimVehicle';
import { setJournalFlood } from '../../../electron/sim/simJournalFollow';

/** How the page's main thread fared: its longest task (Chromium's long-task timing) and longest gap between frames. */
export type MainThreadFigures = { longTasks: number; longestTaskMs: number; longestFrameGapMs: number };

export type LogFloodResult = {
  total: number;
  received: number;
  dropped: number;
  mainThread: MainThreadFigures;
};

/**
 * Watches the page's main thread: every long task (over 50 ms, as Chromium reports them) and the gap between frames.
 * Sent as text so that no compiler helper (a runner's name-keeping wrapper) ends up in the page.
 */
const WATCH_MAIN_THREAD = `(() => {
  const watch = { longTasks: 0, longestTaskMs: 0, longestFrameGapMs: 0, lastFrame: performance.now(), on: true };
  window.__mainThread = watch;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      watch.longTasks += 1;
      watch.longestTaskMs = Math.max(watch.longestTaskMs, entry.duration);
    }
  }).observe({ type: 'longtask' });
  const frame = (now) => {
    watch.longestFrameGapMs = Math.max(watch.longestFrameGapMs, now - watch.lastFrame);
    watch.lastFrame = now;
    if (watch.on) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

const STOP_WATCHING = `(() => {
  const watch = window.__mainThread;
  watch.on = false;
  return { longTasks: watch.longTasks, longestTaskMs: watch.longestTaskMs, longestFrameGapMs: watch.longestFrameGapMs };
})()`;

const count = async (page: Page, testId: string): Promise<number> =>
  Number(await page.locator(`[data-testid="${testId}"]`).getAttribute('data-count'));

/**
 * Floods the unit's journal while the page's Logs tab follows it live, and waits until the flood's last line is
 * on screen (the services' own chatter may follow it): what the view received, what the workstation counted as dropped, and how the main thread fared.
 * `midway` runs while the flood is on (a click the page must answer).
 */
export async function floodLiveLogs(
  page: Page,
  vehicle: SimVehicle,
  flood: { linesPerSecond: number; seconds: number; midway?: () => Promise<void> },
): Promise<LogFloodResult> {
  const total = flood.linesPerSecond * flood.seconds;
  await page.locator('[data-testid="logs-tab"][data-status="live"]').waitFor();
  // The page is settled once the journal's last lines are on screen: the flood is measured, not the page's start.
  await page.locator('[data-testid="log-line"]').first().waitFor();
  await page.evaluate(WATCH_MAIN_THREAD);
  setJournalFlood(vehicle, { linesPerSecond: flood.linesPerSecond, total });
  try {
    await flood.midway?.();
    // A function, not text: the page's CSP refuses eval, and this one names nothing a compiler would wrap. The
    // counts as well as the last line: an earlier flood's last line may still be in the journal's backlog.
    await page.waitForFunction(
      ({ last, total: all }) =>
        ['logs-received', 'logs-dropped']
          .map((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-count') ?? 0))
          .reduce((sum, n) => sum + n, 0) >= all &&
        Array.from(document.querySelectorAll('[data-testid="log-line"]')).some((row) =>
          row.textContent?.includes(`frame ${last}:`),
        ),
      { last: total - 1, total },
      { timeout: (flood.seconds + 60) * 1000, polling: 250 },
    );
  } finally {
    setJournalFlood(vehicle, null);
  }
  const mainThread = await page.evaluate<MainThreadFigures>(STOP_WATCHING);
  return {
    total,
    received: await count(page, 'logs-received'),
    dropped: await count(page, 'logs-dropped'),
    mainThread,
  };
}
