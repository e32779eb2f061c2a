import { appendFile, chmod, chown, copyFile, mkdir, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';

import { run } from './run';
import { SERVICE_USER } from './users';

/** The scripts in vehicle-bin/ stand in for the vehicle's own tools; each sshd gets its own copy and state. */
const VEHICLE_BIN = fileURLToPath(new URL('./vehicle-bin/', import.meta.url));

/** A journal line: a message (priority info, now), or with priority (0 emerg … 7 debug), identifier, PID, time. */
export type FakeJournalLine =
  string | { message: string; priority?: number; identifier?: string; pid?: number; atMs?: number };

export type FakeVehicle = {
  dir: string;
  setService(unit: string, props: Record<string, string> | null): Promise<void>;
  /** Appends entries to the unit's journal (a bare name means .service), read by the fake journalctl. */
  appendJournal(unit: string, lines: readonly FakeJournalLine[]): Promise<void>;
  /** Where the fake E-Stop input lives: point a unit's profile estopGpioPath here. */
  estopGpioPath: string;
  /** "0" pressed (active-low), "1" released, null: the input is not exported (no such file). */
  setEstopPin(value: '0' | '1' | null): Promise<void>;
  /** The vehicle's install folder (<dir>/opt/oht50): point a unit's profile installDir here. */
  installDir: string;
  /** The backend's configuration file (<installDir>/backend/.env), written at start. */
  envFilePath: string;
  /**
   * Makes the backend folder what it is on a vehicle: `750 oht:oht`, the database `640` and the .env `600`, so the
   * login user cannot even see inside; `false` opens it to everyone again.
   */
  lockBackendFolder(locked: boolean): Promise<void>;
  /** Writes a real SQLite backend database at <installDir>/backend/oht50.db; returns its path. */
  createDatabase(): Promise<string>;
  /** Overwrites one page in the middle of the database with zeros, as a power cut during a write can. */
  corruptDatabase(): Promise<void>;
  /** The fake date runs this many seconds ahead (negative: behind) of the real clock; null: the real clock. */
  setClockOffset(seconds: number | null): Promise<void>;
  /** The vehicle lacks `tool`: running it prints dash's "not found" and exits 127, even where the machine has it. */
  hideTool(tool: string): Promise<void>;
  /** Undoes hideTool: the fake tool (from vehicle-bin) or the machine's own one runs again. */
  restoreTool(tool: string): Promise<void>;
};

async function serviceAccount(): Promise<{ uid: number; gid: number }> {
  const fields = (await run('getent', ['passwd', SERVICE_USER])).trim().split(':');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
    throw error;
  }
}

/** Same rule as the fake systemctl: a bare name is a service. */
function unitFileName(unit: string): string {
  if (!/^[A-Za-z0-9@._:-]+$/.test(unit) || unit.startsWith('.')) {
    throw new Error(`invalid unit name: ${unit}`);
  }
  return /\.(service|socket|timer|target|mount|path|slice|scope|device|swap)$/.test(unit) ? unit : `${unit}.service`;
}

function unitFileText(props: Record<string, string>): string {
  return Object.entries(props)
    .map(([key, value]) => {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) || /[\r\n]/.test(value)) {
        throw new Error(`invalid unit property ${JSON.stringify(key)}=${JSON.stringify(value)}`);
      }
      return `${key}=${value}\n`;
    })
    .join('');
}

function journalText(lines: readonly FakeJournalLine[]): string {
  return lines
    .map((line) => {
      const entry = typeof line === 'string' ? { message: line } : line;
      const atUs = Math.round((entry.atMs ?? Date.now()) * 1000);
      // One entry per line, tab-separated: a message's own tabs and newlines would break the format.
      const message = entry.message.replace(/[\t\r\n]+/g, ' ');
      return `${atUs}\t${entry.priority ?? 6}\t${entry.identifier ?? 'uvicorn'}\t${entry.pid ?? 812}\t${message}\n`;
    })
    .join('');
}

const TOOL_NAME = /^[A-Za-z0-9._-]+$/;

