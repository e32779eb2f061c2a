export type MemoryUse = { totalKiB: number; availableKiB: number; usedPercent: number };

/** Memory in use from /proc/meminfo: what is not available (MemAvailable, or free + buffers + cached on old kernels). */
export function parseMeminfo(text: string): MemoryUse | null {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)\s*kB/.exec(line.trim());
    if (match?.[1] && match[2]) {
      values.set(match[1], Number(match[2]));
    }
  }
  const total = values.get('MemTotal');
  if (!total) {
    return null;
  }
  const available =
    values.get('MemAvailable') ??
    (values.get('MemFree') ?? 0) + (values.get('Buffers') ?? 0) + (values.get('Cached') ?? 0);
  const usedPercent = Math.min(100, Math.max(0, ((total - available) / total) * 100));
  return { totalKiB: total, availableKiB: available, usedPercent };
}
