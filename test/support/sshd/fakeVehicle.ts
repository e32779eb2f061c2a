import { chmod, copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scripts in vehicle-bin/ stand in for the vehicle's own tools; each sshd gets its own copy and state. */
const VEHICLE_BIN = fileURLToPath(new URL('./vehicle-bin/', import.meta.url));

export type FakeVehicle = {
  dir: string;
  setService(unit: string, props: Record<string, string> | null): Promise<void>;
};

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

/** Installs the fake tools under `dir`, readable and runnable by the test accounts. */
export async function createFakeVehicle(dir: string): Promise<FakeVehicle> {
  const bin = join(dir, 'bin');
  const units = join(dir, 'units');
  await mkdir(bin, { recursive: true, mode: 0o755 });
  await mkdir(units, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
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
  };
}
