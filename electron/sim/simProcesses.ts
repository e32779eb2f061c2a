import { setCpuLoad, setMemoryUse } from './simResources';
import type { SimVehicle } from './SimVehicle';

/**
 * The processes a simulated vehicle shows to ps and top, made from its state: systemd and the daemons every image
 * runs, the two OHT-50 services and the installed dependencies while they run, and the login's own shell. The load
 * above a healthy vehicle's (setCpuLoad, setMemoryUse) is the backend's: the runaway the runbook's alert actions
 * restart it for, so it ends with the backend's process.
 */

export type SimProcess = {
  pid: number;
  ppid: number;
  user: string;
  /** Share of one core, as ps and top count it (up to 100 × cores in all). */
  pcpu: number;
  rssKiB: number;
  vszKiB: number;
  startMs: number;
  state: 'S' | 'R' | 'I';
  /** The short name (comm) and the full command line (args). */
  comm: string;
  args: string;
};

/** What a healthy vehicle's cores and memory carry (defaultResources); anything above is the backend's. */
export const BASELINE_CPU_PERCENT = 7;
export const BASELINE_MEMORY_PERCENT = 38;

const BACKEND_RSS_KIB = 184_320;
const FIRMWARE_RSS_KIB = 23_552;

type Fixed = Omit<SimProcess, 'startMs'> & { afterBootMs: number };

const SYSTEM_PROCESSES: readonly Fixed[] = [
  fixed(1, 0, 'root', 0.1, 12_544, 168_680, 'S', 'systemd', '/sbin/init splash', 0),
  fixed(2, 0, 'root', 0, 0, 0, 'S', 'kthreadd', '[kthreadd]', 0),
  fixed(312, 1, 'root', 0.1, 38_912, 75_664, 'S', 'systemd-journal', '/lib/systemd/systemd-journald', 2_000),
  fixed(340, 1, 'root', 0, 6_144, 25_088, 'S', 'systemd-udevd', '/lib/systemd/systemd-udevd', 2_500),
  fixed(498, 1, 'root', 0, 2_816, 8_092, 'S', 'cron', '/usr/sbin/cron -f', 6_000),
  fixed(
    512,
    1,
    'root',
    0,
    7_936,
    15_420,
    'S',
    'sshd',
    'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
    6_500,
  ),
];

function fixed(
  pid: number,
  ppid: number,
  user: string,
  pcpu: number,
  rssKiB: number,
  vszKiB: number,
  state: SimProcess['state'],
  comm: string,
  args: string,
  afterBootMs: number,
): Fixed {
  return { pid, ppid, user, pcpu, rssKiB, vszKiB, state, comm, args, afterBootMs };
}

/** Every process at `nowMs`, by pid; `login` names the user whose shell asks (its sshd session and shell come last). */
export function processTable(vehicle: SimVehicle, nowMs: number, login: string, asking: string): SimProcess[] {
  const { resources, system, services, otherUnits } = vehicle.state;
  const boot = system.bootedAtMs;
  const out: SimProcess[] = SYSTEM_PROCESSES.map(({ afterBootMs, ...p }) => ({ ...p, startMs: boot + afterBootMs }));
  const extraCpu = Math.max(0, resources.cpu.busyPercent - BASELINE_CPU_PERCENT) * resources.cpu.cores;
  const extraKiB = Math.max(
    0,
    ((resources.memory.usedPercent - BASELINE_MEMORY_PERCENT) / 100) * resources.memory.totalKiB,
  );
  for (const s of Object.values(services)) {
    if (s.mainPid === 0) {
      continue;
    }
    const backend = s.role === 'backend';
    const [program = s.processName] = s.execStart.split(' ');
    out.push({
      pid: s.mainPid,
      ppid: 1,
      user: s.runAs,
      pcpu: (backend ? 2.1 : 3.4) + (backend ? extraCpu : 0),
      rssKiB: Math.round(backend ? BACKEND_RSS_KIB + extraKiB : FIRMWARE_RSS_KIB),
      vszKiB: backend ? 412_880 + Math.round(extraKiB) : 98_304,
      startMs: s.execMainStartMs ?? boot,
      state: backend && extraCpu > 0 ? 'R' : 'S',
      comm: program.split('/').pop() ?? s.processName,
      args: backend ? `/opt/oht50/venv/bin/python3 ${s.execStart}` : s.execStart,
    });
  }
  for (const u of Object.values(otherUnits)) {
    if (u.mainPid === 0 || u.activeState !== 'active') {
      continue;
    }
    out.push({
      pid: u.mainPid,
      ppid: 1,
      user: u.runAs,
      pcpu: 0.2,
      rssKiB: 9_728,
      vszKiB: 54_016,
      startMs: u.execMainStartMs ?? u.sinceMs,
      state: 'S',
      comm: u.processName.slice(0, 15),
      args: u.execStart,
    });
  }
  const session = system.nextPid + 100;
  out.push(
    {
      pid: session,
      ppid: 512,
      user: 'root',
      pcpu: 0,
      rssKiB: 9_216,
      vszKiB: 17_060,
      startMs: nowMs,
      state: 'S',
      comm: 'sshd',
      args: `sshd: ${login} [priv]`,
    },
    {
      pid: session + 1,
      ppid: session,
      user: login,
      pcpu: 0,
      rssKiB: 1_536,
      vszKiB: 2_480,
      startMs: nowMs,
      state: 'S',
      comm: 'sh',
      args: 'sh -c',
    },
    {
      pid: session + 2,
      ppid: session + 1,
      user: login,
      pcpu: 0,
      rssKiB: 3_840,
      vszKiB: 9_964,
      startMs: nowMs,
      state: 'R',
      comm: asking.split(' ')[0] ?? 'ps',
      args: asking,
    },
  );
  return out.sort((a, b) => a.pid - b.pid);
}

/** The memory share of a process, as ps's %MEM. */
export function memPercent(vehicle: SimVehicle, p: SimProcess): number {
  return (p.rssKiB * 100) / vehicle.state.resources.memory.totalKiB;
}

/** The backend's process ended (stopped, restarted, crashed): the load it carried goes with it. */
export function endBackendLoad(vehicle: SimVehicle, atMs: number): void {
  const { resources } = vehicle.state;
  if (resources.cpu.busyPercent > BASELINE_CPU_PERCENT) {
    setCpuLoad(resources, BASELINE_CPU_PERCENT, atMs);
  }
  if (resources.memory.usedPercent > BASELINE_MEMORY_PERCENT) {
    setMemoryUse(resources, BASELINE_MEMORY_PERCENT);
  }
}
