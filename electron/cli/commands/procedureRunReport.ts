import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { AppError } from '../../../shared/errors/AppError';
import type { PdfPrinter } from '../../core/procedures/report/report';
import { parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';
import { languageOption } from './history';

export const PROCEDURE_REPORT_USAGE =
  'ohtw procedures report RUN_ID --format pdf|html|csv|json --out FILE [--lang en|vi]';

const FORMATS = ['pdf', 'html', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

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
export async function procedureReportCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    lang: { type: 'string' },
  });
  const language = languageOption(parsed, io.env);
  const [runId, ...extra] = parsed.positionals;
  if (runId === undefined || extra.length > 0) {
    throw new UsageError(`procedures report needs exactly one RUN_ID (${PROCEDURE_REPORT_USAGE})`);
  }
  const format = (stringOption(parsed, 'format') ?? 'pdf') as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format is one of ${FORMATS.join(', ')}, not "${String(format)}"`);
  }
  const out = stringOption(parsed, 'out');
  if (out === undefined) {
    throw new UsageError('procedures report needs --out FILE');
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const report = await session.api.call('procedures.report', {
      runId,
      format: format === 'pdf' ? 'html' : format,
      language,
    });
    const target = resolve(io.cwd, out);
    if (format === 'pdf') {
      const printer = chromiumPdfPrinter(io.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
      await writeFile(target, await printer.printHtmlToPdf(report.content));
    } else {
      await writeFile(target, report.content, 'utf8');
    }
    io.out(`wrote ${target}`);
    return 0;
  } finally {
    await session.core.close();
  }
}
