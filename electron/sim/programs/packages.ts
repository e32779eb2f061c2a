import type { Program, ProgramContext } from '../shell/program';
import { rotateLogs } from '../simResources';
import { SIM_LOGROTATE_CONF } from '../simSystemFiles';

/**
 * apt, apt-get and logrotate as the weekly and monthly maintenance use them on the vehicle's Debian 12 image:
 * the package lists need the network, changes need root (apt's lock), and a forced rotation compresses the logs.
 */

/** Packages the image has, with their versions (the runbook's dependencies among them). */
const INSTALLED: Record<string, string> = {
  'python3.11': '3.11.2-6+deb12u4',
  'python3-pip': '23.0.1+dfsg-1',
  postgresql: '15+248',
  'redis-server': '5:7.0.15-1~deb12u1',
  openssh: '1:9.2p1-2+deb12u3',
  curl: '7.88.1-10+deb12u8',
};

export type SimPackagesState = {
  /** Upgradable packages: name, the version offered and the one installed. */
  upgradable: { name: string; candidate: string; installed: string; suite: string }[];
};

export function defaultPackages(): SimPackagesState {
  return {
    upgradable: [
      { name: 'libssl3', candidate: '3.0.15-1~deb12u1', installed: '3.0.14-1~deb12u2', suite: 'bookworm-security' },
      { name: 'openssl', candidate: '3.0.15-1~deb12u1', installed: '3.0.14-1~deb12u2', suite: 'bookworm-security' },
    ],
  };
}

const NOT_A_TTY = '\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n';
const READING = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n';

function lockDenied(c: ProgramContext, lock: string): number {
  c.io.err(
    `E: Could not open lock file ${lock} - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (${lock}), are you root?\n`,
  );
  return 100;
}

function update(c: ProgramContext): number {
  if (c.user.uid !== 0) {
    c.io.err(
      'E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\n',
    );
    return 100;
  }
  const sources = [
    'http://deb.debian.org/debian bookworm',
    'http://deb.debian.org/debian bookworm-updates',
    'http://deb.debian.org/debian-security bookworm-security',
  ];
  if (c.vehicle.state.network.defaultRoute === null) {
    sources.forEach((s, i) =>
      c.io.out(`Err:${i + 1} ${s} InRelease\n  Temporary failure resolving 'deb.debian.org'\n`),
    );
    c.io.out('Reading package lists...\n');
    c.io.err(
      "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'\nW: Some index files failed to download. They have been ignored, or old ones used instead.\n",
    );
    return 0;
  }
  sources.forEach((s, i) => c.io.out(`Hit:${i + 1} ${s} InRelease\n`));
  const n = c.vehicle.state.packages.upgradable.length;
  c.io.out(
    `${READING}${n === 0 ? 'All packages are up to date.' : `${n} packages can be upgraded. Run 'apt list --upgradable' to see them.`}\n`,
  );
  return 0;
}

function install(c: ProgramContext, names: string[]): number {
  if (c.user.uid !== 0) {
    return lockDenied(c, '/var/lib/dpkg/lock-frontend');
  }
  const unknown = names.find((n) => INSTALLED[n] === undefined);
  if (unknown !== undefined) {
    c.io.out(READING);
    c.io.err(`E: Unable to locate package ${unknown}\n`);
    return 100;
  }
  const lines = names.map((n) => `${n} is already the newest version (${INSTALLED[n] ?? ''}).\n`).join('');
  const pending = c.vehicle.state.packages.upgradable.length;
  c.io.out(`${READING}${lines}0 upgraded, 0 newly installed, 0 to remove and ${pending} not upgraded.\n`);
  return 0;
}

function upgrade(c: ProgramContext): number {
  if (c.user.uid !== 0) {
    return lockDenied(c, '/var/lib/dpkg/lock-frontend');
  }
  const packages = c.vehicle.state.packages;
  const names = packages.upgradable.map((p) => p.name);
  c.io.out(`${READING}Calculating upgrade...\n`);
  if (names.length > 0) {
    c.io.out(`The following packages will be upgraded:\n  ${names.join(' ')}\n`);
  }
  c.io.out(`${names.length} upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
  for (const p of packages.upgradable) {
    c.io.out(`Setting up ${p.name}:arm64 (${p.candidate}) ...\n`);
  }
  packages.upgradable = [];
  return 0;
}

export const aptGet: Program = {
  path: '/usr/bin/apt-get',
  run(args, c) {
    const words = args.filter((a) => !a.startsWith('-'));
    const [verb, ...names] = words;
    switch (verb) {
      case 'update':
        return update(c);
      case 'install':
        return install(c, names);
      case 'upgrade':
        return upgrade(c);
      default:
        c.io.err(`E: Invalid operation ${verb ?? ''}\n`);
        return 100;
    }
  },
};

export const apt: Program = {
  path: '/usr/bin/apt',
  run(args, c) {
    c.io.err(NOT_A_TTY);
    if (args[0] === 'list' && args.includes('--upgradable')) {
      c.io.out('Listing...\n');
      for (const p of c.vehicle.state.packages.upgradable) {
        c.io.out(`${p.name}/${p.suite} ${p.candidate} arm64 [upgradable from: ${p.installed}]\n`);
      }
      return 0;
    }
    return aptGet.run(args, c);
  },
};

/** logrotate -f CONFIG: rotates and compresses now; as root only (it owns its state file). */
export const logrotate: Program = {
  path: '/usr/sbin/logrotate',
  run(args, c) {
    const configs = args.filter((a) => !a.startsWith('-'));
    if (configs.length === 0) {
      c.io.err('logrotate 3.21.0 - Copyright (C) 1995-2001 Red Hat, Inc.\nUsage: logrotate [OPTION...] <configfile>\n');
      return 1;
    }
    const missing = configs.find((path) => c.vehicle.state.files[path] === undefined);
    if (missing !== undefined) {
      c.io.err(`error: cannot stat ${missing}: No such file or directory\n`);
      return 1;
    }
    if (c.user.uid !== 0) {
      c.io.err('error: error creating state file /var/lib/logrotate/status: Permission denied\n');
      return 1;
    }
    if (args.includes('-f') || args.includes('--force')) {
      for (const config of configs) {
        if (config === SIM_LOGROTATE_CONF || c.vehicle.state.files[config]?.includes('/opt/oht50/logs') === true) {
          rotateLogs(c.vehicle.state.resources);
        }
      }
    }
    return 0;
  },
};
