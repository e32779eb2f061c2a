/**
 * How fast a workstation backup reads a unit, against ONE real OpenSSH sshd on this machine (needs root, as the sshd
 * tests do), on the same tree in the same run:
 *
 *   (a) `ssh unit 'sudo -n tar czf - …' > (counted, discarded)`: OpenSSH and gzip, the usual way by hand;
 *   (b) a workstation backup of the same roots into a fresh local store: one sudo exec streaming tar, the database
 *       copied with SQLite's backup, every file hashed, chunked, deduplicated, compressed and written to disk;
 *   (c) a second workstation backup of the unchanged unit into the same store.
 *
 * It prints the times, the throughput ratio (a) / (b) (at least 1 means the backup is at least as fast as tar czf over
 * ssh while also hashing and storing) and the cost of (c) against (b), in time and in new bytes. It asserts nothing
 * about absolute times. Sizes are modest so two cores shared with others are enough.
 * Run: npx tsx bench/backup-vs-tar.ts [--mib 48] [--rounds 3]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { enabledParts, globToRegExp } from '../electron/core/backup/profile/backupProfiles';
import { backupUnit } from '../electron/core/backup/remote/backupUnit';
import { staticKeyProvider } from '../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../electron/core/backup/store/openBackupStore';
import { systemClock } from '../electron/core/ports/Clock';
import { silentLogger } from '../electron/core/ports/Logger';
import { connectSsh } from '../electron/core/transport/ssh/SshConnection';
import { hasStreamExec, shellQuote } from '../electron/core/transport/transport';
import { opensshClientArgs } from '../test/support/sshd/opensshClient';
import { startSshd, type SshdFixture } from '../test/support/sshd/startSshd';
import {
  createBackendDatabase,
  createTree,
  profileUnder,
  standardTree,
  type TreeFile,
} from '../test/node/backup-sshd/vehicleTree';

const { values } = parseArgs({
  options: { mib: { type: 'string', default: '48' }, rounds: { type: 'string', default: '3' } },
});
const TOTAL_MIB = Number(values.mib);
const ROUNDS = Number(values.rounds);

/** Install data as a unit has it: maps and logs that compress well, calibration blobs that do not. */
function dataFiles(totalMiB: number): TreeFile[] {
  const files: TreeFile[] = [
    { path: '/opt/oht50/data', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 },
    { path: '/opt/oht50/frontend', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 },
  ];
  let left = totalMiB * 1024 * 1024;
  for (let i = 0; left > 0; i += 1) {
    const size = Math.min(left, [64 * 1024, 256 * 1024, 1024 * 1024, 3 * 1024 * 1024][i % 4] ?? 65536);
    left -= size;
    const text = i % 2 === 0;
    const content = text
      ? Buffer.from(
          Array.from({ length: Math.ceil(size / 48) }, (_, n) => `map ${i} node ${n} x=${(n * 7919) % 10007}\n`)
            .join('')
            .slice(0, size),
        )
      : randomBytes(size);
    files.push({
      path: `/opt/oht50/${i % 3 === 0 ? 'frontend' : 'data'}/part-${String(i).padStart(4, '0')}.${text ? 'txt' : 'bin'}`,
      content,
      mode: 0o644,
      uid: 1001,
      gid: 1001,
    });
  }
  return files;
}

