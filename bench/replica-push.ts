/**
 * Backups replicated over SFTP, side by side with OpenSSH's own `sftp` client against the same real sshd on this
 * machine: the workstation's push (every file written under a temporary name, read back and compared, then renamed)
 * and its pull (every pack checked against its SHA-256), against `sftp put -r` / `get -r` of the same pack files.
 * Prints times and ratios; never gates anything.
 *
 *   npx tsx bench/replica-push.ts [--mib 64] [--rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';

import { openSftpTarget } from '../electron/core/backup/replica/sftpTarget';
import { staticKeyProvider } from '../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../electron/core/backup/store/openBackupStore';
import type { BackupStore } from '../electron/core/backup/store/BackupStore';
import { systemClock } from '../electron/core/ports/Clock';
import { silentLogger } from '../electron/core/ports/Logger';
import { opensshClientArgs } from '../test/support/sshd/opensshClient';
import { startSshd, type SshdFixture } from '../test/support/sshd/startSshd';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const { values } = parseArgs({
  options: { mib: { type: 'string', default: '64' }, rounds: { type: 'string', default: '3' } },
});
const MIB = Number(values.mib);
const ROUNDS = Number(values.rounds);

async function storeWith(dir: string, mib: number): Promise<BackupStore> {
  const store = await openBackupStore({
    dir,
    clock: systemClock,
    logger: silentLogger,
    keyProvider: staticKeyProvider('bench passphrase'),
    kdfCost: 10,
  });
  const data = randomBytes(mib * 1024 * 1024);
  const writer = await store.beginBackup({ unit: 'bench-unit', profile: { id: 'bench', version: 1 }, kind: 'backup' });
  await writer.addFile(
    {
      path: '/opt/oht50/data.bin',
      type: 'file',
      mode: 0o644,
      uid: 0,
      gid: 0,
      owner: 'root',
      group: 'root',
      size: data.length,
      mtimeMs: 0,
    },
    Readable.from([data]),
  );
  await writer.commit();
  return store;
}

function sftpBatch(sshd: SshdFixture, commands: string): number {
  const started = performance.now();
  // OpenSSH's own client options, as the other benchmarks use them; sftp names the port -P where ssh says -p.
  const args = opensshClientArgs(sshd).map((arg) => (arg === '-p' ? '-P' : arg));
  const out = spawnSync('sftp', ['-q', '-b', '-', ...args], { input: commands, stdio: ['pipe', 'ignore', 'inherit'] });
  if (out.status !== 0) {
    throw new Error(`sftp exited ${String(out.status)}`);
  }
  return performance.now() - started;
}

async function serverFolder(sshd: SshdFixture): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ohtw-bench-replica-'));
  const uid = Number(execFileSync('id', ['-u', sshd.user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', sshd.user], { encoding: 'utf8' }).trim());
  await chown(dir, uid, gid);
  return dir;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const sshd = await startSshd();
  const work = await mkdtemp(join(tmpdir(), 'ohtw-bench-replica-work-'));
  const auth = { kind: 'key' as const, privateKey: readFileSync(sshd.clientKeyPath) };
  const verify = () => ({ kind: 'accept' as const });
  const rows: { push: number; put: number; pull: number; get: number }[] = [];
  try {
    const source = await storeWith(join(work, 'source'), MIB);
    for (let round = 0; round < ROUNDS; round += 1) {
      const pushDir = await serverFolder(sshd);
      const putDir = await serverFolder(sshd);
      const spec = { kind: 'sftp' as const, user: sshd.user, host: '127.0.0.1', port: sshd.port, path: pushDir };
      let started = performance.now();
      const target = await openSftpTarget(spec, auth, verify, silentLogger);
      await source.push(target);
      const push = performance.now() - started;
      const put = sftpBatch(sshd, `cd ${putDir}\nput -r ${join(work, 'source', 'packs')}\n`);

      const fresh = await openBackupStore({
        dir: join(work, `fresh-${round}`),
        clock: systemClock,
        logger: silentLogger,
        keyProvider: staticKeyProvider('bench passphrase'),
        kdfCost: 10,
      });
      started = performance.now();
      await fresh.pull(target, 'bench-unit');
      const pull = performance.now() - started;
      await target.close();
      await fresh.close();
      const get = sftpBatch(sshd, `lcd ${work}\nget -r ${pushDir}/packs fetched-${round}\n`);
      rows.push({ push, put, pull, get });
      await rm(pushDir, { recursive: true, force: true });
      await rm(putDir, { recursive: true, force: true });
    }
    await source.close();
  } finally {
    await sshd.stop();
    await rm(work, { recursive: true, force: true });
  }
  const ms = (x: number): string => `${Math.round(x)} ms`;
  console.log(`${MIB} MiB of incompressible data, ${ROUNDS} rounds, medians (real sshd on 127.0.0.1):`);
  console.log(
    `  push ${ms(median(rows.map((r) => r.push)))}  vs sftp put -r ${ms(median(rows.map((r) => r.put)))}  = ${median(rows.map((r) => r.push / r.put)).toFixed(2)}x`,
  );
  console.log(
    `  pull ${ms(median(rows.map((r) => r.pull)))}  vs sftp get -r ${ms(median(rows.map((r) => r.get)))}  = ${median(rows.map((r) => r.pull / r.get)).toFixed(2)}x`,
  );
}

await main();
