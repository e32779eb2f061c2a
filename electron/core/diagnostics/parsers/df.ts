export type FilesystemUse = {
  filesystem: string;
  sizeKiB: number;
  usedKiB: number;
  availableKiB: number;
  /** As df computes it: used / (used + available), rounded up. */
  usePercent: number;
  mountedOn: string;
};

/** Parses `df -P -k [PATH…]` (POSIX format: one line per filesystem, a header first). */
export function parseDfPosix(text: string): FilesystemUse[] {
  const rows: FilesystemUse[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6 || fields[0] === 'Filesystem') {
      continue;
    }
    const [filesystem = '', size, used, available, percent = ''] = fields;
    const mountedOn = fields.slice(5).join(' ');
    const numbers = [size, used, available].map(Number);
    const pct = Number(percent.replace('%', ''));
    if (numbers.some((n) => !Number.isFinite(n)) || !Number.isFinite(pct)) {
      continue;
    }
    rows.push({
      filesystem,
      sizeKiB: numbers[0] ?? 0,
      usedKiB: numbers[1] ?? 0,
      availableKiB: numbers[2] ?? 0,
      usePercent: pct,
      mountedOn,
    });
  }
  return rows;
}
