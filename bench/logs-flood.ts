/**
 * A live log view in Chromium under a journal flood: the simulator's unit floods its journal at several rates for
 * 10 s while a page follows it live on the Logs tab, through the real core, browser host and WebSocket. For each
 * rate it prints what the view received, what the workstation dropped for it, and how the page's main thread fared
 * (Chromium's long tasks, over 50 ms each, and the longest gap between two frames). It asserts nothing: the figures
 * depend on the machine and its load, so each rate runs three times. Needs the renderer built (npm run build:renderer).
 * Run: npx tsx bench/logs-flood.ts
 */
import { floodLiveLogs } from '../test/support/console/logFlood';
import { startRealStack } from '../test/support/e2e/realStack';

const RATES = [1_000, 10_000, 20_000];
/** Each rate runs this many times, each on a fresh page: one figure on a loaded machine says little. */
const ROUNDS = 3;
const SECONDS = 10;

async function main(): Promise<void> {
  const stack = await startRealStack({ tempPrefix: 'ohtw-bench-logs-' });
  try {
    const unit = stack.sim.units[0]!;
    console.log(`lines/s  seconds  received  dropped  long tasks  longest task ms  longest frame gap ms`);
    for (const linesPerSecond of RATES.flatMap((rate) => Array<number>(ROUNDS).fill(rate))) {
      const { page } = await stack.newPage();
      await page.goto(`${stack.host.url}#/unit/${unit.name}/logs`);
      const result = await floodLiveLogs(page, unit.vehicle, { linesPerSecond, seconds: SECONDS });
      const { longTasks, longestTaskMs, longestFrameGapMs } = result.mainThread;
      console.log(
        [
          String(linesPerSecond).padStart(7),
          String(SECONDS).padStart(8),
          String(result.received).padStart(9),
          String(result.dropped).padStart(8),
          String(longTasks).padStart(11),
          longestTaskMs.toFixed(0).padStart(16),
          longestFrameGapMs.toFixed(0).padStart(21),
        ].join(' '),
      );
      await page.context().close();
    }
  } finally {
    await stack.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
