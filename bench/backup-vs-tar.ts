/**
 * How fast a workstation backup reads a unit, against ONE real OpenSSH sshd on this machine (needs root, as the sshd
 * tests do), on the same tree in the same run, side by side:
 *
 *   (a) `ssh unit 'sudo -n tar czf - …' > file`: OpenSSH and gzip, the usual way by hand (written to a file here);
 *   (b) a first workstation backup into an empty store: one sudo exec streaming tar, the database copied with
 *       SQLite's backup, every file hashed, chunked, deduplicated, compressed, packed and made durable; its own
 *       duration, and the whole `ohtw backup --full` command (a fresh process: start-up, key derivation, history);
 *   (c) an unchanged re-backup of the same unit into the same store (lists the unit, reuses what did not change).
 *
 * Two trees: "small unit" (the default profile's state, ~9 MB with its database) and "20,000 small files" (the same
 * plus a Python virtualenv and a tile cache of 20,000 small files). The peak resident memory of each `ohtw backup`
 * process is printed (GNU time); `--large-mib N` adds a whole `ohtw backup --full` of a unit holding an N MiB file,
 * for the memory bound.
 * It prints ratios; it asserts nothing about absolute times (the machine is shared).
 * Run: npx tsx bench/backup-vs-tar.ts [--rounds 3] [--large-mib 1024]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

import type { BackupProfile } from '../shared/domain/backup';
import { enabledParts, globToRegExp, userProfilePath } from '../electron/core/backup/profile/backupProfiles';
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
  options: { rounds: { type: 'string', default: '3' }, 'large-mib': { type: 'string', default: '0' } },
});
const ROUNDS = Number(values.rounds);
const LARGE_MIB = Number(values['large-mib']);
const PASSPHRASE = 'bench passphrase';
const BIN = join(import.meta.dirname, '..', 'bin', 'ohtw.js');

/** Install data as a unit has it: maps and logs that compress well, calibration blobs that do not. */
function dataFiles(totalMiB: number): TreeFile[] {
  const files: TreeFile[] = [{ path: '/opt/oht50/data', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 }];
  let left = totalMiB * 1024 * 1024;
  for (let i = 0; left > 0; i += 1) {
    const size = Math.min(left, [64 * 1024, 256 * 1024, 1024 * 1024, 2 * 1024 * 1024][i % 4] ?? 65536);
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
      path: `/opt/oht50/data/part-${String(i).padStart(4, '0')}.${text ? 'txt' : 'bin'}`,
      content,
      uid: 1001,
      gid: 1001,
    });
  }
  return files;
}

/**
 * A virtualenv's and a tile cache's worth of small files: `count` files, half Python sources (text), half map tiles
 * (compressed images: random bytes to any compressor), about 650 bytes each on average.
 */
function smallFiles(count: number): TreeFile[] {
  const files: TreeFile[] = [{ path: '/opt/oht50/frontend', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 }];
  const dirs = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const dir =
      i % 2 === 0 ? `/opt/oht50/frontend/venv/lib/pkg${i % 400}` : `/opt/oht50/frontend/tiles/${i % 97}/${i % 13}`;
    if (!dirs.has(dir)) {
      dirs.add(dir);
    }
    const body =
      i % 2 === 0
        ? `# module ${i}\ndef f${i}(x):\n    return x * ${i} + ${(i * 7919) % 1009}\n`.repeat(1 + (i % 12))
        : randomBytes(200 + (i % 900));
    files.push({ path: `${dir}/f${i}.${i % 2 === 0 ? 'py' : 'tile'}`, content: body, uid: 1001, gid: 1001 });
  }
  return files;
}

/** The paths tar is given: the profile's roots and databases as they exist in the tree (globs expanded). */
async function tarRoots(profile: BackupProfile): Promise<string[]> {
  const { roots, databases } = enabledParts(profile);
  const out: string[] = [];
  for (const path of [...roots.map((r) => r.path), ...databases.map((d) => d.path)]) {
    const cut = path.lastIndexOf('/');
    const pattern = globToRegExp(path);
    const names = existsSync(path.slice(0, cut)) ? await readdir(path.slice(0, cut)) : [];
    out.push(...names.map((n) => `${path.slice(0, cut)}/${n}`).filter((p) => pattern.test(p)));
  }
  return out;
}

/** `ssh … 'sudo -n tar czf - …' > file`; milliseconds and bytes. */
async function tarOverSsh(sshd: SshdFixture, roots: string[], out: string): Promise<{ ms: number; bytes: number }> {
  const command = `sudo -n tar czf - -C / ${roots.map((r) => shellQuote(r.slice(1))).join(' ')}`;
  const started = performance.now();
  const child = spawn('ssh', [...opensshClientArgs(sshd), command], { stdio: ['ignore', 'pipe', 'ignore'] });
  await pipeline(child.stdout, createWriteStream(out));
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) {
      resolve(child.exitCode);
    } else {
      child.on('exit', resolve);
    }
  });
  if (code !== 0) {
    throw new Error(`ssh tar exited ${String(code)}`);
  }
  return { ms: performance.now() - started, bytes: (await stat(out)).size };
}

