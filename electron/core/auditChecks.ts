import type { CallOutput } from '../../shared/ipc/contract';
import type { CoreHandlers } from './api/CoreApi';
import type { AuditCheckResult } from './feature';

/**
 * `audit verify` over the whole history: the chain and the signed runs first (the procedures feature's check), then
 * each feature that keeps content beside the chain (terminal recordings, saved log views) hashes it again and
 * compares it with its audit entry. The first problem found is the answer.
 */
export function composeAuditVerify(
  base: CoreHandlers['audit.verify'],
  checks: readonly (() => AuditCheckResult)[],
): CoreHandlers['audit.verify'] {
  return async (input, context): Promise<CallOutput<'audit.verify'>> => {
    const verified = await base(input, context);
    if (!verified.ok) {
      return verified;
    }
    let recordingsChecked = 0;
    for (const check of checks) {
      const result = check();
      recordingsChecked += result.checked;
      if (result.firstBroken !== null) {
        return {
          ...verified,
          ok: false,
          recordingsChecked,
          firstBroken: { ...result.firstBroken, runId: null },
        };
      }
    }
    return { ...verified, recordingsChecked };
  };
}
