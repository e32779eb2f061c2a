/**
 * The local backup store against plain gzip on the same bytes, side by side in one run:
 * - ingest throughput (chunk, hash, compress, write, fsync) against node:zlib gzip at its default level, which is what
 *   `tar czf` spends on the same data, and against a bare SHA-256 read;
 * - the cost of a second backup of unchanged data against the first (time and new bytes);
 * - how many new bytes a changed SQLite database and a rebuilt firmware cost, for three chunk sizes;
 * - compression ratio and speed for zlib levels 1, 3 and 6 on the same data.
 * Run: npx tsx bench/backup-store.ts [--mb N]. Prints figures and ratios; asserts nothing about absolute times.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, deflateRawSync } from 'node:zlib';

import Database from 'better-sqlite3';

import type { BackupStore, FileEntryInput } from '../electron/core/backup/store/BackupStore';
import { Chunker, type ChunkerParams } from '../electron/core/backup/store/chunker';
import { staticKeyProvider } from '../electron/core/backup/store/keyProviders';
import { openBackupStore } from '../electron/core/backup/store/openBackupStore';
import { nodeStoreFs } from '../electron/core/backup/store/storeFs';
import { systemClock } from '../electron/core/ports/Clock';
import { silentLogger } from '../electron/core/ports/Logger';

const MB = 1024 * 1024;
const argMb = process.argv.indexOf('--mb');
const FIRMWARE_MB = argMb > 0 ? Number(process.argv[argMb + 1]) : 48;

type DataFile = { path: string; unitPath: string; size: number };

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function mbps(bytes: number, ms: number): string {
  return `${((bytes / MB) * 1000) / ms}`.slice(0, 6);
}

/** A vehicle-like tree: a firmware binary (a real ELF), a SQLite database, and a lot of text (configs, frontend). */
async function buildDataset(
  dir: string,
): Promise<{ files: DataFile[]; dbDaily: string; dbScattered: string; firmwareV2: string }> {
  const files: DataFile[] = [];
  const firmware = (await readFile(process.execPath)).subarray(0, FIRMWARE_MB * MB);
  const fwPath = join(dir, 'oht50_main');
  await writeFile(fwPath, firmware);
  files.push({ path: fwPath, unitPath: '/opt/oht50/firmware/oht50_main', size: firmware.length });

  const dbPath = join(dir, 'oht50.db');
  const db = new Database(dbPath);
  db.pragma('journal_mode = DELETE');
  db.exec('CREATE TABLE telemetry (id INTEGER PRIMARY KEY, at TEXT, unit TEXT, position REAL, speed REAL, note TEXT)');
  const insert = db.prepare('INSERT INTO telemetry (at, unit, position, speed, note) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 200_000; i += 1) {
      insert.run(
        new Date(1_760_000_000_000 + i * 1000).toISOString(),
        `unit-${i % 30}`,
        (i * 7.3) % 1000,
        (i * 1.7) % 3,
        i % 11 === 0 ? `dock ${i % 5} reached after ${i % 97} ms` : null,
      );
    }
  })();
  db.close();
  files.push({ path: dbPath, unitPath: '/opt/oht50/backend/oht50.db', size: (await stat(dbPath)).size });
  // The next day: rows appended and a few updated (what a unit's database does between backups), and a harsher
  // variant with updates scattered over every part of the file.
  const changed = async (name: string, updates: number): Promise<string> => {
    const path = join(dir, name);
    await copyFile(dbPath, path);
    const next = new Database(path);
    next.transaction(() => {
      const update = next.prepare('UPDATE telemetry SET speed = speed + 0.5 WHERE id = ?');
      for (let i = 0; i < updates; i += 1) {
        update.run(1 + ((i * 7919) % 200_000));
      }
      const add = next.prepare('INSERT INTO telemetry (at, unit, position, speed, note) VALUES (?, ?, ?, ?, ?)');
      for (let i = 0; i < 1000; i += 1) {
        add.run(new Date(1_770_000_000_000 + i * 1000).toISOString(), 'unit-7', i, 1, null);
      }
    })();
    next.close();
    return path;
  };
  const dbDaily = await changed('oht50.daily.db', 10);
  const dbScattered = await changed('oht50.scattered.db', 300);

  // A rebuilt firmware: a few bytes inserted in three places and a block changed (a relink with a small change).
  const fw2 = Buffer.concat([
    firmware.subarray(0, 1 * MB),
    Buffer.alloc(64, 1),
    firmware.subarray(1 * MB, 10 * MB),
    Buffer.alloc(48, 2),
    firmware.subarray(10 * MB, firmware.length - 4 * MB),
    Buffer.alloc(16, 3),
    firmware.subarray(firmware.length - 4 * MB),
  ]);
  fw2.fill(7, 20 * MB, 20 * MB + 1024);
  const firmwareV2 = join(dir, 'oht50_main.v2');
  await writeFile(firmwareV2, fw2);

  const textDir = join(import.meta.dirname, '..', 'node_modules', 'typescript', 'lib');
  for (const name of (await readdir(textDir)).filter((n) => n.endsWith('.js') || n.endsWith('.d.ts')).sort()) {
    const path = join(textDir, name);
    files.push({ path, unitPath: `/opt/oht50/frontend/${name}`, size: (await stat(path)).size });
  }
  return { files, dbDaily, dbScattered, firmwareV2 };
}

