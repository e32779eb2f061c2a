import { readFile } from 'node:fs/promises';

import { run } from './run';

/** Generates an ed25519 key pair at `path` (and `path`.pub); an empty passphrase leaves it unencrypted. */
export async function generateKey(path: string, passphrase = ''): Promise<{ publicKey: string }> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'ohtw-test', '-f', path]);
  return { publicKey: await readFile(`${path}.pub`, 'utf8') };
}

/** What `ssh-keygen -lf` prints for a public key: the fingerprint technicians compare against. */
export async function fingerprintOf(publicKeyPath: string): Promise<{ fingerprint: string; algorithm: string }> {
  const fingerprint = (await run('ssh-keygen', ['-lf', publicKeyPath])).split(' ')[1];
  const algorithm = (await readFile(publicKeyPath, 'utf8')).split(' ')[0];
  if (fingerprint?.startsWith('SHA256:') !== true || algorithm === undefined) {
    throw new Error(`cannot read the fingerprint of ${publicKeyPath}`);
  }
  return { fingerprint, algorithm };
}
