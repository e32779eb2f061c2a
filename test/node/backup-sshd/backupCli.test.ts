import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupStoreDir } from '../../../electron/core/backup/backupStoreFor';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { damageChunk, indexedChunks } from '../backup/store/storeHarness';
import { addTreeUnits, startCli, type Cli } from './cliHarness';

/** ohtw backup and ohtw backups as a technician types them, against a real sshd. */
describe('ohtw backup / backups against a real sshd', () => {
  let sshd: SshdFixture;
  let cli: Cli;
  const run = (...argv: string[]): Promise<number> => cli.run(...argv);
  const json = <T>(): T => cli.json<T>();

  beforeAll(async () => {
    sshd = await startSshd();
    cli = await startCli('ohtw-backup-cli-', { OHTW_PASSPHRASE: 'field passphrase' });
    await addTreeUnits(cli, sshd, 'cli-tree', ['unit-c', 'unit-d']);
  });
  afterAll(async () => {
    await sshd?.stop();
    await cli?.remove();
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
    expect(cli.io.stdout()).toMatch(
      /^unit-c: backed up \d+ files, .+ new, .+ written, \d+ unchanged files not read again\) in [\d.]+ s as \S+/,
    );
    expect(cli.io.stdout()).toContain('note: ');
  });

  it('lists, shows and verifies backups, and says when one is damaged', async () => {
    expect(await run('backups', 'list', 'unit-c', '--json')).toBe(0);
    const listed = json<{ id: string; unit: string }[]>();
    expect(listed).toHaveLength(3);
    expect(await run('backups', 'list')).toBe(0);
    expect(cli.io.stdout().split('\n')[0]).toMatch(/^ID\s+UNIT\s+KIND\s+TAKEN\s+FILES\s+SIZE\s+NEW$/);
    const id = listed[0]?.id ?? '';

    expect(await run('backups', 'show', id)).toBe(0);
    expect(cli.io.stdout()).toMatch(/-0600\s+root:root\s+\d+\s+secret\s+\S+\/opt\/oht50\/backend\/\.env/);

    expect(await run('backups', 'verify', id, '--json')).toBe(0);
    expect(json()).toEqual({
      ok: true,
      checkedFiles: expect.any(Number),
      problems: [],
      sharedWith: [],
      quarantined: 0,
    });

    // Damage every chunk on disk: the newest backup must now be reported as damaged, file by file.
    for (const chunk of (await indexedChunks(backupStoreDir(cli.dataDir))).keys()) {
      await damageChunk(backupStoreDir(cli.dataDir), chunk, 'flip');
    }
    expect(await run('backups', 'verify', id, '--json')).toBe(2);
    const damaged = json<{ ok: boolean; problems: { path: string; problem: string }[] }>();
    expect(damaged.ok).toBe(false);
    expect(damaged.problems.length).toBeGreaterThan(0);
    // The first verify took the damaged chunks out of use; the next one reports them as quarantined, still damaged.
    expect(await run('backups', 'verify', id)).toBe(2);
    expect(cli.io.stdout()).toMatch(new RegExp(`^${id}: DAMAGED`));
    expect(cli.io.stdout()).toContain('quarantined as damaged');
    expect(await run('backups', 'check')).toBe(2);
    expect(cli.io.stdout()).toMatch(/^Store is DAMAGED/);
  });

  it('checks the whole store, and saves a backup of the unit into a folder without touching the unit', async () => {
    expect(await run('backup', 'unit-d', '--full')).toBe(0);
    expect(await run('backups', 'check', '--read-data', '--json')).toBe(2);
    expect(json<{ ok: boolean; readData: boolean }>()).toMatchObject({ ok: false, readData: true });
    expect(await run('backups', 'list', 'unit-d', '--json')).toBe(0);
    const [latest] = json<{ id: string }[]>();
    const folder = join(cli.dataDir, 'a-copy');
    expect(await run('restore', 'unit-d', latest?.id ?? '', '--to', folder)).toBe(0);
    expect(cli.io.stdout()).toContain(`are in ${folder}`);
    const base = join(sshd.vehicleDir, 'cli-tree', 'unit-d');
    expect(await readFile(join(folder, base, 'opt/oht50/config/system.yaml'), 'utf8')).toBe(
      await readFile(join(base, 'opt/oht50/config/system.yaml'), 'utf8'),
    );
    // The secret file too (the passphrase is at hand), with its mode.
    expect(((await stat(join(folder, base, 'opt/oht50/backend/.env'))).mode & 0o777).toString(8)).toBe('600');
    expect(await run('restore', 'unit-c', latest?.id ?? '', '--to', join(cli.dataDir, 'other'))).toBe(64);
    expect(cli.io.stderr()).toContain('is not a backup of unit-c');
    expect(await run('restore', 'unit-d', latest?.id ?? '', '--to', folder)).toBe(1);
    expect(cli.io.stderr()).toContain('is not empty');
  });

  it('prunes by the retention rule', async () => {
    expect(await run('backups', 'prune', '--keep-daily', '1', '--keep-monthly', '0', '--dry-run', '--json')).toBe(0);
    expect(json<{ removedBackups: string[]; dryRun: boolean }>()).toMatchObject({ dryRun: true });
    expect(await run('backups', 'prune', '--keep-daily', '1', '--keep-monthly', '0', '--json')).toBe(0);
    // Two of unit-c's three and the older of unit-d's two.
    expect(json<{ removedBackups: string[] }>().removedBackups).toHaveLength(3);
    expect(await run('backups', 'list', 'unit-c', '--json')).toBe(0);
    expect(json<unknown[]>()).toHaveLength(1);
  });

  it('fails clearly: a wrong passphrase, an unknown unit, usage mistakes', async () => {
    const wrong = join(cli.dataDir, 'wrong-passphrase');
    await writeFile(wrong, 'not the passphrase\n');
    expect(await run('backup', 'unit-d', '--passphrase-file', wrong, '--json')).toBe(1);
    expect(json()).toMatchObject({
      unit: 'unit-d',
      status: 'failed',
      backupId: null,
      error: { code: 'PASSPHRASE_WRONG' },
    });

    expect(await run('backup', 'nope')).toBe(1);
    expect(cli.io.stderr()).toBe('ohtw: unit nope not found (see: ohtw units list)\n');
    expect(await run('backup')).toBe(64);
    expect(cli.io.stderr()).toMatch(/^ohtw backup: backup needs unit names or --all/);
    expect(await run('backup', 'unit-c', '--stop-services')).toBe(64);
    expect(cli.io.stderr()).toMatch(/add --yes to confirm/);
    expect(await run('backups', 'verify')).toBe(64);
    expect(await run('backups', 'frobnicate')).toBe(64);
  });
});
