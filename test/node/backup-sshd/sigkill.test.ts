import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupStoreDir } from '../../../electron/core/backup/backupStoreFor';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { addSshdUnit, startCli, type Cli } from './cliHarness';
import { createBackendDatabase, createTree, standardTree } from './vehicleTree';

/**
 * `ohtw backup` killed with SIGKILL (no handler runs, no finally) at three moments of a backup of a unit holding a
 * 96 MiB file: while the first packs are being sealed, well into the stream, and the instant its commit writes the
 * index. Each time the store stays consistent: nothing is listed, `backups check` is clean (naming at most packs no
 * backup needs, which prune then removes), and the next backup succeeds and verifies.
 */
const BIN = fileURLToPath(new URL('../../../bin/ohtw.js', import.meta.url));
const PASSPHRASE = 'sigkill passphrase';
const LARGE = 96 * 1024 * 1024;

let sshd: SshdFixture;
let cli: Cli;
const run = (...argv: string[]): Promise<number> => cli.run(...argv);

async function count(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    n += entry.isDirectory() ? await count(join(dir, entry.name)) : 1;
  }
  return n;
}

/** Starts `ohtw backup unit-k` in its own process and SIGKILLs it once `ready` says the moment has come. */
async function killDuringBackup(ready: (store: string) => Promise<boolean>): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'backup', 'unit-k', '--full', '--data-dir', cli.dataDir], {
    env: { ...process.env, OHTW_PASSPHRASE: PASSPHRASE },
    stdio: 'ignore',
  });
  const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const store = backupStoreDir(cli.dataDir);
  let exited = false;
  void ended.then(() => {
    exited = true;
  });
  while (!exited && !(await ready(store))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(exited).toBe(false);
  child.kill('SIGKILL');
  await ended;
}

/** Nothing listed (or, killed after its commit, a whole backup), check clean, prune takes what the run left. */
async function expectConsistent(mayHaveCommitted: boolean): Promise<void> {
  expect(await run('backups', 'list', 'unit-k', '--json')).toBe(0);
  const listed = cli.json<{ id: string }[]>();
  if (!mayHaveCommitted) {
    expect(listed).toEqual([]);
  }
  for (const backup of listed) {
    expect(await run('backups', 'verify', backup.id)).toBe(0);
  }
  expect(await run('backups', 'check', '--json')).toBe(0);
  const checked = cli.json<{ ok: boolean; problems: unknown[]; unreferencedPacks: string[] }>();
  expect(checked.problems).toEqual([]);
  expect(await run('backups', 'prune', '--keep-daily', '30', '--json')).toBe(0);
  expect(await run('backups', 'check', '--json')).toBe(0);
  expect(cli.json<{ unreferencedPacks: string[] }>().unreferencedPacks).toEqual([]);
  expect(await count(join(backupStoreDir(cli.dataDir), 'tmp'))).toBe(0);
  expect(await run('backups', 'list', 'unit-k', '--json')).toBe(0);
  expect(cli.json()).toEqual(listed);
}

beforeAll(async () => {
  sshd = await startSshd();
  cli = await startCli('ohtw-sigkill-', { OHTW_PASSPHRASE: PASSPHRASE });
  const base = join(sshd.vehicleDir, 'kill-tree', 'unit-k');
  await createTree(base, standardTree('unit-k'));
  await createBackendDatabase(base);
  await mkdir(join(base, 'opt/oht50/data'), { recursive: true });
  // Random, so it neither compresses nor deduplicates: every byte goes to packs.
  await pipeline(
    Readable.from(
      (function* () {
        for (let left = LARGE; left > 0; left -= 1024 * 1024) {
          yield randomBytes(1024 * 1024);
        }
      })(),
    ),
    createWriteStream(join(base, 'opt/oht50/data/map-tiles.bin')),
  );
  await addSshdUnit(cli, sshd, 'unit-k', base);
}, 120_000);

afterAll(async () => {
  await sshd?.stop();
  await cli?.remove();
});

describe('a backup killed with SIGKILL', () => {
  it('while its first packs are sealed, deep in the stream, and as its commit writes the index: the store stays consistent', async () => {
    const packs = (store: string): Promise<number> => count(join(store, 'packs'));
    const moments: [boolean, (store: string) => Promise<boolean>][] = [
      [false, async (store) => (await packs(store)) >= 1],
      [false, async (store) => (await packs(store)) >= 3],
      // The index file appears at the start of the commit: the kill may land before or after the header.
      [true, async (store) => (await count(join(store, 'index'))) >= 1],
    ];
    for (const [mayHaveCommitted, ready] of moments) {
      await killDuringBackup(ready);
      await expectConsistent(mayHaveCommitted);
    }
    expect(await run('backup', 'unit-k', '--json')).toBe(0);
    const result = cli.json<{ status: string; backupId: string }>();
    expect(result.status).toBe('ok');
    expect(await run('backups', 'verify', result.backupId)).toBe(0);
    expect(await run('backups', 'check', '--read-data')).toBe(0);
  }, 300_000);
});
