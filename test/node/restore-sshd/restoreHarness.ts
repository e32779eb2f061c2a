import { createHash } from 'node:crypto';
import { access, chmod, lstat, readdir, readFile, readlink, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { BackupRunResult } from '../../../shared/domain/backup';
import type { VehicleProfile } from '../../../shared/domain/unit';
import type { Core } from '../../../electron/core/createCore';
import type { SshdFixture } from '../../support/sshd/startSshd';
import { profileUnder } from '../backup-sshd/vehicleTree';

export type Listed = { type: string; mode: number; uid: number; gid: number; sha256?: string; target?: string };

/**
 * Everything under `dir` (the fake unit's whole folder, inside and outside the profile) with type, mode, owner and
 * the SHA-256 of each file's content: the "before" and "after" a restore is judged by.
 */
export async function fullListing(dir: string): Promise<Map<string, Listed>> {
  const out = new Map<string, Listed>();
  const walk = async (path: string): Promise<void> => {
    const s = await lstat(path);
    const base = { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
    if (s.isSymbolicLink()) {
      out.set(path, { type: 'symlink', ...base, mode: 0, target: await readlink(path) });
    } else if (s.isDirectory()) {
      out.set(path, { type: 'dir', ...base });
      for (const name of (await readdir(path)).sort()) {
        await walk(join(path, name));
      }
    } else if (s.isFile()) {
      const sha256 = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
      out.set(path, { type: 'file', ...base, sha256 });
    } else {
      out.set(path, { type: 'other', ...base });
    }
  };
  await walk(dir);
  return out;
}

export function envelopeValue<T>(envelope: Awaited<ReturnType<Core['dispatch']>>, what: string): T {
  if (!envelope.ok) {
    throw new Error(`${what} failed: ${JSON.stringify(envelope.error)}`);
  }
  return envelope.value as T;
}

/** Adds a unit on the fixture's sshd with its key pinned and a backup profile that points into `base`. */
export async function addRestoreUnit(
  core: Core,
  sshd: SshdFixture,
  name: string,
  base: string,
  profile: Partial<VehicleProfile> = {},
): Promise<void> {
  envelopeValue(
    await core.dispatch('units.add', {
      name,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      // Custom, so the diagnosis keeps pointing at the fake vehicle's install folder and services.
      profile: { installDir: join(base, 'opt/oht50'), estopGpioPath: sshd.estopGpioPath, ...profile },
    }),
    'units.add',
  );
  envelopeValue(await core.dispatch('units.trust', { name, fingerprint: sshd.hostKeyFingerprint }), 'units.trust');
  envelopeValue(
    await core.dispatch('backup.setProfile', { unit: name, profile: await profileUnder(base) }),
    'setProfile',
  );
}

/** A backup of the unit through the backup calls, as a technician takes it. */
export async function backupOf(core: Core, name: string): Promise<string> {
  const run = envelopeValue<BackupRunResult>(await core.dispatch('backup.run', { names: [name] }), 'backup.run');
  const id = run.results[0]?.backupId;
  if (run.results[0]?.status !== 'ok' || id === undefined || id === null) {
    throw new Error(`backup of ${name} failed: ${JSON.stringify(run.results[0])}`);
  }
  return id;
}

/**
 * Makes a service of the fake vehicle fail to start while `configPath` holds `badText`, as a service with a broken
 * configuration does: a wrapper in front of the fake systemctl (this sshd's own copy) sets or clears the unit's
 * FakeStartError before each start or restart, so the same service starts again once the config is good.
 */
export async function failStartOnBadConfig(
  sshd: SshdFixture,
  service: string,
  configPath: string,
  badText: string,
  message: string,
): Promise<void> {
  const bin = join(sshd.vehicleDir, 'bin');
  const fake = join(bin, 'systemctl.fake');
  try {
    await access(fake);
  } catch {
    await rename(join(bin, 'systemctl'), fake);
  }
  const unitFile = join(sshd.vehicleDir, 'units', service.endsWith('.service') ? service : `${service}.service`);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const wrapper = `#!/bin/sh
# Restore tests: ${service} fails to start while ${configPath} holds a bad value.
case " $* " in
  *" start "* | *" restart "*)
    case " $* " in
      *" ${service} "* | *" ${service}.service "*)
        if [ "$(id -u)" = 0 ] && [ -f ${q(unitFile)} ]; then
          grep -v '^FakeStartError=' ${q(unitFile)} > ${q(`${unitFile}.draft`)}
          if grep -qF -- ${q(badText)} ${q(configPath)} 2>/dev/null; then
            printf 'FakeStartError=%s\\n' ${q(message)} >> ${q(`${unitFile}.draft`)}
          fi
          mv -f ${q(`${unitFile}.draft`)} ${q(unitFile)}
        fi
        ;;
    esac
    ;;
esac
exec "$(dirname -- "$0")/systemctl.fake" "$@"
`;
  await writeFile(join(bin, 'systemctl'), wrapper, { mode: 0o755 });
  await chmod(join(bin, 'systemctl'), 0o755);
}
