/**
 * A site's backups at fleet scale, side by side in one run: N simulated units (default 50) that run the same release
 * (the same firmware binary and frontend, byte for byte) and differ in their own state (the backend's .env, a
 * system.yaml, a map, a SQLite database, a week of logs), backed up through the real path (`backup.run`: SSH, sudo
 * tar, SQLite's online backup, chunking, dedup, compression, packs) into one store.
 *   (a) one unit into a fresh store: its time and the store's size on disk;
 *   (b) all N units into another fresh store, `--parallel` at a time (the product's default, 4): total time, time per
 *       unit, the store's size, and what each unit added to it.
 * The units run in a process of their own (this file with --serve), so their SSH and tar work is not the workstation's.
 * Run: npx tsx bench/fleet-backups.ts [--units 50] [--parallel 4] [--firmware-mib 8] [--db-kib 1024] [--logs-mib 4]
 *      [--with-logs]   (logs are off in the default profile; --with-logs turns the profile's logs root on)
 * Prints figures and ratios; asserts nothing about absolute times.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import Database from 'better-sqlite3';

import type { BackupDetail, BackupRunResult } from '../shared/domain/backup';
import { backupStoreDir } from '../electron/core/backup/backupStoreFor';
import { createCore, type Core } from '../electron/core/createCore';
import { silentLogger } from '../electron/core/ports/Logger';
import { startSimFleet } from '../electron/sim/SimServer';
import type { SimVehicle } from '../electron/sim/SimVehicle';
import { startSimProcess, type SimUnitAddress } from './simProcess';

const ROOT = resolve(import.meta.dirname, '..');
const PASSPHRASE = 'bench passphrase';
const MIB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '50' },
    parallel: { type: 'string', default: '4' },
    'firmware-mib': { type: 'string', default: '8' },
    'frontend-mib': { type: 'string', default: '4' },
    'db-kib': { type: 'string', default: '1024' },
    'logs-mib': { type: 'string', default: '4' },
    'with-logs': { type: 'boolean', default: false },
    serve: { type: 'string' },
  },
});
const UNITS = Number(values.units);
const PARALLEL = Number(values.parallel);
const SIZES = {
  firmware: Number(values['firmware-mib']) * MIB,
  frontend: Number(values['frontend-mib']) * MIB,
  database: Number(values['db-kib']) * 1024,
  logs: Number(values['logs-mib']) * MIB,
};

const mib = (bytes: number): string => `${(bytes / MIB).toFixed(2)} MiB`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * A simulated file's bytes are the UTF-8 of its string: binary content is carried as one character per byte, so a
 * byte above 0x7f costs two on the wire. The sizes printed are the bytes the workstation read.
 */
const binary = (bytes: Buffer): string => bytes.toString('latin1');

/** The release every unit runs: a real ELF as the firmware (this node binary's first MiBs) and a JS frontend. */
async function sharedRelease(): Promise<Record<string, string>> {
  const firmware = (await readFile(process.execPath)).subarray(0, SIZES.firmware);
  const files: Record<string, string> = { '/opt/oht50/firmware/oht50_main': binary(firmware) };
  const textDir = join(ROOT, 'node_modules', 'typescript', 'lib');
  let total = 0;
  for (const name of (await readdir(textDir)).filter((n) => n.endsWith('.js')).sort()) {
    if (total >= SIZES.frontend) {
      break;
    }
    const text = (await readFile(join(textDir, name), 'utf8')).slice(0, SIZES.frontend - total);
    files[`/opt/oht50/frontend/assets/${name}`] = text;
    total += Buffer.byteLength(text);
  }
  files['/opt/oht50/VERSION'] = '2.4.1\n';
  return files;
}

