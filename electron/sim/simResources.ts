/**
 * CPU, memory and disk of a simulated vehicle, as /proc and df/du report them. CPU time advances with the
 * vehicle's clock at the current load, so two readings of /proc/stat some time apart give that load back, and
 * the counters never go backwards, as a kernel's never do.
 */

export type SimFilesystem = {
  device: string;
  type: string;
  mountedOn: string;
  sizeKiB: number;
  usedKiB: number;
};

export type SimResourcesState = {
  cpu: {
    cores: number;
    /** Share of all cores' time spent busy from `sinceMs` on. */
    busyPercent: number;
    /** Busy and idle time (clock ticks, USER_HZ 100, summed over the cores) at `sinceMs`. */
    sinceMs: number;
    busyTicks: number;
    idleTicks: number;
    /** The latest instant the counters were read at; a later reading never shows an earlier one. */
    readAtMs: number;
    /**
     * Every `sleep` the simulator answered at once instead of waiting. CPU time runs ahead of the clock by
     * this much, so that `head /proc/stat; sleep 0.5; head /proc/stat` sees half a second of work.
     */
    skippedMs: number;
  };
  memory: { totalKiB: number; usedPercent: number; swapTotalKiB: number };
  filesystems: SimFilesystem[];
  /** What `du` finds in a folder, in KiB, by absolute path (the logs folder grows with fillLogPartition). */
  folderKiB: Record<string, number>;
};

/** Where the simulated install lives (the runbook's layout; sim units keep the default profile). */
export const SIM_INSTALL_DIR = '/opt/oht50';
export const SIM_LOGS_DIR = `${SIM_INSTALL_DIR}/logs`;
/** What the logs folder of a new vehicle holds; a forced rotation compresses it back to about that. */
const LOGS_BASELINE_KIB = 24_576;

const TICKS_PER_S = 100;

export function defaultResources(bootedAtMs: number): SimResourcesState {
  const rootSize = 29_874_560; // a 32 GB eMMC/SD card's root partition
  return {
    cpu: {
      cores: 8,
      busyPercent: 7,
      sinceMs: bootedAtMs,
      busyTicks: 0,
      idleTicks: 0,
      readAtMs: bootedAtMs,
      skippedMs: 0,
    },
    memory: { totalKiB: 7_990_060, usedPercent: 38, swapTotalKiB: 3_995_028 },
    filesystems: [
      { device: 'udev', type: 'devtmpfs', mountedOn: '/dev', sizeKiB: 3_961_676, usedKiB: 8 },
      { device: 'tmpfs', type: 'tmpfs', mountedOn: '/run', sizeKiB: 799_008, usedKiB: 3_112 },
      {
        device: '/dev/mmcblk0p2',
        type: 'ext4',
        mountedOn: '/',
        sizeKiB: rootSize,
        usedKiB: Math.round(rootSize * 0.41),
      },
      { device: 'tmpfs', type: 'tmpfs', mountedOn: '/dev/shm', sizeKiB: 3_995_028, usedKiB: 0 },
      { device: '/dev/mmcblk0p1', type: 'vfat', mountedOn: '/boot', sizeKiB: 1_046_508, usedKiB: 98_304 },
    ],
    folderKiB: { [SIM_LOGS_DIR]: LOGS_BASELINE_KIB },
  };
}

/** The cumulative busy and idle ticks at `atMs` (or at the last reading, if that was later). */
export function cpuTicks(state: SimResourcesState, atMs: number): { busy: number; idle: number } {
  const cpu = state.cpu;
  const t = Math.max(atMs + cpu.skippedMs, cpu.readAtMs);
  cpu.readAtMs = t;
  const elapsed = ((t - cpu.sinceMs) / 1000) * TICKS_PER_S * cpu.cores;
  const busy = cpu.busyTicks + (elapsed * cpu.busyPercent) / 100;
  return { busy: Math.floor(busy), idle: Math.floor(cpu.idleTicks + elapsed - (busy - cpu.busyTicks)) };
}

/** A `sleep` of `ms` that the simulator did not wait for: the CPU still did that much work meanwhile. */
export function skipCpuTime(state: SimResourcesState, ms: number): void {
  state.cpu.skippedMs += Math.max(0, ms);
}

/** From `atMs` on, the cores are `percent` busy; what they did until then stays in the counters. */
export function setCpuLoad(state: SimResourcesState, percent: number, atMs: number): void {
  const now = cpuTicks(state, atMs);
  state.cpu.sinceMs = state.cpu.readAtMs;
  state.cpu.busyTicks = now.busy;
  state.cpu.idleTicks = now.idle;
  state.cpu.busyPercent = clampPercent(percent);
}

export function setMemoryUse(state: SimResourcesState, percent: number): void {
  state.memory.usedPercent = clampPercent(percent);
}

/** The filesystem a path lives on: the mount point that is its longest prefix. */
export function filesystemOf(state: SimResourcesState, path: string): SimFilesystem | undefined {
  const within = (mount: string): boolean => mount === '/' || path === mount || path.startsWith(`${mount}/`);
  return state.filesystems
    .filter((fs) => within(fs.mountedOn))
    .sort((a, b) => b.mountedOn.length - a.mountedOn.length)[0];
}