function entry(file: DataFile): FileEntryInput {
  return {
    path: file.unitPath,
    type: 'file',
    mode: 0o644,
    uid: 1000,
    gid: 1000,
    owner: 'orangepi',
    group: 'orangepi',
    mtimeMs: 0,
    size: file.size,
  };
}

async function backup(
  store: BackupStore,
  unit: string,
  files: DataFile[],
): Promise<{ ms: number; bytes: number; newBytes: number; storedBytes: number }> {
  const t0 = performance.now();
  const writer = await store.beginBackup({ unit, profile: { id: 'bench', version: 1 }, kind: 'backup' });
  for (const file of files) {
    await writer.addFile(entry(file), createReadStream(file.path, { highWaterMark: 256 * 1024 }));
  }
  const summary = await writer.commit();
  return {
    ms: performance.now() - t0,
    bytes: summary.bytes,
    newBytes: summary.newBytes,
    storedBytes: summary.storedBytes,
  };
}

async function gzipAll(files: DataFile[]): Promise<{ ms: number; out: number }> {
  const t0 = performance.now();
  let outBytes = 0;
  for (const file of files) {
    await pipeline(
      createReadStream(file.path, { highWaterMark: 256 * 1024 }),
      createGzip(),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          outBytes += chunk.length;
          done();
        },
      }),
    );
  }
  return { ms: performance.now() - t0, out: outBytes };
}

async function hashAll(files: DataFile[]): Promise<number> {
  const t0 = performance.now();
  for (const file of files) {
    const hash = createHash('sha256');
    for await (const part of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
      hash.update(part as Buffer);
    }
    hash.digest();
  }
  return performance.now() - t0;
}

function chunkIds(data: Buffer, params: ChunkerParams): Map<string, number> {
  const chunker = new Chunker(params);
  const ids = new Map<string, number>();
  const add = (c: Buffer): void => {
    ids.set(createHash('sha256').update(c).digest('hex'), c.length);
  };
  for (let i = 0; i < data.length; i += 256 * 1024) {
    chunker.push(data.subarray(i, i + 256 * 1024)).forEach(add);
  }
  const tail = chunker.finish();
  if (tail !== null) {
    add(tail);
  }
  return ids;
}