/** Installs the fake tools under `dir`, readable and runnable by the test accounts. */
export async function createFakeVehicle(dir: string): Promise<FakeVehicle> {
  const bin = join(dir, 'bin');
  const units = join(dir, 'units');
  const journal = join(dir, 'journal');
  const gpio = join(dir, 'gpio59');
  const installDir = join(dir, 'opt', 'oht50');
  const databasePath = join(installDir, 'backend', 'oht50.db');
  const envFilePath = join(installDir, 'backend', '.env');
  await mkdir(bin, { recursive: true, mode: 0o755 });
  await mkdir(units, { recursive: true, mode: 0o755 });
  await mkdir(journal, { recursive: true, mode: 0o755 });
  await mkdir(gpio, { recursive: true, mode: 0o755 });
  await mkdir(join(installDir, 'backend'), { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
  await writeFile(envFilePath, 'JWT_SECRET=fake-vehicle-not-a-secret\nFIRMWARE_URL=http://localhost:8081\n', {
    mode: 0o644,
  });
  for (const name of await readdir(VEHICLE_BIN)) {
    await copyFile(join(VEHICLE_BIN, name), join(bin, name));
    await chmod(join(bin, name), 0o755);
  }
  return {
    dir,
    async setService(unit, props) {
      const path = join(units, unitFileName(unit));
      if (props === null) {
        await rm(path, { force: true });
        return;
      }
      // Written aside and renamed, so a command running on the vehicle never reads half a unit.
      const draft = `${path}.draft`;
      await writeFile(draft, unitFileText(props), { mode: 0o644 });
      await rename(draft, path);
    },
    async appendJournal(unit, lines) {
      await appendFile(join(journal, `${unitFileName(unit)}.log`), journalText(lines), { mode: 0o644 });
    },
    estopGpioPath: join(gpio, 'value'),
    async setEstopPin(value) {
      const path = join(gpio, 'value');
      if (value === null) {
        await rm(path, { force: true });
        return;
      }
      await writeFile(path, `${value}\n`, { mode: 0o644 });
    },
    installDir,
    envFilePath,
    async lockBackendFolder(locked) {
      const backend = join(installDir, 'backend');
      const { uid, gid } = locked ? await serviceAccount() : { uid: 0, gid: 0 };
      for (const [path, mode] of [
        [backend, locked ? 0o750 : 0o755],
        [databasePath, locked ? 0o640 : 0o644],
        [envFilePath, locked ? 0o600 : 0o644],
      ] as const) {
        await chown(path, uid, gid).catch(ignoreMissing);
        await chmod(path, mode).catch(ignoreMissing);
      }
    },
    async createDatabase() {
      await rm(databasePath, { force: true });
      const db = new Database(databasePath);
      try {
        db.exec(`
          CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, role TEXT NOT NULL);
          CREATE TABLE audit_logs (id INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL);
          CREATE TABLE telemetry_samples (id INTEGER PRIMARY KEY, at TEXT NOT NULL, module INTEGER, value REAL);
          CREATE INDEX telemetry_at ON telemetry_samples (at);
        `);
        db.prepare('INSERT INTO users (username, role) VALUES (?, ?)').run('admin', 'administrator');
        const sample = db.prepare('INSERT INTO telemetry_samples (at, module, value) VALUES (?, ?, ?)');
        db.transaction(() => {
          for (let i = 0; i < 3000; i += 1) {
            sample.run(new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), 2 + (i % 4), 24 + (i % 10) / 10);
          }
        })();
      } finally {
        db.close();
      }
      await chmod(databasePath, 0o644);
      return databasePath;
    },
    async corruptDatabase() {
      const file = await open(databasePath, 'r+');
      try {
        // Page 3 of 4 KiB pages: a b-tree page the tables and the index run through.
        await file.write(Buffer.alloc(4096), 0, 4096, 2 * 4096);
      } finally {
        await file.close();
      }
    },
    async setClockOffset(seconds) {
      const path = join(dir, 'clock-offset');
      if (seconds === null) {
        await rm(path, { force: true });
        return;
      }
      await writeFile(path, `${seconds}\n`, { mode: 0o644 });
    },
    async hideTool(tool) {
      if (!TOOL_NAME.test(tool)) {
        throw new Error(`invalid tool name: ${tool}`);
      }
      const shim = `#!/bin/sh\n# ${tool} is not installed on this fake vehicle.\necho "sh: 1: ${tool}: not found" >&2\nexit 127\n`;
      await writeFile(join(bin, tool), shim, { mode: 0o755 });
      await chmod(join(bin, tool), 0o755);
    },
    async restoreTool(tool) {
      if (!TOOL_NAME.test(tool)) {
        throw new Error(`invalid tool name: ${tool}`);
      }
      if ((await readdir(VEHICLE_BIN)).includes(tool)) {
        await copyFile(join(VEHICLE_BIN, tool), join(bin, tool));
        await chmod(join(bin, tool), 0o755);
      } else {
        await rm(join(bin, tool), { force: true });
      }
    },
  };
}
