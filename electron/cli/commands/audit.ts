import { boolOption, parseCommandLine, stringOption } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { AuditVerificationView } from '../../../shared/ipc/contracts/procedureRuns';
import type { CliIo } from '../io';
import { openCore, type CliSession } from '../openCore';

type AuditChainView = AuditVerificationView['chain'];

export const AUDIT_USAGE = "ohtw audit verify [--team] [--json]   (--team: every laptop's chain on the team server)";

/**
 * `ohtw audit verify`: the keyed audit chain row by row (HMAC-SHA-256 under a key kept outside the database) and
 * against the head file, then every signed procedure run against the hash its sign-off put in the chain. Exit 0 when
 * intact; 1 naming the first broken row (and the run, for a signed run whose stored rows were changed), or when the
 * chain's key is not available here.
 */
export async function auditCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { team: { type: 'boolean' } });
  const [sub, ...extra] = parsed.positionals;
  if (sub !== 'verify' || extra.length > 0) {
    throw new UsageError(`audit takes one subcommand: verify (${AUDIT_USAGE})`);
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    if (boolOption(parsed, 'team')) {
      return await verifyTeam(session.api, io, boolOption(parsed, 'json'));
    }
    const result = await session.api.call('audit.verify', {});
    if (boolOption(parsed, 'json')) {
      io.out(JSON.stringify(result, null, 2));
    } else if (result.ok) {
      io.out(
        [
          `audit log intact: ${result.checked} row(s) chained, ${result.signedRunsChecked} signed run(s) match their sign-off, ` +
            `${result.recordingsChecked ?? 0} recording(s) and log view(s) match their entries`,
          ...chainLines(result.chain),
        ].join('\n'),
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

/**
 * Every laptop's chain as the team server holds it: this laptop's own row for row against its keyed history, a
 * colleague's by linkage, by the heads it pushed and against the copy pulled here (see the README for what that proves).
 */
async function verifyTeam(api: CliSession['api'], io: CliIo, json: boolean): Promise<number> {
  const result = await api.call('team.verifyAudit', {});
  if (json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    const lines = result.chains.map((chain) => {
      const who = `${chain.device}${chain.mine ? ' (this laptop)' : ''}`;
      const proof = chain.proof === 'keyed' ? 'keyed, against this laptop' : 'linkage, heads and the copy pulled here';
      return chain.ok
        ? `${who}: intact, ${chain.rows} row(s) (${proof})`
        : `${who}: BROKEN at row ${chain.problem?.seq ?? '?'}: ${chain.problem?.reason ?? ''}`;
    });
    const text = [
      `team audit chains: ${result.ok ? 'all intact' : 'BROKEN'} (${result.chains.length} laptop(s))`,
      ...lines,
    ].join('\n');
    if (result.ok) {
      io.out(text);
    } else {
      io.err(text);
    }
  }
  return result.ok ? 0 : EXIT_FAILURE;
}

/** What the verdict rests on: the key, the rows before the chain was keyed, the head outside the database. */
function chainLines(chain: AuditChainView): string[] {
  if (!chain.keyed) {
    return ['nothing is recorded yet: the chain is keyed at its first row'];
  }
  return [
    `keyed with ${chain.keySource ?? '?'} (HMAC-SHA-256) since ${chain.anchoredAt ?? '?'}`,
    ...(chain.legacyRows > 0
      ? [`${chain.legacyRows} earlier row(s) were written without a key and are anchored by the first keyed row`]
      : []),
    ...(chain.head
      ? [
          `head: row ${chain.head.rows}, ${chain.head.hash}${chain.headBehind > 0 ? ` (+${chain.headBehind} keyed row(s) after it)` : ''}`,
        ]
      : []),
  ];
}
