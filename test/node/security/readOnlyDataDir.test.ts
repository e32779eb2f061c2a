import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { defaultKeyFile } from '../../../electron/core/history/auditKey';
import { captureIo } from '../../support/cli/captureIo';
import { ensureTestUsers, NO_SUDO_USER } from '../../support/sshd/users';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * A data folder another account can read but not write (a read-only mount behaves the same): the read commands work,
 * anything that would be recorded is refused with the reason, and nothing in the folder changes.
 */
describe('a read-only data folder', () => {
  let parent: string;
  let dataDir: string;

  /** ohtw as the unprivileged test account, as a technician without write access would run it. */
  const asOtherUser = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        'runuser',
        ['-u', NO_SUDO_USER, '--', process.execPath, join(ROOT, 'bin', 'ohtw.js'), ...argv, '--data-dir', dataDir],
        { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 60_000 },
      );
      return { code: 0, out: stdout, err: stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, out: failed.stdout ?? '', err: failed.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    await ensureTestUsers();
    parent = await mkdtemp(join(tmpdir(), 'ohtw-readonly-'));
    await chmod(parent, 0o755);
    dataDir = join(parent, 'data');
    const io = captureIo({});
    for (const argv of [
      ['units', 'add', 'unit-7', '--host', '10.0.0.7', '--user', 'oht', '--key', '/k'],
      ['config', 'set', 'technician', 'Tran Thi B'],
    ]) {
      expect(await runCli([...argv, '--data-dir', dataDir], io)).toBe(0);
    }
    for (const name of await readdir(dataDir)) {
      await chmod(join(dataDir, name), 0o444);
    }
    await chmod(dataDir, 0o555);
    await chmod(defaultKeyFile(dataDir), 0o444);
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('lists units, shows history, lists procedures and verifies the audit log', async () => {
    const units = await asOtherUser('units', 'list', '--json');
    expect(units.code).toBe(0);
    expect((JSON.parse(units.out) as { name: string }[]).map((u) => u.name)).toEqual(['unit-7']);
    const history = await asOtherUser('history', 'unit-7');
    expect(history).toMatchObject({ code: 0, out: expect.stringContaining('Added the unit') });
    expect((await asOtherUser('procedures', 'list', '--category', 'emergency')).out).toContain('emergency.estop');
    const verify = await asOtherUser('audit', 'verify');
    expect(verify).toMatchObject({ code: 0, out: expect.stringContaining('audit log intact: 2 row(s) chained') });
  });

  it('refuses what would be recorded, saying the folder is read-only, and changes nothing', async () => {
    const before = await readdir(dataDir);
    const add = await asOtherUser('units', 'add', 'unit-8', '--host', '10.0.0.8', '--user', 'oht', '--key', '/k');
    expect(add.code).toBe(1);
    expect(add.err).toContain(`the data folder ${dataDir} is read-only`);
    expect(await readdir(dataDir)).toEqual(before);
  });
});
