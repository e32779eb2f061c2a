import type { Program } from '../shell/program';
import { readSimFile } from '../simFiles';
import { filesystemOf, skipCpuTime, usePercent, type SimFilesystem } from '../simResources';
import type { SimVehicle } from '../SimVehicle';

/** head, sleep, df and du: the coreutils of the runbook's daily disk and resource checks. */

function tryHelp(tool: string, message: string): string {
  return `${tool}: ${message}\nTry '${tool} --help' for more information.\n`;
}

export const head: Program = {
  path: '/usr/bin/head',
  run(args, { io, vehicle, nowMs }) {
    let lines = 10;
    const files: string[] = [];
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      const count = arg === '-n' ? args[++i] : (/^-n(\d+)$/.exec(arg)?.[1] ?? /^-(\d+)$/.exec(arg)?.[1]);
      if (count !== undefined) {
        if (!/^\d+$/.test(count)) {
          io.err(`head: invalid number of lines: '${count}'\n`);
          return 1;
        }
        lines = Number(count);
      } else if (arg.startsWith('-') && arg !== '-') {
        io.err(tryHelp('head', `invalid option -- '${arg.slice(1, 2)}'`));
        return 1;
      } else {
        files.push(arg);
      }
    }
    let status = 0;
    files.forEach((path, index) => {
      const content = readSimFile(vehicle, path, nowMs);
      if (content === undefined) {
        io.err(`head: cannot open '${path}' for reading: No such file or directory\n`);
        status = 1;
        return;
      }
      if (files.length > 1) {
        io.out(`${index > 0 ? '\n' : ''}==> ${path} <==\n`);
      }
      const kept = content.split('\n').slice(0, lines).join('\n');
      io.out(kept.length < content.length ? `${kept}\n` : kept);
    });
    return status;
  },
};

const SLEEP_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** The simulator never waits: sleep returns at once, and the CPU counters move on as if it had waited. */
export const sleep: Program = {
  path: '/usr/bin/sleep',
  run(args, { io, vehicle }) {
    if (args.length === 0) {
      io.err(tryHelp('sleep', 'missing operand'));
      return 1;
    }
    let seconds = 0;
    for (const arg of args) {
      const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
      if (!match?.[1]) {
        io.err(tryHelp('sleep', `invalid time interval '${arg}'`));
        return 1;
      }
      seconds += Number(match[1]) * (SLEEP_UNITS[match[2] ?? ''] ?? 1);
    }
    skipCpuTime(vehicle.state.resources, seconds * 1000);
    return 0;
  },
};

/** Directories every image has, besides mount points and what holds the vehicle's files. */
const STANDARD_DIRS = [
  '/',
  '/bin',
  '/etc',
  '/home',
  '/opt',
  '/root',
  '/tmp',
  '/usr',
  '/var',
  '/var/log',
  '/proc',
  '/sys',
];

function exists(vehicle: SimVehicle, path: string): boolean {
  const dir = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const known = [
    ...STANDARD_DIRS,
    ...vehicle.state.resources.filesystems.map((fs) => fs.mountedOn),
    ...Object.keys(vehicle.state.resources.folderKiB),
    ...Object.keys(vehicle.state.files),
  ];
  return known.some((p) => p === dir || p.startsWith(`${dir}/`));
}

function flagsOf(
  args: readonly string[],
  allowed: string,
): { flags: Set<string>; paths: string[]; bad: string | null } {
  const flags = new Set<string>();
  const paths: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-') && arg.length > 1) {
      for (const letter of arg.slice(1)) {
        if (!allowed.includes(letter)) {
          return { flags, paths, bad: letter };
        }
        flags.add(letter);
      }
    } else {
      paths.push(arg);
    }
  }
  return { flags, paths, bad: null };
}

