import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { createFakeVehicle, type FakeVehicle } from './fakeVehicle';
import { fingerprintOf, generateKey } from './keys';
import { assertSshdRequirements } from './requirements';
import { freePort, startSshdProcess } from './sshdProcess';
import type { SshdProcess } from './sshdProcess';
import { authorizedKeysPath, authorizeKeys, ensureTestUsers, TEST_PASSWORD } from './users';

export type SshdFixture = {
  host: '127.0.0.1';
  port: number;
  hostKeyFingerprint: string;
  hostKeyAlgorithm: string;
  /** A non-root user with passwordless sudo. */
  user: string;
  /** Unencrypted ed25519 private key, authorized for both users. */
  clientKeyPath: string;
  encryptedClientKeyPath: string;
  clientKeyPassphrase: string;
  /** The password of both users (password authentication is enabled). */
  password: string;
  /** A second non-root user, same key and password, not in sudoers: `sudo -n` wants a password. */
  noSudoUser: string;
  /** Root of the fake vehicle: bin/ is first on the PATH of every session, units/ holds service state. */
  vehicleDir: string;
  /** Sets what the fake systemctl reports for `unit` (a bare name means .service); null makes it not-found. */
  setService(unit: string, props: Record<string, string> | null): Promise<void>;
  /**
   * The fake vehicle's journal, E-Stop input, install folder with its database and .env (lockBackendFolder makes
   * the backend folder 750 oht:oht as on a vehicle), clock and missing tools.
   */
  appendJournal: FakeVehicle['appendJournal'];
  estopGpioPath: string;
  setEstopPin: FakeVehicle['setEstopPin'];
  installDir: string;
  createDatabase: FakeVehicle['createDatabase'];
  envFilePath: string;
  lockBackendFolder: FakeVehicle['lockBackendFolder'];
  corruptDatabase: FakeVehicle['corruptDatabase'];
  setClockOffset: FakeVehicle['setClockOffset'];
  hideTool: FakeVehicle['hideTool'];
  restoreTool: FakeVehicle['restoreTool'];
  /** sshd's log so far. */
  log(): string;
  /** Resolves once `pattern` appears in the log written at or after `since` (a length of log()). */
  waitForLog(pattern: RegExp, since?: number): Promise<string>;
  stop(): Promise<void>;
};

function sshdConfig(o: { port: number; dir: string; id: string; users: string[]; vehicleBin: string }): string {
  return [
    `Port ${o.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(o.dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(o.dir, 'sshd.pid')}`,
    'UsePAM no',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    // One authorized_keys file per sshd: parallel test files share the accounts but not their keys.
    `AuthorizedKeysFile .ssh/authorized_keys.d/${o.id}`,
    'PermitRootLogin no',
    `AllowUsers ${o.users.join(' ')}`,
    'StrictModes yes',
    // Per sshd rather than ~/.ssh/environment, which parallel sshds would overwrite for each other.
    `SetEnv PATH=${o.vehicleBin}:/usr/local/bin:/usr/bin:/bin`,
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

/** Starts a real OpenSSH sshd on 127.0.0.1 with fresh keys, two test accounts and a fake vehicle. */
export async function startSshd(): Promise<SshdFixture> {
  assertSshdRequirements();
  const dir = await mkdtemp(join(tmpdir(), 'ohtw-sshd-'));
  const id = basename(dir);
  // The accounts must reach the fake vehicle inside; listing the directory stays root's business.
  await chmod(dir, 0o711);
  try {
    const { sudoUser, noSudoUser } = await ensureTestUsers();
    const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
    const clientKeyPath = join(dir, 'client_ed25519');
    const encryptedClientKeyPath = join(dir, 'client_ed25519_encrypted');
    const clientKeyPassphrase = `pass-${id}`;
    await generateKey(hostKeyPath);
    const plain = await generateKey(clientKeyPath);
    const encrypted = await generateKey(encryptedClientKeyPath, clientKeyPassphrase);
    const hostKey = await fingerprintOf(`${hostKeyPath}.pub`);
    for (const user of [sudoUser, noSudoUser]) {
      await authorizeKeys(user, id, [plain.publicKey, encrypted.publicKey]);
    }
    const vehicle = await createFakeVehicle(join(dir, 'vehicle'));
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

    let sshd: SshdProcess | undefined;
    let port = 0;
    for (let attempt = 1; sshd === undefined; attempt += 1) {
      port = await freePort();
      const configPath = join(dir, 'sshd_config');
      const users = [sudoUser.name, noSudoUser.name];
      await writeFile(configPath, sshdConfig({ port, dir, id, users, vehicleBin: join(vehicle.dir, 'bin') }));
      try {
        sshd = await startSshdProcess(configPath);
      } catch (error) {
        // Another process took the port between freePort() and sshd's bind: try another one.
        if (attempt >= 3 || !String(error).includes('Address already in use')) {
          throw error;
        }
      }
    }
    const running = sshd;
    return {
      host: '127.0.0.1',
      port,
      hostKeyFingerprint: hostKey.fingerprint,
      hostKeyAlgorithm: hostKey.algorithm,
      user: sudoUser.name,
      clientKeyPath,
      encryptedClientKeyPath,
      clientKeyPassphrase,
      password: TEST_PASSWORD,
      noSudoUser: noSudoUser.name,
      vehicleDir: vehicle.dir,
      setService: vehicle.setService,
      appendJournal: vehicle.appendJournal,
      estopGpioPath: vehicle.estopGpioPath,
      setEstopPin: vehicle.setEstopPin,
      installDir: vehicle.installDir,
      createDatabase: vehicle.createDatabase,
      envFilePath: vehicle.envFilePath,
      lockBackendFolder: vehicle.lockBackendFolder,
      corruptDatabase: vehicle.corruptDatabase,
      setClockOffset: vehicle.setClockOffset,
      hideTool: vehicle.hideTool,
      restoreTool: vehicle.restoreTool,
      log: running.log,
      waitForLog: running.waitForLog,
      async stop() {
        await running.stop();
        for (const user of [sudoUser, noSudoUser]) {
          await rm(authorizedKeysPath(user, id), { force: true });
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