let peakRss = 0;

/** One backup in this process (its own duration, as the result reports it). */
async function backupInProcess(sshd: SshdFixture, profile: BackupProfile, storeDir: string, incremental: boolean) {
  const store = await openBackupStore({
    dir: storeDir,
    clock: systemClock,
    logger: silentLogger,
    keyProvider: staticKeyProvider(PASSPHRASE),
    kdfCost: 10,
  });
  await store.unlock();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    const started = performance.now();
    const connection = await connectSsh(
      { label: 'bench-unit', host: sshd.host, port: sshd.port, username: sshd.user },
      { kind: 'key', privateKey: await readFile(sshd.clientKeyPath) },
      (key) => (key.fingerprint === sshd.hostKeyFingerprint ? { kind: 'accept' } : { kind: 'unknown' }),
      { logger: silentLogger },
    );
    try {
      if (!hasStreamExec(connection)) {
        throw new Error('no streaming exec');
      }
      const [latest] = incremental ? await store.list({ unit: 'bench-unit' }) : [];
      const previous = latest === undefined ? undefined : await store.getManifest(latest.id);
      const outcome = await backupUnit({ unit: 'bench-unit', connection, profile, store, previous });
      return { ms: performance.now() - started, summary: outcome.summary, reused: outcome.reused.files };
    } finally {
      await connection.close();
    }
  } finally {
    clearInterval(sampler);
    await store.close();
  }
}

/** GNU time, to read a child's peak resident memory (`%M`, KiB); without it the peak is not printed. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * The whole `ohtw backup --full` command in a fresh process, into an empty store of its own data folder: its time
 * and its peak resident memory (MiB, NaN without GNU time).
 */
