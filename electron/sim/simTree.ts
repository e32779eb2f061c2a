import { posix } from 'node:path';

import type { SimVehicle } from './SimVehicle';
import { unitDefinitions, type SimVariant } from './simUnits';

/**
 * The simulated vehicle's file tree as a backup and a restore see it: what `state.files` holds gets owners, modes,
 * times and types here (`state.fileMeta`), folders and symlinks included. A path without metadata is a plain file of
 * root's, 0644, or (when something lies below it) a folder of root's, 0755. Contents are text: a file's bytes are the
 * UTF-8 of its string.
 */
export type SimNodeType = 'file' | 'dir' | 'symlink';
export type SimNode = { type: SimNodeType; mode: number; uid: number; gid: number; mtimeMs: number; target?: string };

/** The accounts of an OHT-50 image: root, the login user (orangepi) and the service user (oht). */
export const SIM_USERS: Readonly<Record<string, number>> = { root: 0, daemon: 1, orangepi: 1000, oht: 1001 };
export const SIM_GROUPS: Readonly<Record<string, number>> = {
  root: 0,
  daemon: 1,
  adm: 4,
  dialout: 20,
  sudo: 27,
  orangepi: 1000,
  oht: 1001,
};

export function userName(uid: number): string {
  return Object.entries(SIM_USERS).find(([, id]) => id === uid)?.[0] ?? String(uid);
}

export function groupName(gid: number): string {
  return Object.entries(SIM_GROUPS).find(([, id]) => id === gid)?.[0] ?? String(gid);
}

const OHT = SIM_USERS.oht as number;

/** What an installed unit holds under the backup profile's roots, beside what the diagnosis reads. */
export function installedTree(
  name: string,
  variant: SimVariant,
  installedAtMs: number,
): { files: Record<string, string>; meta: Record<string, SimNode> } {
  const units = unitDefinitions(variant);
  const at = installedAtMs;
  const dir = (mode: number, uid = 0, gid = 0): SimNode => ({ type: 'dir', mode, uid, gid, mtimeMs: at });
  const file = (mode: number, uid = 0, gid = 0): SimNode => ({ type: 'file', mode, uid, gid, mtimeMs: at });
  const unitFile = (unit: string, description: string, execStart: string, user: string, workDir: string): string =>
    `[Unit]\nDescription=${description}\nAfter=network.target\n\n[Service]\nUser=${user}\nWorkingDirectory=${workDir}\nExecStart=${execStart}\nRestart=always\nRestartSec=3\n\n[Install]\nWantedBy=multi-user.target\n# ${unit}\n`;
  const firmwareBinary = `/opt/oht50/firmware${variant === 'newer' ? '/build' : ''}/oht50_main`;
  const files: Record<string, string> = {
    '/opt/oht50/backend/.env': `DATABASE_URL=sqlite+aiosqlite:///./oht50.db\nJWT_SECRET=${name}-jwt-secret-not-for-sharing\nJWT_EXPIRY=1800\nRS485_PORT=/dev/ttyOHT485\nFIRMWARE_URL=http://localhost:${units.firmware.httpPort}\nLOG_LEVEL=INFO\n`,
    [firmwareBinary]: `\u007fELF oht50_main simulated firmware image for ${variant} builds\n`,
    '/opt/oht50/firmware/modules.yaml':
      'modules:\n  - {address: 0x02, type: power}\n  - {address: 0x03, type: safety}\n  - {address: 0x04, type: travel}\n  - {address: 0x06, type: dock}\n',
    '/opt/oht50/frontend/index.html': '<!doctype html><title>OHT-50</title><div id="root"></div>\n',
    '/opt/oht50/data/map.json': `{"map":"${name}","nodes":128,"rfid":64}\n`,
    '/etc/oht50/modules.yaml': 'scan_start: 1\nscan_end: 16\nhealth_interval_ms: 10000\noffline_threshold_ms: 30000\n',
    '/etc/oht50/safety_config.yaml': 'estop_timeout_ms: 100\nmodule_loss_policy: stop\n',
    [`/etc/systemd/system/${units.backend.unit}`]: unitFile(
      units.backend.unit,
      units.backend.description,
      units.backend.execStart,
      units.backend.runAs,
      units.backend.workingDirectory,
    ),
    [`/etc/systemd/system/${units.firmware.unit}`]: unitFile(
      units.firmware.unit,
      units.firmware.description,
      units.firmware.execStart,
      units.firmware.runAs,
      units.firmware.workingDirectory,
    ),
    '/etc/udev/rules.d/99-oht50-rs485.rules': 'KERNEL=="ttyS1", SYMLINK+="ttyOHT485", MODE="0666", GROUP="dialout"\n',
    '/boot/orangepiEnv.txt': 'verbosity=1\nbootlogo=false\noverlay_prefix=rk3588\noverlays=uart1-m1\n',
  };
  const meta: Record<string, SimNode> = {
    '/tmp': dir(0o1777),
    '/opt/oht50': dir(0o750, OHT, OHT),
    '/opt/oht50/config': dir(0o750, OHT, OHT),
    '/opt/oht50/config/system.yaml': file(0o640, OHT, OHT),
    '/opt/oht50/data': dir(0o750, OHT, OHT),
    '/opt/oht50/data/map.json': file(0o640, OHT, OHT),
    '/opt/oht50/backend': dir(0o750, OHT, OHT),
    '/opt/oht50/backend/.env': file(0o600, OHT, OHT),
    '/opt/oht50/backend/oht50.db': file(0o640, OHT, OHT),
    '/opt/oht50/firmware': dir(0o755),
    [firmwareBinary]: file(0o755),
    '/opt/oht50/firmware/modules.yaml': file(0o644),
    '/opt/oht50/firmware/current': {
      type: 'symlink',
      mode: 0o777,
      uid: 0,
      gid: 0,
      mtimeMs: at,
      target: posix.relative('/opt/oht50/firmware', firmwareBinary),
    },
    '/opt/oht50/frontend': dir(0o755, OHT, OHT),
    '/opt/oht50/frontend/index.html': file(0o644, OHT, OHT),
    '/opt/oht50/logs': dir(0o755, OHT, OHT),
    '/opt/oht50/VERSION': file(0o644),
    '/etc/oht50': dir(0o750, 0, OHT),
    '/etc/oht50/modules.yaml': file(0o640, 0, OHT),
    '/etc/oht50/safety_config.yaml': file(0o640, 0, OHT),
  };
  return { files, meta };
}

