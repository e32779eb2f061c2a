import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { AppError } from '../../shared/errors/AppError';
import type { PdfPrinter } from '../core/ports/PdfPrinter';

/**
 * Headless Chromium's print to PDF, from the CLI side (the core never starts a browser; the desktop app fills the same
 * PdfPrinter with Electron's printToPDF). The page is a local file with a CSP that allows no scripts or requests.
 */
export function chromiumPdfPrinter(binary: string, timeoutMs = 60_000): PdfPrinter {
  return {
    async printHtmlToPdf(html) {
      const dir = await mkdtemp(join(tmpdir(), 'ohtw-report-'));
      try {
        const page = join(dir, 'report.html');
        const pdf = join(dir, 'report.pdf');
        await writeFile(page, html, 'utf8');
        await runChromium(
          binary,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--user-data-dir=${join(dir, 'profile')}`,
            '--no-pdf-header-footer',
            `--print-to-pdf=${pdf}`,
            pathToFileURL(page).href,
          ],
          timeoutMs,
        );
        return await readFile(pdf);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

function runChromium(binary: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString('utf8')}`.slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(new AppError('COMMAND_FAILED', `cannot start Chromium (${binary}) to print the PDF: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        done();
      } else {
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        fail(
          new AppError(
            'COMMAND_FAILED',
            `Chromium could not print the PDF (${signal ?? `exit ${code ?? '?'}`})${last ? `: ${last}` : ''}`,
          ),
        );
      }
    });
  });
}

/** `ohtw procedures report`: a run or checklist as a PDF service report, a printable page, CSV or JSON. */
