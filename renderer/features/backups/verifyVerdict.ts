import type { BackupVerify } from '../../../shared/domain/backup';

/**
 * What a verify says about a backup: sound; damaged (a chunk or file fails its check); or locked (every plain file
 * checks out, but secret files could not be read without the store passphrase, so the backup cannot be trusted or
 * restored from this workstation yet). A locked backup is not a damaged one and must not be called that.
 */
export type VerifyVerdict = 'ok' | 'damaged' | 'locked';

export function verifyVerdict(result: BackupVerify): VerifyVerdict {
  if (result.ok) {
    return 'ok';
  }
  const isLocked =
    result.problems.length > 0 && result.problems.every((problem) => problem.problem === 'passphrase-needed');
  return isLocked ? 'locked' : 'damaged';
}
