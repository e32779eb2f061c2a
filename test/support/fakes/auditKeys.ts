import { AuditKeyring, givenKeySource } from '../../../electron/core/history/auditKey';
import type { KeyedAuditOptions } from '../../../electron/core/history/KeyedAuditLog';

/** A fixed audit key for repositories that tests open directly (the faces find theirs in a keychain or key file). */
export const TEST_AUDIT_KEY = Buffer.alloc(32, 7);

export function testAudit(headFile: string | null = null): KeyedAuditOptions {
  return { keys: new AuditKeyring([givenKeySource(TEST_AUDIT_KEY, 'the test key')]), headFile };
}