/**
 * Log files pile up until the partition that holds the logs folder is `percent` full (as df rounds it);
 * a lower percent plays a cleanup (logrotate, old logs deleted) that frees what the logs took.
 */
export function fillLogPartition(state: SimResourcesState, percent: number, logsDir = SIM_LOGS_DIR): void {
  const fs = filesystemOf(state, logsDir);
  if (!fs) {
    return;
  }
  const target = Math.floor((fs.sizeKiB * clampPercent(percent)) / 100);
  const logs = state.folderKiB[logsDir] ?? 0;
  const change = Math.max(target - fs.usedKiB, -logs);
  fs.usedKiB += change;
  state.folderKiB[logsDir] = logs + change;
}

/** logrotate -f: the logs piled up are rotated and compressed; the partition gets back what they took. */
export function rotateLogs(state: SimResourcesState, logsDir = SIM_LOGS_DIR): void {
  const fs = filesystemOf(state, logsDir);
  const logs = state.folderKiB[logsDir] ?? 0;
  if (!fs || logs <= LOGS_BASELINE_KIB) {
    return;
  }
  fs.usedKiB -= logs - LOGS_BASELINE_KIB;
  state.folderKiB[logsDir] = LOGS_BASELINE_KIB;
}

/** As df computes Use%: used over used + available, rounded up. */
export function usePercent(fs: SimFilesystem): number {
  return fs.sizeKiB === 0 ? 0 : Math.ceil((fs.usedKiB * 100) / fs.sizeKiB);
}

function clampPercent(percent: number): number {
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
}

/** /proc/stat: the aggregate line, one line per core, and the kernel's other counters. */
export function procStat(state: SimResourcesState, atMs: number, bootedAtMs: number, processes: number): string {
  const { busy, idle } = cpuTicks(state, atMs);
  const split = (b: number, i: number): number[] => {
    const user = Math.floor(b * 0.62);
    const system = Math.floor(b * 0.3);
    const softirq = b - user - system;
    const iowait = Math.floor(i * 0.01);
    // user nice system idle iowait irq softirq steal guest guest_nice
    return [user, 0, system, i - iowait, iowait, 0, softirq, 0, 0, 0];
  };
  const cores = state.cpu.cores;
  const lines = [`cpu  ${split(busy, idle).join(' ')}`];
  for (let n = 0; n < cores; n += 1) {
    lines.push(`cpu${n} ${split(Math.floor(busy / cores), Math.floor(idle / cores)).join(' ')}`);
  }
  const uptimeS = Math.max(0, Math.floor((atMs - bootedAtMs) / 1000));
  lines.push(
    `intr ${uptimeS * 1_210} 0 0 0 0 0 0 0 0 0 0`,
    `ctxt ${uptimeS * 2_450}`,
    `btime ${Math.floor(bootedAtMs / 1000)}`,
    `processes ${processes}`,
    `procs_running ${1 + Math.floor((state.cpu.busyPercent / 100) * cores)}`,
    'procs_blocked 0',
    `softirq ${uptimeS * 300} 0 ${uptimeS * 120} 0 ${uptimeS * 20} 0 0 ${uptimeS * 10} ${uptimeS * 100} 0 ${uptimeS * 50}`,
  );
  return `${lines.join('\n')}\n`;
}

/** /proc/loadavg, from the current load (the simulator keeps no run queue history). */
export function procLoadavg(state: SimResourcesState, lastPid: number): string {
  const running = (state.cpu.busyPercent / 100) * state.cpu.cores;
  const load = (factor: number): string => (running * factor + 0.05).toFixed(2);
  return `${load(1)} ${load(0.95)} ${load(0.9)} ${1 + Math.floor(running)}/187 ${lastPid}\n`;
}

/** /proc/meminfo with the fields free(1) and the diagnosis read, consistent with the use set. */
export function procMeminfo(state: SimResourcesState): string {
  const { totalKiB, usedPercent, swapTotalKiB } = state.memory;
  const available = Math.round(totalKiB * (1 - usedPercent / 100));
  const buffers = Math.round(available * 0.03);
  const cached = Math.round(available * 0.45);
  const free = Math.max(0, available - buffers - cached);
  const fields: [string, number][] = [
    ['MemTotal', totalKiB],
    ['MemFree', free],
    ['MemAvailable', available],
    ['Buffers', buffers],
    ['Cached', cached],
    ['SwapCached', 0],
    ['Active', Math.round((totalKiB - available) * 0.7)],
    ['Inactive', Math.round(cached * 0.6)],
    ['SwapTotal', swapTotalKiB],
    ['SwapFree', swapTotalKiB],
    ['Dirty', 112],
    ['Shmem', 9_216],
    ['Slab', 101_344],
  ];
  return fields.map(([name, kib]) => `${`${name}:`.padEnd(16)}${String(kib).padStart(8)} kB\n`).join('');
}
