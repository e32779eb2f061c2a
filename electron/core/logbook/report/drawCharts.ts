import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import type { ChartSpec } from '../../../../shared/domain/reportCharts';
import { AppError } from '../../../../shared/errors/AppError';

const TIMEOUT_MS = 60_000;

/**
 * The worker's file: beside this module when the core runs from its sources; beside main.cjs in the desktop app's
 * bundle (scripts/build-electron.mjs writes it there), where import.meta.url is not defined.
 */
function workerFile(): URL | string {
  const here = (import.meta as { url?: string }).url;
  return typeof here === 'string' ? new URL('./chartWorker.mjs', here) : join(__dirname, 'chartWorker.mjs');
}

/**
 * The charts as static SVG (with their legends) for a printable report: recharts draws them in a worker thread
 * that has a DOM of its own (see chartWorker.mjs). The page embeds the markup as it is, so no script runs when it
 * is printed.
 */
export async function drawCharts(specs: readonly ChartSpec[]): Promise<string[]> {
  if (specs.length === 0) {
    return [];
  }
  const worker = new Worker(workerFile(), { workerData: { specs } });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AppError('COMMAND_FAILED', `drawing the report's charts took over ${TIMEOUT_MS / 1000} s`)),
        TIMEOUT_MS,
      );
      worker.once('message', (message: { ok: true; markup: string[] } | { ok: false; message: string }) => {
        clearTimeout(timer);
        if (message.ok) {
          resolve(message.markup);
        } else {
          reject(new AppError('COMMAND_FAILED', `the report's charts could not be drawn: ${message.message}`));
        }
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(new AppError('COMMAND_FAILED', `the report's charts could not be drawn: ${error.message}`));
      });
    });
  } finally {
    await worker.terminate();
  }
}