function newFraction(before: Buffer, after: Buffer, params: ChunkerParams): { fraction: number; chunks: number } {
  const known = chunkIds(before, params);
  const next = chunkIds(after, params);
  let fresh = 0;
  for (const [id, size] of next) {
    if (!known.has(id)) {
      fresh += size;
    }
  }
  return { fraction: fresh / after.length, chunks: next.size };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'ohtw-bench-store-'));
  try {
    const { files, dbDaily, dbScattered, firmwareV2 } = await buildDataset(join(root));
    const total = files.reduce((n, f) => n + f.size, 0);
    out(
      `data set: ${files.length} files, ${(total / MB).toFixed(1)} MB (firmware ${FIRMWARE_MB} MB ELF, SQLite database, text)`,
    );
    await hashAll(files); // warm the page cache so every contender reads from memory

    const hashMs = await hashAll(files);
    const gzip = await gzipAll(files);
    const store = await openBackupStore({
      dir: join(root, 'store'),
      clock: systemClock,
      logger: silentLogger,
      keyProvider: staticKeyProvider(null),
    });
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    const first = await backup(store, 'unit-01', files);
    clearInterval(sampler);
    const second = await backup(store, 'unit-01', files);
    // The same ingest with fsync skipped (packs included): not something the store does, only to show what
    // durability costs here.
    const unsynced = await openBackupStore({
      dir: join(root, 'store-nosync'),
      clock: systemClock,
      logger: silentLogger,
      keyProvider: staticKeyProvider(null),
      fs: {
        ...nodeStoreFs,
        async writeFileDurable(path, data) {
          const handle = await open(path, 'wx');
          try {
            for (const part of data instanceof Uint8Array ? [data] : data) {
              await handle.write(part);
            }
          } finally {
            await handle.close();
          }
        },
        async createAppendable(path) {
          const handle = await open(path, 'wx');
          return {
            append: async (data) => void (await handle.write(data)),
            syncAndClose: () => handle.close(),
            discard: async () => {
              await handle.close().catch(() => undefined);
              await rm(path, { force: true });
            },
          };
        },
        fsyncDir: () => Promise.resolve(),
      },
    });
    const gzipAgain = await gzipAll(files);
    const noSync = await backup(unsynced, 'unit-01', files);
    await unsynced.close();
    await rm(join(root, 'store-nosync'), { recursive: true, force: true });
    const otherUnit = await backup(store, 'unit-02', files);
    const stats = await store.stats();

    out('');
    out('ingest (same bytes, page cache warm)                  MB/s     output');
    out(`  sha256 only                                         ${mbps(total, hashMs).padEnd(8)} -`);
    out(
      `  node:zlib gzip, default level (what tar czf does)    ${mbps(total, gzip.ms).padEnd(8)} ${(gzip.out / MB).toFixed(1)} MB`,
    );
    out(
      `  store, first backup (chunk+hash+deflate+fsync)       ${mbps(total, first.ms).padEnd(8)} ${(first.storedBytes / MB).toFixed(1)} MB`,
    );
    out(`  ratio store/gzip throughput: ${(gzip.ms / first.ms).toFixed(2)}  (>1: the store is faster)`);
    out(
      `  without fsync (not done by the store; shows what durability costs): store/gzip ${(gzipAgain.ms / noSync.ms).toFixed(2)}`,
    );
    out(`  ratio store/gzip output size: ${(first.storedBytes / gzip.out).toFixed(2)}`);
    out(
      `  peak RSS growth during the first backup: ${((rssPeak - rssBefore) / MB).toFixed(1)} MB for ${(total / MB).toFixed(1)} MB ingested (largest file ${(Math.max(...files.map((f) => f.size)) / MB).toFixed(1)} MB)`,
    );
    out('');
    out('second backup of unchanged data');
    out(`  time second/first: ${(second.ms / first.ms).toFixed(3)}   new bytes: ${second.newBytes} of ${second.bytes}`);
    out(
      `  same data from another unit: time ratio ${(otherUnit.ms / first.ms).toFixed(3)}, new bytes ${otherUnit.newBytes}`,
    );
    out(
      `  store after 3 backups: logical ${(stats.logicalBytes / MB).toFixed(1)} MB, on disk ${(stats.storedBytes / MB).toFixed(1)} MB (${(stats.logicalBytes / stats.storedBytes).toFixed(2)}x), ${stats.chunks} chunks`,
    );

    const dbA = await readFile(files[1]?.path ?? '');
    const dbB = await readFile(dbDaily);
    const dbC = await readFile(dbScattered);
    const fwA = await readFile(files[0]?.path ?? '');
    const fwB = await readFile(firmwareV2);
    out('');
    out(`database ${(dbA.length / MB).toFixed(1)} MB; daily: 1000 rows appended, 10 updated; scattered: 300 updated`);
    out(
      'new bytes after a change, by chunk size (min/avg/max KiB)   db daily   db scattered   firmware   chunks/100 MB',
    );
    for (const avg of [64, 128, 256, 1024]) {
      const params = { minSize: (avg / 4) * 1024, avgSize: avg * 1024, maxSize: avg * 4 * 1024 };
      const d = newFraction(dbA, dbB, params);
      const sc = newFraction(dbA, dbC, params);
      const f = newFraction(fwA, fwB, params);
      const per100 = Math.round((f.chunks * 100 * MB) / fwB.length);
      const pct = (x: number): string => `${(x * 100).toFixed(1).padStart(5)} %`;
      out(
        `  ${`${avg / 4}/${avg}/${avg * 4}`.padEnd(56)} ${pct(d.fraction)}   ${pct(sc.fraction)}        ${pct(f.fraction)}    ${per100}`,
      );
    }

    out('');
    out('first-backup ingest by chunk size, each next to a gzip run of the same bytes (the machine may be busy)');
    out('  min/avg/max KiB     store MB/s   gzip MB/s   store/gzip throughput   chunk files');
    for (const avg of [64, 128, 256]) {
      const chunker = { minSize: (avg / 4) * 1024, avgSize: avg * 1024, maxSize: avg * 4 * 1024 };
      const g = await gzipAll(files);
      const s2 = await openBackupStore({
        dir: join(root, `store-${avg}`),
        clock: systemClock,
        logger: silentLogger,
        keyProvider: staticKeyProvider(null),
        chunker,
      });
      const r = await backup(s2, 'unit-01', files);
      const chunks = (await s2.stats()).chunks;
      await s2.close();
      await rm(join(root, `store-${avg}`), { recursive: true, force: true });
      out(
        `  ${`${avg / 4}/${avg}/${avg * 4}`.padEnd(19)} ${mbps(total, r.ms).padEnd(12)} ${mbps(total, g.ms).padEnd(11)} ${(g.ms / r.ms).toFixed(2).padEnd(23)} ${chunks}`,
      );
    }

    out('');
    out('zlib level on 256 KiB chunks of the data set          ratio    MB/s');
    const sample = Buffer.concat([
      fwA.subarray(0, 16 * MB),
      dbA.subarray(0, 8 * MB),
      await readFile(files[2]?.path ?? ''),
    ]);
    for (const level of [1, 3, 6]) {
      const t0 = performance.now();
      let outBytes = 0;
      for (let i = 0; i < sample.length; i += 256 * 1024) {
        outBytes += deflateRawSync(sample.subarray(i, i + 256 * 1024), { level }).length;
      }
      const ms = performance.now() - t0;
      out(
        `  level ${level}                                              ${(sample.length / outBytes).toFixed(2).padEnd(8)} ${mbps(sample.length, ms)}`,
      );
    }
    await store.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
