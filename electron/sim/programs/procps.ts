import type { Program, ProgramContext } from '../shell/program';
import { cpuTicks, procMeminfo, skipCpuTime } from '../simResources';
import { memPercent, processTable, type SimProcess } from '../simProcesses';

/**
 * ps, top and vmstat as procps-ng 4 on Debian 12 print them, for the runbook's "what is eating the CPU / memory"
 * steps: the process table of simProcesses.ts, the kernel's counters of simResources.ts.
 */

type Column = { header: string; left: boolean; value: (p: SimProcess, c: ProgramContext) => string };

function elapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m, s] = [
    Math.floor(total / 86_400),
    Math.floor(total / 3600) % 24,
    Math.floor(total / 60) % 60,
    total % 60,
  ];
  const two = (n: number): string => String(n).padStart(2, '0');
  return d > 0 ? `${d}-${two(h)}:${two(m)}:${two(s)}` : h > 0 ? `${two(h)}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

const COLUMNS: Record<string, Column> = {
  pid: { header: 'PID', left: false, value: (p) => String(p.pid) },
  ppid: { header: 'PPID', left: false, value: (p) => String(p.ppid) },
  user: { header: 'USER', left: true, value: (p) => p.user },
  pcpu: { header: '%CPU', left: false, value: (p) => p.pcpu.toFixed(1) },
  pmem: { header: '%MEM', left: false, value: (p, c) => memPercent(c.vehicle, p).toFixed(1) },
  rss: { header: 'RSS', left: false, value: (p) => String(p.rssKiB) },
  vsz: { header: 'VSZ', left: false, value: (p) => String(p.vszKiB) },
  etime: { header: 'ELAPSED', left: false, value: (p, c) => elapsed(c.nowMs - p.startMs) },
  stat: { header: 'STAT', left: true, value: (p) => p.state },
  comm: { header: 'COMMAND', left: true, value: (p) => p.comm },
  args: { header: 'COMMAND', left: true, value: (p) => p.args },
};
const ALIASES: Record<string, string> = { '%cpu': 'pcpu', '%mem': 'pmem', cmd: 'args', command: 'args', ucmd: 'comm' };
const SORT_KEYS: Record<string, (p: SimProcess) => number | string> = {
  pid: (p) => p.pid,
  pcpu: (p) => p.pcpu,
  '%cpu': (p) => p.pcpu,
  pmem: (p) => p.rssKiB,
  '%mem': (p) => p.rssKiB,
  rss: (p) => p.rssKiB,
  vsz: (p) => p.vszKiB,
  etime: (p) => -p.startMs,
  user: (p) => p.user,
  comm: (p) => p.comm,
};

function psUsage(message: string): string {
  return `error: ${message}\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`;
}

type PsQuery = { all: boolean; columns: string[]; sort: { key: string; desc: boolean }[] };

function parsePs(args: readonly string[]): PsQuery | string {
  const q: PsQuery = { all: false, columns: [], sort: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const sort = /^--sort(?:=(.*))?$/.exec(arg);
    if (sort) {
      const keys = sort[1] ?? args[++i] ?? '';
      for (const key of keys.split(',')) {
        const name = key.replace(/^[+-]/, '');
        if (SORT_KEYS[name] === undefined) {
          return psUsage('unknown sort specifier');
        }
        q.sort.push({ key: name, desc: key.startsWith('-') });
      }
    } else if (/^-[eAo]+$/.test(arg)) {
      q.all ||= /[eA]/.test(arg);
      if (arg.includes('o')) {
        const list = args[++i];
        if (list === undefined) {
          return psUsage('list of format specifiers missing');
        }
        for (const name of list.split(',')) {
          const column = ALIASES[name] ?? name;
          if (COLUMNS[column] === undefined) {
            return psUsage('unknown user-defined format specifier "' + name + '"');
          }
          q.columns.push(column);
        }
      }
    } else {
      return psUsage(arg.startsWith('--') ? 'unknown gnu long option' : 'unsupported option (BSD syntax)');
    }
  }
  if (q.columns.length === 0) {
    q.columns = ['pid', 'etime', 'comm'];
  }
  return q;
}

function table(rows: string[][], columns: Column[]): string {
  const widths = columns.map((col, i) => Math.max(col.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const col = columns[i] as Column;
        const last = i === cells.length - 1;
        return col.left ? (last ? cell : cell.padEnd(widths[i] ?? 0)) : cell.padStart(widths[i] ?? 0);
      })
      .join(' ')
      .trimEnd();
  return [columns.map((c) => c.header), ...rows].map(line).join('\n') + '\n';
}

export const ps: Program = {
  path: '/usr/bin/ps',
  run(args, c) {
    const q = parsePs(args);
    if (typeof q === 'string') {
      c.io.err(q);
      return 1;
    }
    let processes = processTable(c.vehicle, c.nowMs, c.user.name, ['ps', ...args].join(' '));
    if (!q.all) {
      processes = processes.filter((p) => p.user === c.user.name);
    }
    for (const { key, desc } of [...q.sort].reverse()) {
      const of = SORT_KEYS[key] ?? ((p: SimProcess) => p.pid);
      processes = [...processes].sort((a, b) => {
        const [x, y] = [of(a), of(b)];
        const order = x < y ? -1 : x > y ? 1 : 0;
        return desc ? -order : order;
      });
    }
    const columns = q.columns.map((name) => COLUMNS[name] as Column);
    c.io.out(
      table(
        processes.map((p) => columns.map((col) => col.value(p, c))),
        columns,
      ),
    );
    return 0;
  },
};

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function uptime(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hm = `${String(Math.floor(minutes / 60) % 24).padStart(2)}:${String(minutes % 60).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hm}` : hm;
}

function meminfo(c: ProgramContext): Record<string, number> {
  const text = procMeminfo(c.vehicle.state.resources);
  return Object.fromEntries([...text.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1] ?? '', Number(m[2])]));
}

function cpuSplit(busyPercent: number): { us: number; sy: number; id: number; wa: number; si: number } {
  const busy = Math.min(100, busyPercent);
  return { us: busy * 0.62, sy: busy * 0.3, si: busy * 0.08, wa: (100 - busy) * 0.01, id: (100 - busy) * 0.99 };
}

function topLines(c: ProgramContext, processes: SimProcess[]): string {
  const { resources, system } = c.vehicle.state;
  const load = (factor: number): string =>
    ((resources.cpu.busyPercent / 100) * resources.cpu.cores * factor + 0.05).toFixed(2);
  const running = processes.filter((p) => p.state === 'R').length;
  const cpu = cpuSplit(resources.cpu.busyPercent);
  const m = meminfo(c);
  const mib = (kib: number | undefined): string => ((kib ?? 0) / 1024).toFixed(1).padStart(8);
  const total = m.MemTotal ?? 0;
  const free = m.MemFree ?? 0;
  const cache = (m.Buffers ?? 0) + (m.Cached ?? 0) + (m.Slab ?? 0);
  const used = total - (m.MemAvailable ?? 0);
  const f = (n: number): string => n.toFixed(1).padStart(5);
  const header = [
    `top - ${clock(c.nowMs)} up ${uptime(c.nowMs - system.bootedAtMs)},  1 user,  load average: ${load(1)}, ${load(0.95)}, ${load(0.9)}`,
    `Tasks: ${String(processes.length).padStart(3)} total, ${String(running).padStart(3)} running, ${String(processes.length - running).padStart(3)} sleeping,   0 stopped,   0 zombie`,
    `%Cpu(s):${f(cpu.us)} us,${f(cpu.sy)} sy,  0.0 ni,${f(cpu.id)} id,${f(cpu.wa)} wa,  0.0 hi,${f(cpu.si)} si,  0.0 st`,
    `MiB Mem : ${mib(total)} total, ${mib(free)} free, ${mib(used)} used, ${mib(cache)} buff/cache`,
    `MiB Swap: ${mib(m.SwapTotal)} total, ${mib(m.SwapFree)} free, ${mib(0)} used. ${mib(m.MemAvailable)} avail Mem`,
    '',
    '    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND',
  ];
  const rows = [...processes]
    .sort((a, b) => b.pcpu - a.pcpu || a.pid - b.pid)
    .map((p) => {
      const cpuS = ((c.nowMs - p.startMs) / 1000) * (p.pcpu / 100);
      const time = `${Math.floor(cpuS / 60)}:${(cpuS % 60).toFixed(2).padStart(5, '0')}`;
      return [
        String(p.pid).padStart(7),
        p.user.slice(0, 8).padEnd(8),
        ' 20',
        '  0',
        String(p.vszKiB).padStart(7),
        String(p.rssKiB).padStart(6),
        String(Math.round(p.rssKiB * 0.3)).padStart(6),
        p.state,
        p.pcpu.toFixed(1).padStart(5),
        memPercent(c.vehicle, p).toFixed(1).padStart(5),
        time.padStart(9),
        p.comm,
      ].join(' ');
    });
  return `${[...header, ...rows].join('\n')}\n`;
}

/** top in batch mode: -b, -n N (each iteration the same instant, as the simulator never waits), -c, -w. */
export const top: Program = {
  path: '/usr/bin/top',
  run(args, c) {
    let iterations = Infinity;
    let batch = false;
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg === '-b') {
        batch = true;
      } else if (arg === '-n' || /^-n\d+$/.test(arg)) {
        const value = arg === '-n' ? args[++i] : arg.slice(2);
        if (!/^\d+$/.test(value ?? '') || Number(value) < 1) {
          c.io.err(`top: bad iterations argument '${value ?? ''}'\n`);
          return 1;
        }
        iterations = Number(value);
      } else if (arg !== '-c' && arg !== '-w' && arg !== '-bc') {
        c.io.err(
          `top: unknown option '${arg.replace(/^-/, '')}'\nUsage:\n  top -hv | -bcEeHiOSs1 -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n`,
        );
        return 1;
      }
    }
    if (!batch || iterations === Infinity) {
      // Without -b it wants a terminal; without -n it never ends. Neither makes sense over an exec.
      c.io.err('top: failed tty get\n');
      return 1;
    }
    for (let n = 0; n < iterations; n += 1) {
      c.io.out(
        `${n > 0 ? '\n' : ''}${topLines(c, processTable(c.vehicle, c.nowMs, c.user.name, `top ${args.join(' ')}`))}`,
      );
      skipCpuTime(c.vehicle.state.resources, n < iterations - 1 ? 3000 : 0);
    }
    return 0;
  },
};

/** vmstat [delay [count]]: the first line averages since boot, the others the delay just "waited". */
export const vmstat: Program = {
  path: '/usr/bin/vmstat',
  run(args, c) {
    const numbers = args.filter((a) => !a.startsWith('-'));
    if (numbers.some((a) => !/^\d+$/.test(a)) || args.some((a) => a.startsWith('-'))) {
      c.io.err(`vmstat: ${args.find((a) => a.startsWith('-') || !/^\d+$/.test(a)) ?? ''}: invalid option\n`);
      return 1;
    }
    const delay = numbers[0] === undefined ? 0 : Number(numbers[0]);
    const count = numbers[1] === undefined ? (delay > 0 ? Infinity : 1) : Number(numbers[1]);
    if (count === Infinity) {
      c.io.err('vmstat: a count is needed here: the simulated vehicle does not stream\n');
      return 1;
    }
    const { resources } = c.vehicle.state;
    const m = meminfo(c);
    c.io.out(
      'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n' +
        ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n',
    );
    for (let n = 0; n < count; n += 1) {
      cpuTicks(resources, c.nowMs);
      const cpu = cpuSplit(resources.cpu.busyPercent);
      const running = 1 + Math.floor((resources.cpu.busyPercent / 100) * resources.cpu.cores);
      const cells = [
        String(running).padStart(2),
        ' 0',
        String(0).padStart(6),
        String(m.MemFree ?? 0).padStart(6),
        String(m.Buffers ?? 0).padStart(6),
        String(m.Cached ?? 0).padStart(6),
        '   0',
        '   0',
        String(n === 0 ? 3 : 0).padStart(5),
        String(n === 0 ? 12 : 8).padStart(5),
        String(605 + Math.round(resources.cpu.busyPercent * 20)).padStart(4),
        String(1225 + Math.round(resources.cpu.busyPercent * 30)).padStart(4),
        String(Math.round(cpu.us + cpu.si)).padStart(2),
        String(Math.round(cpu.sy)).padStart(2),
        String(Math.round(cpu.id)).padStart(2),
        String(Math.round(cpu.wa)).padStart(2),
        ' 0',
      ];
      c.io.out(`${cells.join(' ')}\n`);
      skipCpuTime(resources, n < count - 1 ? delay * 1000 : 0);
    }
    return 0;
  },
};

/** Kernel parameters the runbook reads or writes; a key missing from /proc/sys is "cannot stat" as there. */
const SYSCTL_KEYS: Record<string, { value: string; writable: boolean }> = {
  'vm.drop_caches': { value: '0', writable: true },
  'vm.swappiness': { value: '60', writable: true },
  'net.ipv4.ip_forward': { value: '0', writable: true },
};

export const sysctl: Program = {
  path: '/usr/sbin/sysctl',
  run(args, c) {
    const write = args[0] === '-w';
    let status = 0;
    for (const arg of write ? args.slice(1) : args) {
      const [key = '', value] = arg.split('=', 2);
      const known = SYSCTL_KEYS[key];
      if (!known) {
        c.io.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n`);
        status = 255;
      } else if (value === undefined) {
        c.io.out(`${key} = ${known.value}\n`);
      } else if (c.user.uid !== 0) {
        c.io.err(`sysctl: permission denied on key "${key}"\n`);
        status = 255;
      } else {
        c.io.out(`${key} = ${value}\n`);
      }
    }
    return status;
  },
};
