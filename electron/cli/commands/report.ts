import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { ReportRequest } from '../../../shared/domain/fleetReports';
import { intOption, parseCommandLine, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { languageOption } from './history';
import { openCore } from '../openCore';

export const REPORT_USAGE = [
  'ohtw report unit NAME [--since DATE] --format pdf|html|csv|json --out FILE [--lang en|vi]',
  'ohtw report site --since DATE [--until DATE] [--backup-days N] --format pdf|html|csv|json --out FILE [--lang en|vi]',
].join('\n');

const FORMATS = ['pdf', 'html', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** `ohtw report`: a unit's service record or the site report, as a PDF (headless Chromium), a page, CSV or JSON. */
export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {
    since: { type: 'string' },
    until: { type: 'string' },
    'backup-days': { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    lang: { type: 'string' },
  });
  const request = requestFrom(parsed);
  const format = (stringOption(parsed, 'format') ?? 'pdf') as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format is one of ${FORMATS.join(', ')}, not "${String(format)}"`);
  }
  const out = stringOption(parsed, 'out');
  if (out === undefined) {
    throw new UsageError('report needs --out FILE');
  }
  const language = languageOption(parsed, io.env);
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const target = resolve(io.cwd, out);
    if (format === 'pdf') {
      const pdf = await session.api.call('reports.pdf', { request, language });
      await writeFile(target, Buffer.from(pdf.contentBase64, 'base64'));
    } else {
      const file = await session.api.call('reports.render', { request, format, language });
      await writeFile(target, file.content, 'utf8');
    }
    io.out(`wrote ${target}`);
    return 0;
  } finally {
    await session.core.close();
  }
}

function requestFrom(parsed: Parsed): ReportRequest {
  const [what, ...rest] = parsed.positionals;
  const since = stringOption(parsed, 'since');
  if (what === 'unit') {
    const [name, ...extra] = rest;
    if (name === undefined || extra.length > 0) {
      throw new UsageError(`report unit needs exactly one unit NAME (${REPORT_USAGE.split('\n')[0] ?? ''})`);
    }
    return { report: 'unit', name, ...(since === undefined ? {} : { since }) };
  }
  if (what === 'site') {
    if (rest.length > 0) {
      throw new UsageError(`report site takes no names: ${rest.join(' ')}`);
    }
    if (since === undefined) {
      throw new UsageError('report site needs --since DATE');
    }
    const until = stringOption(parsed, 'until');
    return {
      report: 'site',
      since,
      ...(until === undefined ? {} : { until }),
      backupMaxAgeDays: intOption(parsed, 'backup-days', 1, 3650) ?? 7,
    };
  }
  throw new UsageError(`report is "report unit NAME" or "report site" (${REPORT_USAGE.replace('\n', '; ')})`);
}