/** The backend's database of one unit: telemetry, audit rows and positions of its own, about `SIZES.database`. */
function unitDatabase(unit: number): Buffer {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE telemetry (id INTEGER PRIMARY KEY, at TEXT, position REAL, speed REAL, current REAL, note TEXT);
           CREATE TABLE audit_logs (id INTEGER PRIMARY KEY, at TEXT, user TEXT, action TEXT);`);
  const telemetry = db.prepare('INSERT INTO telemetry (at, position, speed, current, note) VALUES (?, ?, ?, ?, ?)');
  const audit = db.prepare('INSERT INTO audit_logs (at, user, action) VALUES (?, ?, ?)');
  let seed = unit * 2_654_435_761;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  db.transaction(() => {
    for (let i = 0; ; i += 1) {
      const at = new Date(1_765_000_000_000 + unit * 7_919 + i * 1000).toISOString();
      telemetry.run(at, next() * 1000, next() * 3, next() * 12, i % 13 === 0 ? `dock ${i % 7} reached` : null);
      if (i % 50 === 0) {
        audit.run(at, `tech-${unit % 5}`, i % 100 === 0 ? 'estop.reset' : 'config.update');
        if ((db.prepare('PRAGMA page_count').pluck().get() as number) * 4096 >= SIZES.database) {
          break;
        }
      }
    }
  })();
  const bytes = db.serialize();
  db.close();
  return bytes;
}

/** A week of one unit's logs: lines with its own times, positions and values. */
function unitLogs(unit: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < SIZES.logs; i += 1) {
    const at = new Date(1_765_000_000_000 + unit * 3_571 + i * 997).toISOString();
    const line = `${at} INFO oht50_main[${1200 + unit}]: travel pos=${((i * 37 + unit * 11) % 100_000) / 100} speed=${((i * 13 + unit) % 300) / 100} current=${((i * 7 + unit * 3) % 1200) / 100} rfid=${(i * 31 + unit) % 64}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

/** What is a unit's own: settings, map, database and logs. */
function unitState(vehicle: SimVehicle, unit: number): Record<string, string> {
  const map = Array.from(
    { length: 600 },
    (_, i) => `{"id":${i},"x":${((i * 131 + unit * 17) % 5000) / 10},"y":${((i * 71 + unit * 29) % 3000) / 10}}`,
  );
  return {
    '/opt/oht50/config/system.yaml': `unit: ${vehicle.name}\nrs485:\n  port: /dev/ttyOHT485\n  baud: 115200\nsafety:\n  estop_timeout_ms: 100\nnetwork:\n  ip: 10.20.0.${unit + 10}\n`,
    '/opt/oht50/data/map.json': `{"map":"${vehicle.name}","nodes":[${map.join(',')}]}\n`,
    '/opt/oht50/backend/oht50.db': binary(unitDatabase(unit)),
    '/opt/oht50/logs/oht50.log': unitLogs(unit),
  };
}

/** --serve DIR: the simulated units, in this process, until SIGTERM. Prints their addresses as one JSON line. */
async function serve(stateDir: string): Promise<void> {
  const fleet = await startSimFleet({ count: UNITS, stateDir });
  const release = await sharedRelease();
  fleet.units.forEach((unit, i) => Object.assign(unit.vehicle.state.files, release, unitState(unit.vehicle, i + 1)));
  out(JSON.stringify(fleet.units.map(({ vehicle: _vehicle, password: _password, ...address }) => address)));
  process.on('SIGTERM', () => void fleet.close().then(() => process.exit(0)));
}

async function openWorkstation(dataDir: string, units: readonly SimUnitAddress[]): Promise<Core> {
  const core = await createCore({ dataDir, face: 'cli', logger: silentLogger, env: { OHTW_PASSPHRASE: PASSPHRASE } });
  for (const unit of units) {
    const added = await core.dispatch('units.add', {
      name: unit.name,
      host: '127.0.0.1',
      port: unit.port,
      user: unit.user,
      auth: { kind: 'key', keyPath: unit.clientKeyPath },
    });
    const trusted = await core.dispatch('units.trust', { name: unit.name, fingerprint: unit.hostKeyFingerprint });
    if (!added.ok || !trusted.ok) {
      throw new Error(`could not add ${unit.name}: ${JSON.stringify(added.ok ? trusted : added)}`);
    }
  }
  if (values['with-logs']) {
    const profile = JSON.parse(await readFile(join(ROOT, 'resources', 'backup', 'default-profile.json'), 'utf8')) as {
      roots: { id: string; enabled?: boolean }[];
    };
    profile.roots = profile.roots.map((root) => (root.id === 'logs' ? { ...root, enabled: true } : root));
    const set = await core.dispatch('backup.setProfile', { profile: profile as never });
    if (!set.ok) {
      throw new Error(`could not turn the logs on: ${JSON.stringify(set)}`);
    }
  }
  return core;
}

/** Bytes of every file below `dir`: the store as it sits on disk. */
async function sizeOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      total += (await stat(join(entry.parentPath, entry.name))).size;
    }
  }
  return total;
}

