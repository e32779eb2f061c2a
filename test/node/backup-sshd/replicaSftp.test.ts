import { execFileSync } from 'node:child_process';
import { chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { putVerified } from '../../../electron/core/backup/replica/ReplicaTarget';
import { openSftpTarget } from '../../../electron/core/backup/replica/sftpTarget';
import { silentLogger } from '../../../electron/core/ports/Logger';
import type { BackupCheck, BackupPull, BackupPush, BackupWhere } from '../../../shared/domain/backup';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { filesUnder } from '../backup/store/storeHarness';
import { addSshdUnit, addTreeUnits, startCli, type Cli } from './cliHarness';

const PASSPHRASE = 'team passphrase';

/** ohtw backups push / pull / check --at against a folder served by a real OpenSSH sshd over SFTP. */
describe('backups replicated over SFTP to a real sshd', () => {
  let sshd: SshdFixture;
  let laptopA: Cli;
  let laptopB: Cli;
  let serverDir: string;
  let url: string;
  const base = (): string => join(sshd.vehicleDir, 'replica-tree', 'unit-r');

  beforeAll(async () => {
    sshd = await startSshd();
    laptopA = await startCli('ohtw-replica-a-', { OHTW_PASSPHRASE: PASSPHRASE });
    laptopB = await startCli('ohtw-replica-b-', { OHTW_PASSPHRASE: PASSPHRASE });
    await addTreeUnits(laptopA, sshd, 'replica-tree', ['unit-r']);
    serverDir = await mkdtemp(join(tmpdir(), 'ohtw-sftp-target-'));
    const uid = Number(execFileSync('id', ['-u', sshd.user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', sshd.user], { encoding: 'utf8' }).trim());
    await chown(serverDir, uid, gid);
    url = `sftp://${sshd.user}@${sshd.host}:${sshd.port}${serverDir}`;
  });
  afterAll(async () => {
    await sshd?.stop();
    await laptopA?.remove();
    await laptopB?.remove();
    await rm(serverDir, { recursive: true, force: true });
  });

  it('refuses a server whose host key is not pinned, sending nothing', async () => {
    expect(await laptopA.run('backup', 'unit-r')).toBe(0);
    expect(await laptopA.run('backups', 'push', '--to', url, '--key', sshd.clientKeyPath)).toBe(1);
    expect(laptopA.io.stderr()).toContain(`unknown host key ${sshd.hostKeyFingerprint}`);
    expect(laptopA.io.stderr()).toContain('ohtw backups trust-target');
    expect(await readdir(serverDir)).toEqual([]);
    const wrong = `SHA256:${'A'.repeat(43)}`;
    expect(await laptopA.run('backups', 'trust-target', url, '--fingerprint', wrong)).toBe(1);
    expect(await laptopA.run('backups', 'push', '--to', url, '--key', sshd.clientKeyPath)).toBe(1);
  });

  it('pushes over SFTP what the server lacks, the secret encrypted there, and checks the copy', async () => {
    expect(await laptopA.run('backups', 'trust-target', url, '--fingerprint', sshd.hostKeyFingerprint)).toBe(0);
    expect(await laptopA.run('backups', 'target', url, '--key', sshd.clientKeyPath)).toBe(0);
    expect(await laptopA.run('backups', 'push', '--json')).toBe(0);
    const pushed = laptopA.json<BackupPush>();
    expect(pushed.pushed).toHaveLength(1);
    expect(pushed.packsCopied).toBeGreaterThan(0);
    expect(pushed.target).toBe(url);
    expect(await laptopA.run('backups', 'where', 'unit-r', '--json')).toBe(0);
    expect(laptopA.json<BackupWhere>().locations).toEqual([
      expect.objectContaining({ backupId: pushed.pushed[0], kind: 'target', place: url, recordedBy: null }),
    ]);
    // A name nobody knows is an error, not "no location recorded".
    expect(await laptopA.run('backups', 'where', 'unit-typo')).toBe(1);
    expect(laptopA.io.stderr()).toContain('no unit or backup unit-typo is known here');

    const secret = await readFile(join(base(), 'opt/oht50/backend/.env'));
    for (const [path, bytes] of await filesUnder(serverDir)) {
      expect(bytes.includes(secret), `${path} holds the .env in clear`).toBe(false);
      expect(bytes.includes(Buffer.from(PASSPHRASE)), `${path} holds the passphrase`).toBe(false);
    }
    expect(await laptopA.run('backups', 'push', '--json')).toBe(0);
    expect(laptopA.json<BackupPush>()).toMatchObject({ pushed: [], alreadyThere: 1, packsCopied: 0 });

    expect(await laptopA.run('backups', 'check', '--at', url, '--read-data', '--json')).toBe(0);
    expect(laptopA.json<BackupCheck>()).toMatchObject({ ok: true, problems: [], counts: { backups: 1 } });

    expect(await laptopA.run('history', '--all', '--kind', 'backup')).toBe(0);
    expect(laptopA.io.stdout()).toContain(`Copied 1 backup(s) to ${url}`);
    expect(await laptopA.run('audit', 'verify')).toBe(0);
  });

  it('pulls the unit’s backup into a fresh data folder and restores it from there', async () => {
    expect(await laptopB.run('backups', 'trust-target', url, '--fingerprint', sshd.hostKeyFingerprint)).toBe(0);
    expect(await laptopB.run('backups', 'pull', 'unit-r', '--from', url, '--key', sshd.clientKeyPath, '--json')).toBe(
      0,
    );
    const pulled = laptopB.json<BackupPull>();
    expect(pulled.backups).toEqual([expect.objectContaining({ unit: 'unit-r', status: 'pulled' })]);
    const id = pulled.backups[0]?.backupId ?? '';
    expect(await laptopB.run('backups', 'where', id)).toBe(0);
    expect(laptopB.io.stdout()).toMatch(new RegExp(`${id}\\s+unit-r\\s+laptop this laptop\\s`));

    expect(await laptopB.run('backups', 'verify', id, '--json')).toBe(0);
    const folder = join(laptopB.dataDir, 'restored');
    expect(await laptopB.run('restore', 'unit-r', id, '--to', folder)).toBe(0);
    for (const path of [
      'opt/oht50/backend/.env',
      'opt/oht50/config/system.yaml',
      'opt/oht50/firmware/build/oht50_main',
    ]) {
      expect((await readFile(join(folder, base(), path))).equals(await readFile(join(base(), path))), path).toBe(true);
    }

    // The normal restore path on laptop B: the unit added there, its dry run planned from the pulled backup.
    await addSshdUnit(laptopB, sshd, 'unit-r', base());
    await writeFile(join(base(), 'opt/oht50/config/system.yaml'), 'unit: drifted\n');
    expect(await laptopB.run('restore', 'unit-r', id, '--dry-run', '--json')).toBe(0);
    const plan = laptopB.json<{ changes: { path: string; action: string }[] }>();
    expect(plan.changes).toContainEqual({ path: `${base()}/opt/oht50/config/system.yaml`, action: 'modify' });

    expect(await laptopB.run('history', '--all', '--kind', 'backup')).toBe(0);
    expect(laptopB.io.stdout()).toContain(`Fetched backup ${id.slice(0, 8)} from ${url}`);
  });

  it('finds a damaged pack at the server with check --at --read-data', async () => {
    const packs = [...(await filesUnder(serverDir)).keys()].filter((p) => p.startsWith('packs/'));
    const path = join(serverDir, packs[0] ?? '');
    const bytes = await readFile(path);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x55;
    await writeFile(path, bytes);
    expect(await laptopA.run('backups', 'check', '--at', url, '--read-data')).toBe(2);
    expect(laptopA.io.stdout()).toMatch(/DAMAGED/);
    expect(laptopA.io.stdout()).toContain('does not match its SHA-256');

    // A file already at the server is never replaced, whatever is copied to its name; the temporary goes.
    const target = await openSftpTarget(
      { kind: 'sftp', user: sshd.user, host: sshd.host, port: sshd.port, path: serverDir },
      { kind: 'key', privateKey: await readFile(sshd.clientKeyPath) },
      () => ({ kind: 'accept' }),
      silentLogger,
    );
    try {
      expect(await putVerified(target, packs[0] ?? '', Buffer.from('other bytes'))).toBe('exists');
      expect((await readFile(path)).equals(bytes)).toBe(true);
      expect(await putVerified(target, 'notes/new.txt', Buffer.from('placed'))).toBe('written');
      expect(await readFile(join(serverDir, 'notes/new.txt'), 'utf8')).toBe('placed');
      expect(await readdir(join(serverDir, 'tmp'))).toEqual([]);
    } finally {
      await target.close();
    }
  });
});