async function wholeCommand(
  sshd: SshdFixture,
  profile: BackupProfile,
  dataDir: string,
): Promise<{ ms: number; peakMiB: number; idleMiB: number }> {
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(join(dataDir, 'backup-profiles'), { recursive: true });
  await writeFile(userProfilePath(dataDir, 'bench-unit'), JSON.stringify(profile));
  const cli = (...args: string[]): Promise<{ code: number; peakMiB: number }> =>
    new Promise((resolve, reject) => {
      const argv = [process.execPath, BIN, ...args, '--data-dir', dataDir];
      const child = spawn(TIME ?? argv[0]!, TIME === null ? argv.slice(1) : ['-f', 'peak-kib %M', ...argv], {
        env: { ...process.env, OHTW_PASSPHRASE: PASSPHRASE },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        resolve({ code: code ?? -1, peakMiB: Number(/peak-kib (\d+)/.exec(stderr)?.[1] ?? Number.NaN) / 1024 }),
      );
    });
  const add = ['units', 'add', 'bench-unit', '--host', sshd.host, '--port', String(sshd.port), '--user', sshd.user];
  await cli(...add, '--key', sshd.clientKeyPath);
  await cli('units', 'trust', 'bench-unit', '--fingerprint', sshd.hostKeyFingerprint);
  const started = performance.now();
  const run = await cli('backup', 'bench-unit', '--full');
  const ms = performance.now() - started;
  if (run.code !== 0) {
    throw new Error('ohtw backup failed');
  }
  // The same process doing nothing but list: what node, tsx's compile and the core take before any backup.
  const idle = await cli('backups', 'list');
  return { ms, peakMiB: run.peakMiB, idleMiB: idle.peakMiB };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const f0 = (n: number): string => n.toFixed(0);

async function measureTree(sshd: SshdFixture, work: string, name: string, files: TreeFile[]): Promise<void> {
  const base = join(sshd.vehicleDir, name.replace(/\W+/g, '-'));
  await createTree(base, files);
  await createBackendDatabase(base, 20_000);
  const profile = await profileUnder(base);
  const roots = await tarRoots(profile);
  const rows = {
    tar: [] as number[],
    first: [] as number[],
    whole: [] as number[],
    again: [] as number[],
    peak: [] as number[],
  };
  let summary = { files: 0, bytes: 0, stored: 0, tarBytes: 0, reused: 0, againNew: 0 };
  for (let round = 1; round <= ROUNDS; round += 1) {
    const tar = await tarOverSsh(sshd, roots, join(work, 'unit.tgz'));
    const storeDir = join(work, `store-${round}`);
    const first = await backupInProcess(sshd, profile, storeDir, false);
    const again = await backupInProcess(sshd, profile, storeDir, true);
    const whole = await wholeCommand(sshd, profile, join(work, `cli-${round}`));
    rows.tar.push(tar.ms);
    rows.first.push(first.ms);
    rows.again.push(again.ms);
    rows.whole.push(whole.ms);
    rows.peak.push(whole.peakMiB);
    summary = {
      files: first.summary.files,
      bytes: first.summary.bytes,
      stored: first.summary.storedBytes,
      tarBytes: tar.bytes,
      reused: again.reused,
      againNew: again.summary.newBytes,
    };
    await rm(storeDir, { recursive: true, force: true });
    console.log(
      `  ${name}, round ${round}: tar czf | ssh ${f0(tar.ms)} ms; backup ${f0(first.ms)} ms; ohtw backup --full ${f0(whole.ms)} ms; unchanged re-backup ${f0(again.ms)} ms`,
    );
  }
  const [tar, first, whole, again] = [median(rows.tar), median(rows.first), median(rows.whole), median(rows.again)];
  // Each round's backup against the same round's tar: the load other work puts on a shared machine moves both.
  const ratio = (times: number[]): number => median(times.map((ms, i) => ms / (rows.tar[i] ?? ms)));
  const best = (times: number[]): string => `best ${f0(Math.min(...times))} ms`;
  const mib = summary.bytes / 1024 / 1024;
  console.log(`${name}: ${summary.files} entries, ${mib.toFixed(1)} MiB (medians; ratios are medians of each round's)`);
  console.log(
    `  (a) ssh 'sudo tar czf -' > file:  ${f0(tar)} ms, ${best(rows.tar)} (${(summary.tarBytes / 1024 / 1024).toFixed(1)} MiB gzip)`,
  );
  console.log(
    `  (b) first backup:                 ${f0(first)} ms, ${best(rows.first)} = ${ratio(rows.first).toFixed(2)} × tar (${(summary.stored / 1024 / 1024).toFixed(1)} MiB stored)`,
  );
  console.log(
    `      whole ohtw backup --full:     ${f0(whole)} ms, ${best(rows.whole)} = ${ratio(rows.whole).toFixed(2)} × tar, peak RSS ${f0(Math.max(...rows.peak))} MiB`,
  );
  console.log(
    `  (c) unchanged re-backup:          ${f0(again)} ms, ${best(rows.again)} = ${(100 * ratio(rows.again)).toFixed(0)} % of tar (${summary.reused} files reused, ${summary.againNew} bytes new)`,
  );
  console.log('');
}

async function largeUnit(sshd: SshdFixture, work: string, mib: number): Promise<void> {
  const base = join(sshd.vehicleDir, 'large-unit');
  await createTree(base, standardTree('large-unit'));
  await mkdir(join(base, 'opt/oht50/data'), { recursive: true });
  await pipeline(
    Readable.from(
      (function* () {
        for (let i = 0; i < mib; i += 1) {
          yield i % 2 === 0 ? randomBytes(1024 * 1024) : Buffer.alloc(1024 * 1024, i % 251);
        }
      })(),
    ),
    createWriteStream(join(base, 'opt/oht50/data/large.bin')),
  );
  const profile = await profileUnder(base);
  const tar = await tarOverSsh(sshd, await tarRoots(profile), join(work, 'large.tgz'));
  await rm(join(work, 'large.tgz'), { force: true });
  const whole = await wholeCommand(sshd, profile, join(work, 'cli-large'));
  console.log(
    `large unit (a ${mib} MiB file): tar czf | ssh ${f0(tar.ms)} ms; ohtw backup --full ${f0(whole.ms)} ms = ${(whole.ms / tar.ms).toFixed(2)} × tar; peak RSS of ohtw backup ${f0(whole.peakMiB)} MiB (ohtw backups list: ${f0(whole.idleMiB)} MiB; the key's scrypt, N = 2^17 and r = 8, takes 128 MiB for a moment)`,
  );
}

/** The machine's load average: on a shared machine, other work slows every figure. */
function load(): string {
  return `load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`;
}

async function main(): Promise<void> {
  const sshd = await startSshd();
  const work = await mkdtemp(join(tmpdir(), 'ohtw-bench-backup-'));
  try {
    console.log(
      `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}; medians of ${ROUNDS} rounds; ${load()}\n`,
    );
    const unit = [...standardTree('bench-unit'), ...dataFiles(8)];
    await measureTree(sshd, work, 'small unit', unit);
    await measureTree(sshd, work, '20,000 small files', [
      ...standardTree('bench-small'),
      ...dataFiles(4),
      ...smallFiles(20_000),
    ]);
    console.log(`peak resident memory of this process during the backups: ${f0(peakRss / 1024 / 1024)} MiB`);
    if (LARGE_MIB > 0) {
      await largeUnit(sshd, work, LARGE_MIB);
    }
    console.log(load());
  } finally {
    await sshd.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
