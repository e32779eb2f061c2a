import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { DiagnosisChanges } from '../../../shared/domain/changes';
import { formatHistoryWithChanges } from '../format';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const HISTORY_USAGE = 'ohtw history NAME [--limit N] [--json]';

export async function historyCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { limit: { type: 'string' } });
  const [name, ...extra] = parsed.positionals;
  if (name === undefined || extra.length > 0) {
    throw new UsageError('history needs exactly one unit NAME');
  }
  const limit = intOption(parsed, 'limit', 1, 1000) ?? 100;
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const entries = await session.api.call('history.list', { name, limit });
    if (boolOption(parsed, 'json')) {
      io.out(JSON.stringify(entries, null, 2));
      return 0;
    }
    const changes = new Map<string, DiagnosisChanges>();
    for (const entry of entries.filter((e) => e.kind === 'diagnosis')) {
      changes.set(entry.id, await session.api.call('diagnostics.changes', { name, runId: entry.id }));
    }
    io.out(formatHistoryWithChanges(entries, changes));
    return 0;
  } finally {
    await session.core.close();
  }
}
