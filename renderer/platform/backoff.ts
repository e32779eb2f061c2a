const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from 500 ms up to 30 s, with ±20 % jitter so that
 * several pages do not hammer a restarting host in lockstep. There is no retry cap: the page is useless without
 * its host, and at one attempt per 30 s the cost of waiting forever is nil.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(raw * jitter);
}
