import { exitCodeForLevel, worstLevel, type DiagnosisReport } from '../../../shared/domain/health';
import type { LogbookLanguage } from '../../../shared/domain/logbook';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import { formatChanges, formatReport } from '../format';
import type { CliIo } from '../io';
import { openCore } from '../openCore';
import { languageOption } from './history';

export const DIAGNOSE_USAGE =
  'ohtw diagnose NAME… | --all [--parallel N] [--lang en|vi] [--json]   (N units at once, 8 unless told; exit 0 OK, 1 WARN, 2 ERROR, 3 STALE)';

export async function diagnoseCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {
    all: { type: 'boolean' },
    parallel: { type: 'string' },
    lang: { type: 'string' },
  });
  const language = languageOption(parsed, io.env);
  const parallel = intOption(parsed, 'parallel', 1, 64);
  const all = boolOption(parsed, 'all');
  if (all === parsed.positionals.length > 0) {
    throw new UsageError('diagnose needs unit names or --all (not both)');
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const names = all ? (await session.api.call('units.list', {})).map((u) => u.name) : parsed.positionals;
    if (names.length === 0) {
      io.err('ohtw: no units to diagnose; add one with: ohtw units add');
      return exitCodeForLevel('STALE');
    }
    const reports = await session.api.call('diagnostics.run', {
      names,
      ...(parallel === undefined ? {} : { parallel }),
    });
    if (boolOption(parsed, 'json')) {
      // One unit asked for by name gives an object; several (or --all) give an array.
      const payload = !all && names.length === 1 ? reports[0] : reports;
      io.out(JSON.stringify(payload, null, 2));
    } else {
      const blocks = [];
      for (const report of reports) {
        const since = await changesSince(session.api, report, io, language);
        const text = formatReport(report, language);
        blocks.push(since ? `${text}\n${since}` : text);
      }
      io.out(blocks.join('\n\n'));
    }
    return exitCodeForLevel(worstLevel(reports.map((r) => r.level)));
  } finally {
    await session.core.close();
  }
}

/** What changed since the unit's previous sweep, as lines under its report; '' when nothing did. */
async function changesSince(
  api: WorkstationApi,
  report: DiagnosisReport,
  io: CliIo,
  language: LogbookLanguage,
): Promise<string> {
  try {
    const changes = await api.call('diagnostics.changes', { name: report.unit, runId: report.runId });
    const previous = changes.previousRunId
      ? await api.call('diagnostics.get', { runId: changes.previousRunId })
      : undefined;
    return formatChanges(changes, previous?.startedAt, language);
  } catch (error) {
    // The report itself is what was asked for; the comparison is extra and never turns a result into a failure.
    io.err(`ohtw: ${report.unit}: could not compare with the previous sweep: ${(error as Error).message}`);
    return '';
  }
}
