import { exitCodeForLevel, worstLevel } from '../../../shared/domain/health';
import { boolOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import { formatReport } from '../format';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const DIAGNOSE_USAGE = 'ohtw diagnose NAME… | --all [--json]   (exit 0 OK, 1 WARN, 2 ERROR, 3 STALE)';

export async function diagnoseCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { all: { type: 'boolean' } });
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
    const reports = await session.api.call('diagnostics.run', { names });
    if (boolOption(parsed, 'json')) {
      // One unit asked for by name gives an object; several (or --all) give an array.
      const payload = !all && names.length === 1 ? reports[0] : reports;
      io.out(JSON.stringify(payload, null, 2));
    } else {
      io.out(reports.map(formatReport).join('\n\n'));
    }
    return exitCodeForLevel(worstLevel(reports.map((r) => r.level)));
  } finally {
    await session.core.close();
  }
}
