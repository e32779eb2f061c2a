import { createHash, timingSafeEqual } from 'node:crypto';

import type { AuthContext } from 'ssh2';

import type { SimKey } from './simKeys';

export type SimCredentials = { user: string; password: string; clientKey: SimKey };

const METHODS: ('publickey' | 'password')[] = ['publickey', 'password'];

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the password.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * One authentication attempt: the configured user only, with the fleet's client key (its signature checked)
 * or the fleet's password. Returns what happened, for the debug log.
 */
export function authenticate(ctx: AuthContext, credentials: SimCredentials): 'accepted' | 'key-ok' | 'rejected' {
  if (ctx.username !== credentials.user) {
    ctx.reject(METHODS);
    return 'rejected';
  }
  if (ctx.method === 'password' && sameSecret(ctx.password, credentials.password)) {
    ctx.accept();
    return 'accepted';
  }
  if (ctx.method === 'publickey') {
    const { clientKey } = credentials;
    const sameKey =
      ctx.key.algo === clientKey.algorithm &&
      ctx.key.data.length === clientKey.publicBlob.length &&
      timingSafeEqual(ctx.key.data, clientKey.publicBlob);
    if (!sameKey) {
      ctx.reject(METHODS);
      return 'rejected';
    }
    if (ctx.signature === undefined) {
      // The client only asks whether this key would do; ssh2 answers PK_OK, which authenticates nothing.
      ctx.accept();
      return 'key-ok';
    }
    if (ctx.blob !== undefined && clientKey.parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) {
      ctx.accept();
      return 'accepted';
    }
  }
  ctx.reject(METHODS);
  return 'rejected';
}