/** Sizes as `-h` prints them: 1024-based, one decimal below 10, a unit letter. */
function human(kib: number): string {
  const units = ['K', 'M', 'G', 'T'];
  let value = kib;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) {
    return `${Math.ceil(value)}K`;
  }
  return value < 10 ? `${(Math.ceil(value * 10) / 10).toFixed(1)}${units[unit]}` : `${Math.ceil(value)}${units[unit]}`;
}

function alignRows(rows: string[][], leftColumns: number): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          if (i === r.length - 1) {
            return cell;
          }
          return i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0);
        })
        .join(' '),
    )
    .join('\n');
}

export const df: Program = {
  path: '/usr/bin/df',
  run(args, { io, vehicle }) {
    const { flags, paths, bad } = flagsOf(args, 'PkhT');
    if (bad !== null) {
      io.err(tryHelp('df', `invalid option -- '${bad}'`));
      return 1;
    }
    const state = vehicle.state.resources;
    let status = 0;
    const shown: SimFilesystem[] = [];
    if (paths.length === 0) {
      shown.push(...state.filesystems);
    }
    for (const path of paths) {
      const fs = exists(vehicle, path) ? filesystemOf(state, path) : undefined;
      if (!fs) {
        io.err(`df: ${path}: No such file or directory\n`);
        status = 1;
      } else {
        shown.push(fs);
      }
    }
    if (shown.length === 0) {
      return status;
    }
    const size = (kib: number): string => (flags.has('h') ? human(kib) : String(kib));
    const header = flags.has('h')
      ? ['Filesystem', 'Size', 'Used', 'Avail', 'Use%', 'Mounted on']
      : [
          'Filesystem',
          flags.has('P') ? '1024-blocks' : '1K-blocks',
          'Used',
          'Available',
          flags.has('P') ? 'Capacity' : 'Use%',
          'Mounted on',
        ];
    if (flags.has('T')) {
      header.splice(1, 0, 'Type');
    }
    const rows = shown.map((fs) => {
      const row = [
        fs.device,
        size(fs.sizeKiB),
        size(fs.usedKiB),
        size(fs.sizeKiB - fs.usedKiB),
        `${usePercent(fs)}%`,
        fs.mountedOn,
      ];
      if (flags.has('T')) {
        row.splice(1, 0, fs.type);
      }
      return row;
    });
    io.out(`${alignRows([header, ...rows], flags.has('T') ? 2 : 1)}\n`);
    return status;
  },
};

export const du: Program = {
  path: '/usr/bin/du',
  run(args, { io, vehicle }) {
    const { flags, paths, bad } = flagsOf(args, 'skhmc');
    if (bad !== null) {
      io.err(tryHelp('du', `invalid option -- '${bad}'`));
      return 1;
    }
    const { folderKiB } = vehicle.state.resources;
    const files = vehicle.state.files;
    let status = 0;
    let total = 0;
    for (const path of paths.length === 0 ? ['.'] : paths) {
      const dir = path.length > 1 ? path.replace(/\/+$/, '') : path;
      if (!exists(vehicle, dir)) {
        io.err(`du: cannot access '${path}': No such file or directory\n`);
        status = 1;
        continue;
      }
      // A folder holds what was put in it and every file under it, at 4 KiB a block.
      const inside = (p: string): boolean => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
      let kib = Object.entries(folderKiB)
        .filter(([p]) => inside(p))
        .reduce((sum, [, k]) => sum + k, 0);
      kib += Object.entries(files)
        .filter(([p]) => inside(p))
        .reduce((sum, [, text]) => sum + 4 * Math.ceil(text.length / 4096), 0);
      kib = Math.max(kib, 4);
      total += kib;
      const shown = flags.has('h') ? human(kib) : flags.has('m') ? String(Math.ceil(kib / 1024)) : String(kib);
      io.out(`${shown}\t${path}\n`);
    }
    if (flags.has('c')) {
      io.out(`${flags.has('h') ? human(total) : total}\ttotal\n`);
    }
    return status;
  },
};
