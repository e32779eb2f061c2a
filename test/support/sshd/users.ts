import { chown, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { run } from './run';

export const SUDO_USER = 'ohtw-tech';
export const NO_SUDO_USER = 'ohtw-nosudo';
/** The vehicle's service account: owns the backend folder (750 oht:oht), never logs in. */
export const SERVICE_USER = 'oht';
/** Shared by every sshd the harness starts: parallel test files must not change it under each other. */
export const TEST_PASSWORD = 'oht50-field-test';
const SUDOERS_FILE = '/etc/sudoers.d/ohtw-test-sshd';

export type Account = { name: string; uid: number; gid: number; home: string };

async function account(name: string): Promise<Account> {
  const fields = (await run('getent', ['passwd', name])).trim().split(':');
  const [uid, gid, home] = [fields[2], fields[3], fields[5]];
  if (uid === undefined || gid === undefined || home === undefined) {
    throw new Error(`getent passwd ${name} returned an unexpected line`);
  }
  return { name, uid: Number(uid), gid: Number(gid), home };
}

/** Creates the accounts once and refreshes their password and permissions. */
export async function ensureTestUsers(): Promise<{ sudoUser: Account; noSudoUser: Account }> {
  const hash = (await run('openssl', ['passwd', '-6', '-stdin'], `${TEST_PASSWORD}\n`)).trim();
  const script = fileURLToPath(new URL('./ensureUsers.sh', import.meta.url));
  const lock = join(tmpdir(), 'ohtw-sshd-users.lock');
  await run('flock', ['-w', '60', lock, 'sh', script, SUDO_USER, NO_SUDO_USER, hash, SUDOERS_FILE]);
  return { sudoUser: await account(SUDO_USER), noSudoUser: await account(NO_SUDO_USER) };
}

/** Each sshd reads its own authorized_keys file, so parallel sshds never overwrite each other's keys. */
export function authorizedKeysPath(user: Account, sshdId: string): string {
  return join(user.home, '.ssh', 'authorized_keys.d', sshdId);
}

export async function authorizeKeys(user: Account, sshdId: string, publicKeys: readonly string[]): Promise<void> {
  const path = authorizedKeysPath(user, sshdId);
  await writeFile(path, `${publicKeys.map((key) => key.trim()).join('\n')}\n`, { mode: 0o600 });
  await chown(path, user.uid, user.gid);
}
