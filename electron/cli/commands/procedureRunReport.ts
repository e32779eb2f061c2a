import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { chromiumPdfPrinter } from '../chromiumPdfPrinter';
import { parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';
import { languageOption } from './history';

/** The printer lives beside the CLI's core; tests reach it from here as well. */
export { chromiumPdfPrinter };

export const PROCEDURE_REPORT_USAGE =
  'ohtw procedures report RUN_ID --format pdf|html|csv|json --out FILE [--lang en|vi]';

const FORMATS = ['pdf', 'html', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

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
