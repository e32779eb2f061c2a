import { readFile } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import { putVerified, type ReplicaTarget } from '../replica/ReplicaTarget';
import type { ReplicaView } from '../replica/replicaView';
import type { StoreContext } from './storeContext';
import { isEnoent } from './storeFs';

async function readLocal(ctx: StoreContext, name: string): Promise<Buffer | null> {
  try {
    return await readFile(ctx.layout.p(name));
  } catch (error) {
    if (isEnoent(error)) {
      return null;
    }
    throw error;
  }
}

/**
 * A store and its replica share one key-check record (key.json: the scrypt parameters, the salt and a check value,
 * never the key): the same passphrase then opens the secret chunks on every laptop of the team. The side without a
 * record takes the other's; two different records are refused, since a chunk sealed under one key cannot be read
 * under the other. store.json goes to a new target as it is (its chunker parameters keep deduplication alike).
 */
export async function agreeOnKey(ctx: StoreContext, view: ReplicaView, target: ReplicaTarget): Promise<void> {
  const localKey = await readLocal(ctx, 'key.json');
  if (view.storeJson === null) {
    const localConfig = await readLocal(ctx, 'store.json');
    if (localConfig !== null) {
      await putVerified(target, 'store.json', localConfig);
    }
  }
  if (view.keyJson === null) {
    if (localKey !== null) {
      await putVerified(target, 'key.json', localKey);
    }
    return;
  }
  if (localKey === null) {
    await ctx.layout.createExclusive('key.json', view.keyJson.toString('utf8'));
    const now = await readLocal(ctx, 'key.json');
    if (now !== null && now.equals(view.keyJson)) {
      ctx.logger.info('backup store key record taken from the replica', { target: target.description });
      return;
    }
  } else if (localKey.equals(view.keyJson)) {
    return;
  }
  throw new AppError(
    'CONFLICT',
    `${target.description} holds backups sealed under another store key than this workstation's (its key.json differs). ` +
      'A team shares one store: pull into a fresh data folder, or use a target of its own for this store',
    { details: { target: target.description } },
  );
}
