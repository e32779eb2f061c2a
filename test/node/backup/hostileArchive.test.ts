import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { BackupProfile } from '../../../shared/domain/backup';
import { backupUnit } from '../../../electron/core/backup/remote/backupUnit';
import { staticKeyProvider } from '../../../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../../../electron/core/backup/store/openBackupStore';
import type { BackupStore } from '../../../electron/core/backup/store/BackupStore';
import { systemClock } from '../../../electron/core/ports/Clock';
import { silentLogger } from '../../../electron/core/ports/Logger';
import type { CommandChannel, StreamChannel, StreamingExec } from '../../../electron/core/transport/transport';

let dir: string;
let store: BackupStore;

const PROFILE: BackupProfile = {
  format: 1,
  id: 'hostile-test',
  version: 1,
  description: '',
  roots: [{ id: 'etc', path: '/etc/oht50', description: '', enabled: true, services: [], exclude: [] }],
  databases: [],
  secrets: [],
};

/** A "unit" whose backup command answers with whatever GNU tar makes of `args` run in `cwd`. */
function unitAnswering(cwd: string, args: string[]): CommandChannel & StreamChannel {
  return {
    exec: () => Promise.reject(new Error('no listing expected')),
    execStream(): StreamingExec {
      const child = spawn('tar', ['-c', '-f', '-', ...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
      const done = new Promise<{ exitCode: number | null; signal: null; stderr: string; durationMs: number }>(
        (resolve) => child.on('close', (code) => resolve({ exitCode: code, signal: null, stderr: '', durationMs: 1 })),
      );
      return { stdout: child.stdout, stdin: new PassThrough(), done, cancel: () => child.kill() };
    },
  };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ohtw-hostile-'));
  store = await openBackupStore({
    dir: join(dir, 'store'),
    clock: systemClock,
    logger: silentLogger,
    keyProvider: staticKeyProvider(null),
    kdfCost: 10,
  });
  await mkdir(join(dir, 'tree/etc/oht50'), { recursive: true });
  await writeFile(join(dir, 'tree/etc/oht50/modules.yaml'), 'modules: []\n');
  await writeFile(join(dir, 'tree/passwd'), 'root:x:0:0\n');
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an archive from the unit that names what the profile did not ask for', () => {
  // Built when each test runs: the temporary folder exists only then.
  const cases: [string, () => string[]][] = [
    ['a member outside the roots', () => ['-C', 'tree', 'etc/oht50', 'passwd']],
    [
      'a member climbing out with ..',
      () => ['-C', 'tree', '--transform', 's,^passwd$,etc/oht50/../../passwd,', 'etc/oht50', 'passwd'],
    ],
    ['an absolute member name', () => ['-P', '-C', 'tree', 'etc/oht50', `${dir}/tree/passwd`]],
  ];
  for (const [what, args] of cases) {
    it(`refuses ${what} and lists no backup`, async () => {
      await expect(
        backupUnit({ unit: 'unit-h', connection: unitAnswering(dir, args()), profile: PROFILE, store }),
      ).rejects.toMatchObject({
        code: 'UNSAFE_PATH',
        message: expect.stringMatching(/^unit-h: the unit sent .+, outside the profile$/),
      });
      expect(await store.list()).toEqual([]);
    });
  }

  it('takes a well-formed answer (the same fake, asked properly)', async () => {
    const outcome = await backupUnit({
      unit: 'unit-h',
      connection: unitAnswering(dir, ['-C', 'tree', 'etc/oht50']),
      profile: PROFILE,
      store,
    });
    expect(outcome.summary.files).toBe(2);
    expect((await store.list()).map((b) => b.id)).toEqual([outcome.summary.id]);
  });
});
