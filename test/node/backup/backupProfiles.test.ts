import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BackupProfileSchema } from '../../../shared/domain/backup';
import {
  globToRegExp,
  isUnder,
  loadBackupProfile,
  parseBackupProfile,
  saveBackupProfile,
  secretMatcher,
  servicesForPaths,
  shippedBackupProfilePath,
  userProfilePath,
} from '../../../electron/core/backup/profile/backupProfiles';
import { backupScript } from '../../../electron/core/backup/remote/backupScript';
import { RESOURCES_DIR } from '../../support/appLayout';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ohtw-profile-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the backup profile', () => {
  it('ships the unit state the vehicle facts name, logs off, the .env and keys secret', async () => {
    const { profile, source } = await loadBackupProfile(dataDir, undefined, RESOURCES_DIR);
    expect(source).toBe('shipped');
    const roots = new Map(profile.roots.map((r) => [r.path, r]));
    for (const path of [
      '/opt/oht50/config',
      '/opt/oht50/data',
      '/opt/oht50/backend/.env',
      '/opt/oht50/firmware',
      '/opt/oht50/frontend',
      '/opt/oht50/VERSION',
      '/etc/oht50',
      '/etc/systemd/system/oht50*.service',
      '/etc/udev/rules.d/99-oht50-rs485.rules',
      '/boot/orangepiEnv.txt',
    ]) {
      expect(roots.get(path)?.enabled, path).toBe(true);
    }
    expect(roots.get('/opt/oht50/logs')?.enabled).toBe(false);
    expect(profile.databases.map((d) => d.path)).toEqual(['/opt/oht50/backend/oht50.db']);
    const secret = secretMatcher(profile.secrets);
    expect(secret('/opt/oht50/backend/.env')).toBe(true);
    expect(secret('/etc/oht50/wifi.conf')).toBe(true);
    expect(secret('/opt/oht50/config/certs/server.key')).toBe(true);
    expect(secret('/opt/oht50/config/system.yaml')).toBe(false);
  });

  it('names the services to restart for changed paths, globbed roots and the database included', async () => {
    const { profile } = await loadBackupProfile(dataDir, undefined, RESOURCES_DIR);
    expect(servicesForPaths(profile, ['/opt/oht50/backend/.env'])).toEqual(['oht50-backend']);
    expect(servicesForPaths(profile, ['/opt/oht50/backend/oht50.db'])).toEqual(['oht50-backend']);
    expect(servicesForPaths(profile, ['/etc/oht50/modules.yaml', '/opt/oht50/VERSION'])).toEqual([
      'oht50-firmware',
      'oht50',
    ]);
    expect(servicesForPaths(profile, ['/boot/orangepiEnv.txt'])).toEqual([]);
    expect(isUnder('/etc/systemd/system/oht50-backend.service', '/etc/systemd/system/oht50*.service')).toBe(true);
    expect(isUnder('/etc/systemd/system/ssh.service', '/etc/systemd/system/oht50*.service')).toBe(false);
    expect(isUnder('/opt/oht50/configx', '/opt/oht50/config')).toBe(false);
  });

  it('prefers a unit copy to the fleet copy to the shipped file, and resets back', async () => {
    const shipped = await loadBackupProfile(dataDir, 'unit-7', RESOURCES_DIR);
    const edited = {
      ...shipped.profile,
      version: 2,
      roots: shipped.profile.roots.map((r) => ({ ...r, enabled: true })),
    };
    const fleet = await saveBackupProfile(dataDir, undefined, edited, RESOURCES_DIR);
    expect(fleet).toMatchObject({ source: 'fleet', path: userProfilePath(dataDir, undefined) });
    expect((await loadBackupProfile(dataDir, 'unit-7', RESOURCES_DIR)).source).toBe('fleet');
    await saveBackupProfile(dataDir, 'unit-7', { ...edited, version: 3 }, RESOURCES_DIR);
    expect(await loadBackupProfile(dataDir, 'unit-7', RESOURCES_DIR)).toMatchObject({
      source: 'unit',
      profile: { version: 3 },
    });
    expect((await loadBackupProfile(dataDir, 'unit-8', RESOURCES_DIR)).profile.version).toBe(2);
    expect((await saveBackupProfile(dataDir, 'unit-7', null, RESOURCES_DIR)).source).toBe('fleet');
    // The shipped file is never written.
    const file = shippedBackupProfilePath(RESOURCES_DIR);
    expect(BackupProfileSchema.parse(JSON.parse(await readFile(file, 'utf8'))).version).toBe(1);
  });

  it('refuses a broken or unsafe profile with the file named, never falling back silently', async () => {
    const { profile } = await loadBackupProfile(dataDir, undefined, RESOURCES_DIR);
    const file = userProfilePath(dataDir, undefined);
    await saveBackupProfile(dataDir, undefined, profile, RESOURCES_DIR);
    await writeFile(file, '{ not json');
    await expect(loadBackupProfile(dataDir, undefined, RESOURCES_DIR)).rejects.toThrow(
      `backup profile ${file} is not JSON`,
    );
    for (const path of [
      '/opt/../etc/shadow',
      'opt/oht50',
      '/opt//oht50',
      '/opt/oht50/',
      '/opt/*/x',
      '/opt/$(reboot)',
    ]) {
      const bad = { ...profile, roots: [{ id: 'bad', path }] };
      expect(() => parseBackupProfile(JSON.stringify(bad), 'edited.json'), path).toThrow(/edited\.json is not valid/);
    }
    const twice = { ...profile, roots: [...profile.roots, { ...profile.roots[0], path: '/srv' }] };
    expect(() => parseBackupProfile(JSON.stringify(twice), 'x.json')).toThrow(/names the root id "config" twice/);
    expect(() => parseBackupProfile(JSON.stringify({ ...profile, format: 2 }), 'x.json')).toThrow(/format/);
  });

  it('matches secret patterns by path components', () => {
    expect(globToRegExp('/**/*.key').test('/a.key')).toBe(true);
    expect(globToRegExp('/**/*.key').test('/a/b/c.key')).toBe(true);
    expect(globToRegExp('/etc/*.conf').test('/etc/a/b.conf')).toBe(false);
    expect(globToRegExp('/etc/wifi?.conf').test('/etc/wifi1.conf')).toBe(true);
    expect(globToRegExp('/a.b').test('/aXb')).toBe(false);
  });

  it('quotes every profile path in the script it sends, a glob only in its last component', async () => {
    const { profile } = await loadBackupProfile(dataDir, undefined, RESOURCES_DIR);
    const script = backupScript({
      roots: [...profile.roots, { path: "/opt/it's here", exclude: [] }],
      databases: profile.databases,
    });
    expect(script).toContain(' etc/systemd/system/oht50*.service ');
    expect(script).toContain("'opt/it'\\''s here'");
    expect(script).toContain('--exclude=opt/oht50/backend/oht50.db-wal');
  });

  it('never lets a database path become syntax: a $(…) or `…` in it is printed, not run', async () => {
    const marker = join(dataDir, 'INJECTED');
    const path = `${dataDir}/db $(touch ${marker}) \`touch ${marker}\`.db`;
    const script = backupScript({ roots: [], databases: [{ path }], tempDir: dataDir });
    // The archive itself does not matter here (nor whether tar likes an empty one): only what the shell ran.
    const stderr = await promisify(execFile)('sh', ['-c', script], { maxBuffer: 64 * 1024 * 1024 }).then(
      (done) => done.stderr,
      (failed: { stderr?: string }) => failed.stderr ?? '',
    );
    expect(existsSync(marker)).toBe(false);
    expect(stderr).toContain(`ohtw-absent ${path}`);
  });
});
