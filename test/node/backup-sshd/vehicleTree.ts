import { createHash } from 'node:crypto';
import { chmod, lchown, lstat, lutimes, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import Database from 'better-sqlite3';

import type { BackupProfile } from '../../../shared/domain/backup';
import { parseBackupProfile, shippedBackupProfilePath } from '../../../electron/core/backup/profile/backupProfiles';
import { RESOURCES_DIR } from '../../support/appLayout';

/**
 * A unit's state laid out inside the fake vehicle folder as the default profile expects it under `/`, with owners and
 * modes a real unit has (root-only files, a service user's files, set-id bits), created as root.
 */

export type TreeFile = {
  /** The path on a real unit, e.g. /opt/oht50/backend/.env; it lands at <base><path>. */
  path: string;
  content?: string | Buffer;
  type?: 'file' | 'dir' | 'symlink';
  target?: string;
  mode?: number;
  uid?: number;
  gid?: number;
};

/** 2 MiB of firmware every unit of the test fleet shares (the same release on every vehicle). */
export const FIRMWARE = Buffer.from(Array.from({ length: 2 * 1024 * 1024 }, (_, i) => (i * 2654435761) >>> 24));

export function standardTree(unitNote: string): TreeFile[] {
  return [
    { path: '/opt/oht50', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 },
    { path: '/opt/oht50/config', type: 'dir', mode: 0o750, uid: 1001, gid: 1001 },
    {
      path: '/opt/oht50/config/system.yaml',
      content: `unit: ${unitNote}\ncenter: 10.0.0.5\n`,
      mode: 0o640,
      uid: 1001,
      gid: 1001,
    },
    { path: '/opt/oht50/backend', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 },
    {
      path: '/opt/oht50/backend/.env',
      content: `SECRET_KEY=${unitNote}-secret\nDB=./oht50.db\n`,
      mode: 0o600,
      uid: 0,
      gid: 0,
    },
    { path: '/opt/oht50/firmware', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: '/opt/oht50/firmware/build', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: '/opt/oht50/firmware/build/oht50_main', content: FIRMWARE, mode: 0o4755, uid: 0, gid: 0 },
    { path: '/opt/oht50/firmware/current', type: 'symlink', target: 'build/oht50_main', uid: 0, gid: 0 },
    {
      path: '/opt/oht50/firmware/modules.yaml',
      content: 'modules:\n  - {address: 2, type: power}\n',
      mode: 0o644,
      uid: 4321,
      gid: 4322,
    },
    { path: '/opt/oht50/VERSION', content: '2.4.1\n', mode: 0o644, uid: 0, gid: 0 },
    { path: '/opt/oht50/logs', type: 'dir', mode: 0o755, uid: 1001, gid: 1001 },
    { path: '/opt/oht50/logs/oht50.log', content: 'a log line nobody needs back\n', mode: 0o644, uid: 1001, gid: 1001 },
    { path: '/etc/oht50', type: 'dir', mode: 0o750, uid: 0, gid: 20 },
    {
      path: '/etc/oht50/safety_config.yaml',
      content: `estop_timeout_ms: 100\n# ${unitNote}\n`,
      mode: 0o640,
      uid: 0,
      gid: 20,
    },
    { path: '/etc/oht50/private', type: 'dir', mode: 0o700, uid: 0, gid: 0 },
    { path: '/etc/oht50/private/wifi.key', content: 'psk=not-for-everyone\n', mode: 0o400, uid: 0, gid: 0 },
    { path: '/etc/systemd/system', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    {
      path: '/etc/systemd/system/oht50-backend.service',
      content: '[Service]\nUser=oht\n',
      mode: 0o644,
      uid: 0,
      gid: 0,
    },
    {
      path: '/etc/systemd/system/oht50-firmware.service',
      content: '[Service]\nUser=root\n',
      mode: 0o644,
      uid: 0,
      gid: 0,
    },
    { path: '/etc/systemd/system/ssh.service', content: '[Service]\n', mode: 0o644, uid: 0, gid: 0 },
    { path: '/etc/udev/rules.d', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    {
      path: '/etc/udev/rules.d/99-oht50-rs485.rules',
      content: 'KERNEL=="ttyS1", SYMLINK+="ttyOHT485", MODE="0666"\n',
      mode: 0o644,
      uid: 0,
      gid: 0,
    },
    { path: '/boot', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: '/boot/orangepiEnv.txt', content: 'overlays=uart1-m1\n', mode: 0o755, uid: 0, gid: 0 },
  ];
}

/** When a unit's files were last changed: long before any backup a test takes, as on a vehicle in service. */
export const TREE_MTIME = new Date('2026-01-15T06:00:00Z');

/** Creates `files` under `base` (parents made as needed), each with its exact owner and mode. */
export async function createTree(base: string, files: readonly TreeFile[]): Promise<void> {
  await mkdir(base, { recursive: true, mode: 0o755 });
  for (const file of files) {
    const at = join(base, file.path);
    await mkdir(dirname(at), { recursive: true, mode: 0o755 });
    const type = file.type ?? 'file';
    if (type === 'dir') {
      await mkdir(at, { recursive: true });
    } else if (type === 'symlink') {
      await symlink(file.target ?? '', at);
    } else {
      await writeFile(at, file.content ?? '');
    }
    await lchown(at, file.uid ?? 0, file.gid ?? 0);
    if (type !== 'symlink') {
      // After chown: chown clears the set-id bits.
      await chmod(at, file.mode ?? 0o644);
    }
  }
  // Last, deepest first: creating a child changes its folder's time.
  for (const file of [...files].reverse()) {
    await lutimes(join(base, file.path), TREE_MTIME, TREE_MTIME);
  }
}

/** Writes a backend database at <base>/opt/oht50/backend/oht50.db owned by the service user; returns its path. */
export async function createBackendDatabase(base: string, rows = 2000): Promise<string> {
  const path = join(base, 'opt/oht50/backend/oht50.db');
  const db = new Database(path);
  try {
    db.exec(`
      CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE);
      CREATE TABLE telemetry (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, value REAL NOT NULL);
      CREATE TABLE counter (id INTEGER PRIMARY KEY CHECK (id = 1), total INTEGER NOT NULL);
      INSERT INTO users (username) VALUES ('admin');
      INSERT INTO counter VALUES (1, 0);
    `);
    const insert = db.prepare('INSERT INTO telemetry (at, value) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i += 1) {
        insert.run(i, i / 10);
      }
      db.prepare('UPDATE counter SET total = ?').run(rows);
    })();
  } finally {
    db.close();
  }
  await lchown(path, 1001, 1001);
  await chmod(path, 0o640);
  return path;
}

/** The shipped default profile with every path moved under `base`, as the fake vehicle lays a unit out. */
export async function profileUnder(base: string, changes: Partial<BackupProfile> = {}): Promise<BackupProfile> {
  const file = shippedBackupProfilePath(RESOURCES_DIR);
  const shipped = parseBackupProfile(await readFile(file, 'utf8'), file);
  return {
    ...shipped,
    roots: shipped.roots.map((r) => ({ ...r, path: base + r.path, exclude: r.exclude.map((e) => base + e) })),
    databases: shipped.databases.map((d) => ({ ...d, path: base + d.path })),
    secrets: shipped.secrets.map((s) => (s.startsWith('/**/') ? s : base + s)),
    ...changes,
  };
}

/** What the disk says about a path, as a backup must record it. */
export async function onDisk(
  at: string,
): Promise<{ mode: number; uid: number; gid: number; type: string; sha256?: string }> {
  const s = await lstat(at);
  const type = s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'file';
  return {
    mode: s.mode & 0o7777,
    uid: s.uid,
    gid: s.gid,
    type,
    ...(type === 'file'
      ? {
          sha256: createHash('sha256')
            .update(await readFile(at))
            .digest('hex'),
        }
      : {}),
  };
}
