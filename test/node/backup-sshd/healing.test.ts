import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupStoreDir } from '../../../electron/core/backup/backupStoreFor';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { damageChunk } from '../backup/store/storeHarness';
import { addTreeUnits, startCli, type Cli } from './cliHarness';

/**
 * Two units share the same firmware, stored once. One chunk of it is damaged on disk (a byte flipped, or its pack
 * truncated in the middle of it): `backups check --read-data` finds it, `backups verify` names the file and the other
 * unit's backup that shares it, the next `backup --full` writes the content again, and afterwards every backup
 * verifies and the store checks clean. As a technician types it, against a real sshd.
 */
describe.each(['flip', 'truncate'] as const)('a damaged firmware chunk (%s)', (how) => {
  let sshd: SshdFixture;
  let cli: Cli;
  const run = (...argv: string[]): Promise<number> => cli.run(...argv);

  beforeAll(async () => {
    sshd = await startSshd();
    cli = await startCli('ohtw-healing-', { OHTW_PASSPHRASE: 'healing passphrase' });
    await addTreeUnits(cli, sshd, 'heal-tree', ['unit-1', 'unit-2']);
  });
  afterAll(async () => {
    await sshd?.stop();
    await cli?.remove();
  });

  it('is found, named with every backup sharing it, and healed by the next full backup', async () => {
    expect(await run('backup', '--all', '--json')).toBe(0);
    const [one, two] = cli.json<{ unit: string; backupId: string }[]>();
    expect(await run('backups', 'show', one?.backupId ?? '', '--json')).toBe(0);
    const firmwarePath = `${join(sshd.vehicleDir, 'heal-tree', 'unit-1')}/opt/oht50/firmware/build/oht50_main`;
    const firmware = cli
      .json<{ entries: { path: string; chunks?: unknown }[] }>()
      .entries.find((e) => e.path === firmwarePath);
    expect(firmware).toBeDefined();
    // The chunk ids are the store's business: the backup's own manifest names them.
    const { openBackupStore } = await import('../../../electron/core/backup/store/openBackupStore');
    const { staticKeyProvider } = await import('../../../electron/core/backup/store/keyProviders');
    const { systemClock } = await import('../../../electron/core/ports/Clock');
    const { silentLogger } = await import('../../../electron/core/ports/Logger');
    const store = await openBackupStore({
      dir: backupStoreDir(cli.dataDir),
      clock: systemClock,
      logger: silentLogger,
      keyProvider: staticKeyProvider('healing passphrase'),
    });
    const chunks = (await store.getManifest(one?.backupId ?? '')).entries.find((e) => e.path === firmwarePath)?.chunks;
    await store.close();
    const victim = chunks?.[1]?.id ?? '';
    await damageChunk(backupStoreDir(cli.dataDir), victim, how);

    expect(await run('backups', 'check', '--read-data', '--json')).toBe(2);
    const before = cli.json<{ problems: { kind: string; subject: string; backups: string[] }[] }>();
    expect(before.problems).toContainEqual(
      expect.objectContaining({ kind: 'chunk', subject: victim, backups: [one?.backupId, two?.backupId].sort() }),
    );

    expect(await run('backups', 'verify', one?.backupId ?? '', '--json')).toBe(2);
    const verified = cli.json<{ problems: { path: string; chunk?: string }[]; sharedWith: string[] }>();
    // A file is named once, with its first damaged chunk: a pack cut short may also have lost the firmware's other
    // chunk, if it was sealed into the pack after this one.
    const named = how === 'flip' ? victim : (expect.any(String) as string);
    expect(verified.problems).toContainEqual(expect.objectContaining({ path: firmwarePath, chunk: named }));
    expect(verified.sharedWith).toEqual([two?.backupId]);
    expect(await run('backups', 'verify', one?.backupId ?? '')).toBe(2);
    expect(cli.io.stdout()).toContain(`the same damaged content is in: ${two?.backupId ?? ''}`);

    // A flipped byte damages that chunk alone, shared by both units: one unit's full backup heals both backups. A
    // pack cut short loses every chunk after it too, unit-2's own among them (both units were backed up at once).
    expect(await run('backup', ...(how === 'flip' ? ['unit-1'] : ['--all']), '--full', '--json')).toBe(0);
    type Result = { backupId: string; newBytes: number; status: string };
    const result = cli.json<Result | Result[]>();
    const healed = Array.isArray(result) ? result : [result];
    expect(healed[0]).toMatchObject({ status: 'ok' });
    expect(healed[0]?.newBytes).toBeGreaterThan(0);
    for (const id of [one?.backupId, two?.backupId, ...healed.map((h) => h.backupId)]) {
      expect(await run('backups', 'verify', id ?? '')).toBe(0);
    }
    expect(await run('backups', 'check', '--read-data')).toBe(0);
    expect(cli.io.stdout()).toMatch(/^Store is intact/);
  });
});
