import type { Program } from '../shell/program';
import { readSimFile } from '../simFiles';
import { takeStdin } from '../simStdin';
import { strftimeUtc } from '../timeFormat';

/** The coreutils a diagnosis asks for identity and time: date, uname, hostname, id, whoami, cat. */

const LOGIN_GROUPS: readonly [number, string][] = [
  [20, 'dialout'],
  [27, 'sudo'],
];

function invalidOption(tool: string, option: string): string {
  const text = option.startsWith('--')
    ? `unrecognized option '${option}'`
    : `invalid option -- '${option.slice(1, 2)}'`;
  return `${tool}: ${text}\nTry '${tool} --help' for more information.\n`;
}

export const date: Program = {
  path: '/usr/bin/date',
  run(args, { io, nowMs }) {
    let format = '%a %b %e %H:%M:%S %Z %Y';
    let atMs = nowMs;
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg === '-u' || arg === '--utc' || arg === '--universal') {
        continue; // The vehicle's zone is UTC already.
      } else if (arg === '-R' || arg === '--rfc-email') {
        format = '%a, %d %b %Y %H:%M:%S %z';
      } else if (arg === '-I' || arg === '--iso-8601' || arg === '--iso-8601=date') {
        format = '%Y-%m-%d';
      } else if (arg === '-Iseconds' || arg === '--iso-8601=seconds') {
        format = '%Y-%m-%dT%H:%M:%S+00:00';
      } else if (arg === '-d' || arg.startsWith('--date=')) {
        const value = arg === '-d' ? (args[++i] ?? '') : arg.slice('--date='.length);
        const epoch = /^@(-?\d+)$/.exec(value)?.[1];
        if (epoch === undefined) {
          io.err(`date: invalid date '${value}'\n`);
          return 1;
        }
        atMs = Number(epoch) * 1000;
      } else if (arg.startsWith('+')) {
        format = arg.slice(1);
      } else if (arg.startsWith('-')) {
        io.err(invalidOption('date', arg));
        return 1;
      } else {
        io.err(`date: invalid date '${arg}'\n`);
        return 1;
      }
    }
    io.out(`${strftimeUtc(atMs, format)}\n`);
    return 0;
  },
};

export const uname: Program = {
  path: '/usr/bin/uname',
  run(args, { io, vehicle }) {
    const { system } = vehicle.state;
    // Ubuntu's uname reports the machine for -p and -i too, so -a prints aarch64 three times.
    const fields: [string, string][] = [
      ['s', 'Linux'],
      ['n', system.hostname],
      ['r', system.kernelRelease],
      ['v', system.kernelVersion],
      ['m', system.arch],
      ['p', system.arch],
      ['i', system.arch],
      ['o', 'GNU/Linux'],
    ];
    const wanted = new Set<string>();
    for (const arg of args) {
      if (arg === '--all') {
        fields.forEach(([key]) => wanted.add(key));
      } else if (/^-[snrvmpioa]+$/.test(arg)) {
        for (const letter of arg.slice(1)) {
          if (letter === 'a') {
            fields.forEach(([key]) => wanted.add(key));
          } else {
            wanted.add(letter);
          }
        }
      } else if (arg.startsWith('-')) {
        io.err(invalidOption('uname', arg));
        return 1;
      } else {
        io.err(`uname: extra operand '${arg}'\nTry 'uname --help' for more information.\n`);
        return 1;
      }
    }
    if (wanted.size === 0) {
      wanted.add('s');
    }
    io.out(
      `${fields
        .filter(([key]) => wanted.has(key))
        .map(([, value]) => value)
        .join(' ')}\n`,
    );
    return 0;
  },
};

export const hostname: Program = {
  path: '/usr/bin/hostname',
  run(args, { io, vehicle }) {
    const name = vehicle.state.system.hostname;
    const option = args[0];
    if (option === undefined || option === '-f' || option === '--fqdn' || option === '--long') {
      io.out(`${name}\n`);
      return 0;
    }
    if (option === '-s' || option === '--short') {
      io.out(`${name.split('.')[0] ?? name}\n`);
      return 0;
    }
    io.err(invalidOption('hostname', option));
    return 1;
  },
};

export const id: Program = {
  path: '/usr/bin/id',
  run(args, { io, user }) {
    const groups: [number, string][] = user.uid === 0 ? [[0, 'root']] : [[user.uid, user.name], ...LOGIN_GROUPS];
    const flags = new Set<string>();
    for (const arg of args) {
      if (/^-[ugGnr]+$/.test(arg)) {
        [...arg.slice(1)].forEach((letter) => flags.add(letter));
      } else if (arg.startsWith('-')) {
        io.err(invalidOption('id', arg));
        return 1;
      } else if (arg !== user.name) {
        io.err(`id: '${arg}': no such user\n`);
        return 1;
      }
    }
    const names = flags.has('n');
    const [primaryGid, primaryGroup] = groups[0] ?? [user.uid, user.name];
    if (flags.has('u')) {
      io.out(`${names ? user.name : user.uid}\n`);
    } else if (flags.has('g')) {
      io.out(`${names ? primaryGroup : primaryGid}\n`);
    } else if (flags.has('G')) {
      io.out(`${groups.map(([gid, group]) => (names ? group : gid)).join(' ')}\n`);
    } else if (names || flags.has('r')) {
      io.err('id: cannot print only names or real IDs in default format\n');
      return 1;
    } else {
      const list = groups.map(([gid, group]) => `${gid}(${group})`).join(',');
      io.out(`uid=${user.uid}(${user.name}) gid=${primaryGid}(${primaryGroup}) groups=${list}\n`);
    }
    return 0;
  },
};

export const whoami: Program = {
  path: '/usr/bin/whoami',
  run(_args, { io, user }) {
    io.out(`${user.name}\n`);
    return 0;
  },
};

export const cat: Program = {
  path: '/usr/bin/cat',
  run(args, { io, vehicle, nowMs }) {
    let status = 0;
    const paths = args.filter((a) => a === '-' || !a.startsWith('-'));
    if (paths.length === 0) {
      // The exec's input (a script or a list the workstation sends); empty when there is none.
      io.out(takeStdin(vehicle).toString('utf8'));
      return 0;
    }
    for (const path of args) {
      if (path === '-') {
        io.out(takeStdin(vehicle).toString('utf8'));
        continue;
      }
      if (path.startsWith('-') && path.length > 1) {
        continue; // display options change nothing the probes read.
      }
      const content = readSimFile(vehicle, path, nowMs);
      if (content === undefined) {
        io.err(`cat: ${path}: No such file or directory\n`);
        status = 1;
      } else {
        io.out(content);
      }
    }
    return status;
  },
};
