/** CPU time counters from the first ("cpu ") line of /proc/stat, in clock ticks. */
export type CpuTimes = { busy: number; total: number };

/** Reads every `cpu ` line in the text (a probe may print /proc/stat twice, some time apart). */
export function parseCpuTimes(procStat: string): CpuTimes[] {
  const samples: CpuTimes[] = [];
  for (const line of procStat.split('\n')) {
    if (!line.startsWith('cpu ')) {
      continue;
    }
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    if (fields.length < 4 || fields.some((n) => !Number.isFinite(n) || n < 0)) {
      continue;
    }
    // user nice system idle iowait irq softirq steal [guest guest_nice — already counted in user/nice]
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const idleAll = idle + iowait;
    const total = user + nice + system + idleAll + irq + softirq + steal;
    samples.push({ busy: total - idleAll, total });
  }
  return samples;
}

/** Busy share between two readings, in percent; null when the counters did not move or went backwards. */
export function cpuBusyPercent(before: CpuTimes, after: CpuTimes): number | null {
  const total = after.total - before.total;
  const busy = after.busy - before.busy;
  if (total <= 0 || busy < 0) {
    return null;
  }
  return Math.min(100, Math.max(0, (busy / total) * 100));
}