/** `ssh … 'sudo -n tar czf - …'`, its output counted and dropped; milliseconds and bytes. */
function tarOverSsh(sshd: SshdFixture, roots: string[]): Promise<{ ms: number; bytes: number }> {
  const command = `sudo -n tar czf - -C / ${roots.map((r) => shellQuote(r.slice(1))).join(' ')}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...opensshClientArgs(sshd), command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, bytes })
        : reject(new Error(`ssh tar: ${code} ${stderr}`)),
    );
  });
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const sshd = await startSshd();
  const work = await mkdtemp(join(tmpdir(), 'ohtw-bench-backup-'));
  try {
    const base = join(sshd.vehicleDir, 'bench-unit');
    await createTree(base, [...standardTree('bench-unit'), ...dataFiles(TOTAL_MIB)]);
    await createBackendDatabase(base, 20_000);
    const profile = await profileUnder(base);
    const { roots, databases } = enabledParts(profile);
    // tar gets the same roots the backup reads (the database as the live file, which tar cannot copy consistently).
    const tarRoots: string[] = [];
    for (const path of [...roots.map((r) => r.path), ...databases.map((d) => d.path)]) {
      const cut = path.lastIndexOf('/');
      const pattern = globToRegExp(path);
      const names = existsSync(path.slice(0, cut)) ? await readdir(path.slice(0, cut)) : [];
      tarRoots.push(...names.map((n) => `${path.slice(0, cut)}/${n}`).filter((p) => pattern.test(p)));
    }
    const privateKey = await readFile(sshd.clientKeyPath);

    let peakRss = 0;
    const backupOnce = async (storeDir: string, incremental: boolean) => {
      const store = await openBackupStore({
        dir: storeDir,
        clock: systemClock,
        logger: silentLogger,
        keyProvider: staticKeyProvider('bench passphrase'),
        kdfCost: 10,
      });
      await store.unlock();
      try {
        const started = performance.now();
        const connection = await connectSsh(
          { label: 'bench-unit', host: sshd.host, port: sshd.port, username: sshd.user },
          { kind: 'key', privateKey },
          (key) => (key.fingerprint === sshd.hostKeyFingerprint ? { kind: 'accept' } : { kind: 'unknown' }),
          { logger: silentLogger },
        );
        try {
          if (!hasStreamExec(connection)) {
            throw new Error('no streaming exec');
          }
          const [latest] = incremental ? await store.list({ unit: 'bench-unit' }) : [];
          const previous = latest === undefined ? undefined : await store.getManifest(latest.id);
          const sampler = setInterval(() => {
            peakRss = Math.max(peakRss, process.memoryUsage().rss);
          }, 20);
          try {
            const outcome = await backupUnit({ unit: 'bench-unit', connection, profile, store, previous });
            return { ms: performance.now() - started, summary: outcome.summary, reused: outcome.reused.files };
          } finally {
            clearInterval(sampler);
          }
        } finally {
          await connection.close();
        }
      } finally {
        await store.close();
      }
    };

    const tarMs: number[] = [];
    const firstMs: number[] = [];
    const secondMs: number[] = [];
    let tarBytes = 0;
    let logical = 0;
    let firstStored = 0;
    let secondNew = 0;
    let files = 0;
    let reused = 0;
    const rssBefore = process.memoryUsage().rss;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const tar = await tarOverSsh(sshd, tarRoots);
      tarMs.push(tar.ms);
      tarBytes = tar.bytes;
      const storeDir = join(work, `store-${round}`);
      const first = await backupOnce(storeDir, false);
      const second = await backupOnce(storeDir, true);
      firstMs.push(first.ms);
      secondMs.push(second.ms);
      logical = first.summary.bytes;
      files = first.summary.files;
      firstStored = first.summary.storedBytes;
      secondNew = second.summary.newBytes;
      reused = second.reused;
      await rm(storeDir, { recursive: true, force: true });
      console.log(
        `round ${round}: tar czf | ssh ${tar.ms.toFixed(0)} ms; backup ${first.ms.toFixed(0)} ms; second backup ${second.ms.toFixed(0)} ms`,
      );
    }
    const mib = logical / 1024 / 1024;
    const tar = median(tarMs);
    const first = median(firstMs);
    const second = median(secondMs);
    console.log('');
    console.log(`tree: ${files} entries, ${mib.toFixed(1)} MiB (roots and database of the default profile)`);
    console.log(
      `(a) ssh 'sudo tar czf -':   ${tar.toFixed(0)} ms  ${((mib * 1000) / tar).toFixed(1)} MiB/s  (${(tarBytes / 1024 / 1024).toFixed(1)} MiB gzip)`,
    );
    console.log(
      `(b) workstation backup:     ${first.toFixed(0)} ms  ${((mib * 1000) / first).toFixed(1)} MiB/s  (${(firstStored / 1024 / 1024).toFixed(1)} MiB stored)`,
    );
    console.log(
      `(c) second backup:          ${second.toFixed(0)} ms  (${(secondNew / 1024).toFixed(0)} KiB new, ${reused} unchanged files not read again)`,
    );
    console.log(
      `peak resident memory during the backups: ${(peakRss / 1024 / 1024).toFixed(0)} MiB (${(rssBefore / 1024 / 1024).toFixed(0)} MiB before, tree ${mib.toFixed(0)} MiB)`,
    );
    console.log('');
    console.log(
      `throughput ratio (a)/(b): ${(tar / first).toFixed(2)}  (>= 1: the backup is at least as fast as tar czf | ssh)`,
    );
    console.log(`second/first time:        ${(second / first).toFixed(2)}`);
    console.log(`second/first new bytes:   ${(secondNew / logical).toFixed(4)}`);
    console.log(`medians of ${ROUNDS} rounds; no absolute time is judged`);
  } finally {
    await sshd.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