type Measured = { ms: number; storeBytes: number; result: BackupRunResult; largest: string };

async function backUp(units: readonly SimUnitAddress[]): Promise<Measured> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-bench-fleet-'));
  try {
    const core = await openWorkstation(dataDir, units);
    const t0 = performance.now();
    const ran = await core.dispatch('backup.run', { names: units.map((u) => u.name), concurrency: PARALLEL });
    const ms = performance.now() - t0;
    if (!ran.ok) {
      await core.close();
      throw new Error(`backup.run failed: ${JSON.stringify(ran.error)}`);
    }
    const run = ran.value as BackupRunResult;
    const detail = await core.dispatch('backup.get', { backupId: run.results[0]?.backupId ?? '' });
    await core.close();
    const largest = detail.ok
      ? [...(detail.value as BackupDetail).entries]
          .sort((a, b) => b.size - a.size)
          .slice(0, 4)
          .map((e) => `${e.path} ${kib(e.size)}`)
          .join(', ')
      : '?';
    const failed = run.results.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
      throw new Error(`${failed.length} backups failed, the first: ${JSON.stringify(failed[0]?.error)}`);
    }
    return { ms, storeBytes: await sizeOnDisk(backupStoreDir(dataDir)), result: run, largest };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const simDir = await mkdtemp(join(tmpdir(), 'ohtw-bench-fleet-sim-'));
  const load = loadavg().map((l) => l.toFixed(1));
  out(`${new Date().toISOString()}  load average ${load.join(' ')}  ${UNITS} units, ${PARALLEL} at a time`);
  const sim = await startSimProcess(
    ['--import', 'tsx', import.meta.filename, '--serve', simDir, ...process.argv.slice(2)],
    'the simulated units',
  );
  try {
    const first = sim.units.slice(0, 1);
    // Warm-up, untimed: the first SSH connection and the first store pay for cold caches.
    await backUp(first);
    const one = await backUp(first);
    const fleet = await backUp(sim.units);
    const oneAgain = await backUp(first);
    const oneMs = (one.ms + oneAgain.ms) / 2;
    const unit = one.result.results[0];
    out(`one unit reads ${mib(unit?.bytes ?? 0)} in ${unit?.files ?? 0} entries`);
    out('');
    out(`                         one unit        ${String(UNITS).padStart(2)} units         ratio`);
    out(
      `store on disk          ${mib(one.storeBytes).padStart(12)}  ${mib(fleet.storeBytes).padStart(12)}  ${(fleet.storeBytes / one.storeBytes).toFixed(2)}×`,
    );
    out(
      `backup.run, total      ${secs(oneMs).padStart(12)}  ${secs(fleet.ms).padStart(12)}  ${(fleet.ms / oneMs).toFixed(2)}×   (one unit: the mean of a run before and after)`,
    );
    out(
      `per unit (total / N)   ${secs(oneMs).padStart(12)}  ${secs(fleet.ms / UNITS).padStart(12)}  ${(fleet.ms / UNITS / oneMs).toFixed(2)}×`,
    );
    out(
      `a unit's own duration  ${secs(unit?.durationMs ?? 0).padStart(12)}  ${secs(median(fleet.result.results.map((r) => r.durationMs))).padStart(12)}  (median; ${PARALLEL} share the machine)`,
    );
    out('');
    // Which unit stores a chunk that several read at once is a race; the sums are not.
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const newAll = sum(fleet.result.results.map((r) => r.newBytes));
    const writtenAll = sum(fleet.result.results.map((r) => r.storedBytes));
    out(
      `new content: one unit ${mib(unit?.newBytes ?? 0)} of ${mib(unit?.bytes ?? 0)} read; ${UNITS} units ${mib(newAll)} of ${mib(sum(fleet.result.results.map((r) => r.bytes)))} read`,
    );
    out(
      `  beyond one unit's, per other unit: new content ${kib((newAll - (unit?.newBytes ?? 0)) / (UNITS - 1))}, written ${kib((writtenAll - (unit?.storedBytes ?? 0)) / (UNITS - 1))}, store on disk ${kib((fleet.storeBytes - one.storeBytes) / (UNITS - 1))}`,
    );
    out(`  one unit's largest files, as read: ${one.largest}`);
  } finally {
    await sim.stop();
    await rm(simDir, { recursive: true, force: true });
  }
}

if (values.serve !== undefined) {
  await serve(values.serve);
} else {
  await main();
}
