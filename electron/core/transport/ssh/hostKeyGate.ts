import { AppError, isAppError } from '../../../../shared/errors/AppError';
import { assertNever } from '../../../../shared/util/assertNever';
import { shellQuote } from '../transport';
import type { HostKeyVerdict, HostKeyVerifier, PresentedHostKey } from '../transport';
import { algorithmOfKeyBlob, sha256Fingerprint } from './fingerprint';

export type HostKeyOutcome =
  { kind: 'verdict'; key: PresentedHostKey; verdict: HostKeyVerdict } | { kind: 'failed'; error: unknown };

/**
 * Wraps a HostKeyVerifier as ssh2's synchronous hostVerifier. ssh2 calls it during key exchange, before the
 * userauth service is even requested, so answering false guarantees no credential leaves the workstation.
 * The outcome is kept so that the handshake error ssh2 reports can be turned into the precise reason.
 */
export function createHostKeyGate(verify: HostKeyVerifier): {
  hostVerifier: (keyBlob: Buffer) => boolean;
  outcome: () => HostKeyOutcome | undefined;
} {
  let outcome: HostKeyOutcome | undefined;
  return {
    hostVerifier(keyBlob) {
      try {
        const key = { algorithm: algorithmOfKeyBlob(keyBlob), fingerprint: sha256Fingerprint(keyBlob) };
        const verdict = verify(key);
        outcome = { kind: 'verdict', key, verdict };
        return verdict.kind === 'accept';
      } catch (error) {
        outcome = { kind: 'failed', error };
        return false;
      }
    },
    outcome: () => outcome,
  };
}

/** The error for a refused host key, or undefined when the key was accepted. */
export function hostKeyRefusal(label: string, outcome: HostKeyOutcome): AppError | undefined {
  if (outcome.kind === 'failed') {
    if (isAppError(outcome.error)) {
      return outcome.error;
    }
    const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    return new AppError('INTERNAL', `${label}: the host key check failed (${reason}); no credentials were sent`, {
      cause: outcome.error,
    });
  }
  const { key, verdict } = outcome;
  switch (verdict.kind) {
    case 'accept':
      return undefined;
    case 'unknown':
      return new AppError(
        'HOST_KEY_UNKNOWN',
        `${label}: unknown host key ${key.fingerprint} (${key.algorithm}). Check it against the vehicle and trust it: ` +
          `ohtw units trust ${shellQuote(label)} --fingerprint ${key.fingerprint}`,
        { details: { fingerprint: key.fingerprint, algorithm: key.algorithm } },
      );
    case 'mismatch':
      return new AppError(
        'HOST_KEY_MISMATCH',
        `${label}: host key changed: the vehicle presented ${key.fingerprint} (${key.algorithm}) but ` +
          `${verdict.pinnedFingerprint} is pinned. No credentials were sent. Verify the key on the vehicle before pinning it again`,
        {
          details: {
            fingerprint: key.fingerprint,
            pinnedFingerprint: verdict.pinnedFingerprint,
            algorithm: key.algorithm,
          },
        },
      );
    default:
      return assertNever(verdict, 'host key verdict');
  }
}