/** The node at `path`: its metadata, or what a path of `files` or a folder of other paths implies. */
export function nodeAt(vehicle: SimVehicle, path: string): SimNode | undefined {
  const { fileMeta, files } = vehicle.state;
  const meta = fileMeta[path];
  if (meta !== undefined) {
    return meta;
  }
  const boot = vehicle.state.system.bootedAtMs;
  if (files[path] !== undefined) {
    return { type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs: boot };
  }
  if (path === '/' || childrenOf(vehicle, path).length > 0) {
    return { type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeMs: boot };
  }
  return undefined;
}

/** The names directly below a folder, sorted. */
export function childrenOf(vehicle: SimVehicle, dir: string): string[] {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const names = new Set<string>();
  for (const path of [...Object.keys(vehicle.state.files), ...Object.keys(vehicle.state.fileMeta)]) {
    if (path.startsWith(prefix) && path.length > prefix.length) {
      names.add(path.slice(prefix.length).split('/')[0] as string);
    }
  }
  return [...names].sort();
}

/** Every path at or below `root`, the root first, then depth first in name order (as find and tar walk). */
export function walk(vehicle: SimVehicle, root: string, prune: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const visit = (path: string): void => {
    if (prune(path)) {
      return;
    }
    out.push(path);
    if (nodeAt(vehicle, path)?.type === 'dir') {
      for (const name of childrenOf(vehicle, path)) {
        visit(path === '/' ? `/${name}` : `${path}/${name}`);
      }
    }
  };
  if (nodeAt(vehicle, root) !== undefined) {
    visit(root);
  }
  return out;
}

/** Sets a path's metadata (making it a node of the tree); the parents stay as they are. */
export function setNode(vehicle: SimVehicle, path: string, node: SimNode): void {
  vehicle.state.fileMeta[path] = node;
}

/** Removes a path and everything below it. */
export function removeTree(vehicle: SimVehicle, path: string): void {
  const { files, fileMeta } = vehicle.state;
  for (const key of [...Object.keys(files), ...Object.keys(fileMeta)]) {
    if (key === path || key.startsWith(`${path}/`)) {
      delete files[key];
      delete fileMeta[key];
    }
  }
}

/** Whether `user` may read `path` (root may read anything; others by owner, group and the mode's bits). */
export function mayRead(vehicle: SimVehicle, path: string, uid: number): boolean {
  if (uid === 0) {
    return true;
  }
  for (let p = path; ; p = posix.dirname(p)) {
    const node = nodeAt(vehicle, p);
    if (node !== undefined) {
      const bits = node.uid === uid ? node.mode >> 6 : node.gid === uid ? node.mode >> 3 : node.mode;
      const need = p === path && node.type !== 'dir' ? 4 : 1;
      if ((bits & need) === 0) {
        return false;
      }
    }
    if (p === '/') {
      return true;
    }
  }
}
