import { boolOption, parseCommandLine, stringOption } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const AUDIT_USAGE = 'ohtw audit verify [--json]';

/**
 * `ohtw audit verify`: the audit hash chain row by row, then every signed procedure run against the hash its
 * sign-off put in the chain. Exit 0 when intact; 1 naming the first broken row (and the run, for a signed run whose
 * stored rows were changed).
 */
export async function auditCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {});
  const [sub, ...extra] = parsed.positionals;
  if (sub !== 'verify' || extra.length > 0) {
    throw new UsageError(`audit takes one subcommand: verify (${AUDIT_USAGE})`);
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const result = await session.api.call('audit.verify', {});
    if (boolOption(parsed, 'json')) {
      io.out(JSON.stringify(result, null, 2));
    } else if (result.ok) {
      io.out(
        `audit log intact: ${result.checked} row(s) chained, ${result.signedRunsChecked} signed run(s) match their sign-off, ` +
          `${result.recordingsChecked ?? 0} recording(s) and log view(s) match their entries`,
      );
    } else {
      const broken = result.firstBroken;
      io.err(
        `audit log BROKEN at row ${broken?.seq ?? '?'}${broken?.runId ? ` (run ${broken.runId})` : ''}: ${broken?.reason ?? ''}` +
          `\n${result.checked} row(s) before it are intact`,
      );
    }
    return result.ok ? 0 : EXIT_FAILURE;
  } finally {
    await session.core.close();
  }
}
