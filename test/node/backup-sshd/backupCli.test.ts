import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { backupStoreDir } from '../../../electron/core/backup/backupStoreFor';
import { userProfilePath } from '../../../electron/core/backup/profile/backupProfiles';
import { captureIo, type CapturedIo } from '../../support/cli/captureIo';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { createBackendDatabase, createTree, profileUnder, standardTree } from './vehicleTree';

/** ohtw backup and ohtw backups as a technician types them, against a real sshd. */
describe('ohtw backup / backups against a real sshd', () => {
  let sshd: SshdFixture;
  let dataDir: string;
  let io: CapturedIo;
  const env: Record<string, string> = { OHTW_PASSPHRASE: 'field passphrase' };

  const run = async (...argv: string[]): Promise<number> => {
    io.reset();
    return runCli([...argv, '--data-dir', dataDir], io);
  };
  const json = <T>(): T => JSON.parse(io.stdout()) as T;

  beforeAll(async () => {
    sshd = await startSshd();
    dataDir = await mkdtemp(join(tmpdir(), 'ohtw-backup-cli-'));
    io = captureIo(env);
    for (const name of ['unit-c', 'unit-d']) {
      const base = join(sshd.vehicleDir, 'cli-tree', name);
      await createTree(base, standardTree(name));
      await createBackendDatabase(base);
      expect(
        await run(
          'units',
          'add',
          name,
          '--host',
          sshd.host,
          '--port',
          String(sshd.port),
          '--user',
          sshd.user,
          '--key',
          sshd.clientKeyPath,
        ),
      ).toBe(0);
      expect(await run('units', 'trust', name, '--fingerprint', sshd.hostKeyFingerprint)).toBe(0);
      // The unit's own profile, edited in the data folder as a technician would.
      const file = userProfilePath(dataDir, name);
      await mkdir(join(dataDir, 'backup-profiles'), { recursive: true });
      await writeFile(file, JSON.stringify(await profileUnder(base), null, 2));
    }
  });
  afterAll(async () => {
    await sshd?.stop();
    if (dataDir) {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('backs up one unit as a JSON object and several as an array', async () => {
    expect(await run('backup', 'unit-c', '--json')).toBe(0);
    const one = json<Record<string, unknown>>();
    expect(Object.keys(one)).toEqual(
      expect.arrayContaining(['unit', 'backupId', 'files', 'bytes', 'newBytes', 'durationMs']),
    );
    expect(one).toMatchObject({ unit: 'unit-c', status: 'ok' });
    expect(one.files).toBeGreaterThan(10);

    expect(await run('backup', '--all', '--json')).toBe(0);
    const all = json<{ unit: string; backupId: string; newBytes: number; bytes: number }[]>();
    expect(all.map((r) => r.unit)).toEqual(['unit-c', 'unit-d']);
    expect(all.every((r) => typeof r.backupId === 'string')).toBe(true);

    expect(await run('backup', 'unit-c')).toBe(0);
    expect(io.stdout()).toMatch(
      /^unit-c: backed up \d+ files, .+ new, .+ written, \d+ unchanged files not read again\) in [\d.]+ s as \S+/,
    );
    expect(io.stdout()).toContain('note: ');
  });

  it('lists, shows and verifies backups, and says when one is damaged', async () => {
    expect(await run('backups', 'list', 'unit-c', '--json')).toBe(0);
    const listed = json<{ id: string; unit: string }[]>();
    expect(listed).toHaveLength(3);
    expect(await run('backups', 'list')).toBe(0);
    expect(io.stdout().split('\n')[0]).toMatch(/^ID\s+UNIT\s+KIND\s+TAKEN\s+FILES\s+SIZE\s+NEW$/);
    const id = listed[0]?.id ?? '';

    expect(await run('backups', 'show', id)).toBe(0);
    expect(io.stdout()).toMatch(/-0600\s+root:root\s+\d+\s+secret\s+\S+\/opt\/oht50\/backend\/\.env/);

    expect(await run('backups', 'verify', id, '--json')).toBe(0);
    expect(json()).toEqual({ ok: true, checkedFiles: expect.any(Number), problems: [] });

    // Damage every chunk on disk: the newest backup must now be reported as damaged, file by file.
    const chunksDir = join(backupStoreDir(dataDir), 'chunks');
    for (const sub of await readdir(chunksDir)) {
      for (const name of await readdir(join(chunksDir, sub))) {
        const path = join(chunksDir, sub, name);
        const bytes = await readFile(path);
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
        await writeFile(path, bytes);
      }
    }
    expect(await run('backups', 'verify', id, '--json')).toBe(2);
    const damaged = json<{ ok: boolean; problems: { path: string; problem: string }[] }>();
    expect(damaged.ok).toBe(false);
    expect(damaged.problems.length).toBeGreaterThan(0);
    expect(await run('backups', 'verify', id)).toBe(2);
    expect(io.stdout()).toMatch(new RegExp(`^${id}: DAMAGED`));
  });

  it('prunes by the retention rule', async () => {
    expect(await run('backups', 'prune', '--keep-daily', '1', '--keep-monthly', '0', '--dry-run', '--json')).toBe(0);
    expect(json<{ removedBackups: string[]; dryRun: boolean }>()).toMatchObject({ dryRun: true });
    expect(await run('backups', 'prune', '--keep-daily', '1', '--keep-monthly', '0', '--json')).toBe(0);
    expect(json<{ removedBackups: string[] }>().removedBackups).toHaveLength(2);
    expect(await run('backups', 'list', 'unit-c', '--json')).toBe(0);
    expect(json<unknown[]>()).toHaveLength(1);
  });

  it('fails clearly: a wrong passphrase, an unknown unit, usage mistakes', async () => {
    const wrong = join(dataDir, 'wrong-passphrase');
    await writeFile(wrong, 'not the passphrase\n');
    expect(await run('backup', 'unit-d', '--passphrase-file', wrong, '--json')).toBe(1);
    expect(json()).toMatchObject({
      unit: 'unit-d',
      status: 'failed',
      backupId: null,
      error: { code: 'PASSPHRASE_WRONG' },
    });

    expect(await run('backup', 'nope')).toBe(1);
    expect(io.stderr()).toBe('ohtw: unit nope not found (see: ohtw units list)\n');
    expect(await run('backup')).toBe(64);
    expect(io.stderr()).toMatch(/^ohtw backup: backup needs unit names or --all/);
    expect(await run('backup', 'unit-c', '--stop-services')).toBe(64);
    expect(io.stderr()).toMatch(/add --yes to confirm/);
    expect(await run('backups', 'verify')).toBe(64);
    expect(await run('backups', 'frobnicate')).toBe(64);
  });
});
