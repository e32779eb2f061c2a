import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { userProfilePath } from '../../../electron/core/backup/profile/backupProfiles';
import { captureIo, type CapturedIo } from '../../support/cli/captureIo';
import type { SshdFixture } from '../../support/sshd/startSshd';
import { createBackendDatabase, createTree, profileUnder, standardTree } from './vehicleTree';

/** `ohtw` as a technician types it, on a data folder of its own. */
export type Cli = {
  readonly dataDir: string;
  readonly io: CapturedIo;
  /** Runs `ohtw <argv> --data-dir <dataDir>` with fresh output; its exit code. */
  run(...argv: string[]): Promise<number>;
  /** The last run's standard output, parsed. */
  json<T>(): T;
  remove(): Promise<void>;
};

export async function startCli(prefix: string, env: Record<string, string>): Promise<Cli> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const io = captureIo(env);
  return {
    dataDir,
    io,
    async run(...argv) {
      io.reset();
      return runCli([...argv, '--data-dir', dataDir], io);
    },
    json: <T>() => JSON.parse(io.stdout()) as T,
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** Adds and trusts the sshd's vehicle as `name`, its profile's roots under `base` (the unit's own profile file). */
export async function addSshdUnit(cli: Cli, sshd: SshdFixture, name: string, base: string): Promise<void> {
  const add = ['units', 'add', name, '--host', sshd.host, '--port', String(sshd.port), '--user', sshd.user];
  expect(await cli.run(...add, '--key', sshd.clientKeyPath)).toBe(0);
  expect(await cli.run('units', 'trust', name, '--fingerprint', sshd.hostKeyFingerprint)).toBe(0);
  await mkdir(join(cli.dataDir, 'backup-profiles'), { recursive: true });
  await writeFile(userProfilePath(cli.dataDir, name), JSON.stringify(await profileUnder(base), null, 2));
}

/** Units with the standard tree and the backend database each, at `<vehicle>/<folder>/<name>`, added and trusted. */
export async function addTreeUnits(cli: Cli, sshd: SshdFixture, folder: string, names: string[]): Promise<void> {
  for (const name of names) {
    const base = join(sshd.vehicleDir, folder, name);
    await createTree(base, standardTree(name));
    await createBackendDatabase(base);
    await addSshdUnit(cli, sshd, name, base);
  }
}
