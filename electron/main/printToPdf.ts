import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { PdfPrinter } from '../core/ports/PdfPrinter';

/** The part of an Electron BrowserWindow the printer uses, so tests pass a fake. */
export type PrintWindow = {
  loadFile(path: string): Promise<void>;
  webContents: { printToPDF(options: { printBackground: boolean; pageSize: 'A4' }): Promise<Uint8Array> };
  destroy(): void;
};

/**
 * Reports printed to PDF with Electron's own printToPDF: the report is written to a private temporary file (large
 * embedded photos do not fit a data: URL) and loaded into a hidden window that runs no scripts, then both go away.
 */
export function electronPdfPrinter(openHiddenWindow: () => PrintWindow): PdfPrinter {
  return {
    async printHtmlToPdf(html) {
      const dir = await mkdtemp(join(tmpdir(), 'ohtw-print-'));
      const window = openHiddenWindow();
      try {
        const page = join(dir, 'report.html');
        await writeFile(page, html, { encoding: 'utf8', mode: 0o600 });
        await window.loadFile(page);
        return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
      } finally {
        window.destroy();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
