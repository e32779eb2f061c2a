import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseDfPosix } from '../../../electron/core/diagnostics/parsers/df';
import { parseMeminfo } from '../../../electron/core/diagnostics/parsers/meminfo';
import { cpuBusyPercent, parseCpuTimes } from '../../../electron/core/diagnostics/parsers/procStat';

describe('/proc and df parsers', () => {
  it('computes CPU busy share between two /proc/stat readings', () => {
    const text = 'cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4\nintr 5\ncpu  200 0 150 850 0 0 0 0 0 0\n';
    const [a, b] = parseCpuTimes(text);
    expect(a).toEqual({ busy: 200, total: 1000 });
    expect(cpuBusyPercent(a!, b!)).toBeCloseTo((150 / 200) * 100);
    expect(cpuBusyPercent(b!, a!)).toBeNull();
  });

  it('reads this machine’s real /proc/stat and /proc/meminfo', () => {
    expect(parseCpuTimes(readFileSync('/proc/stat', 'utf8'))).toHaveLength(1);
    const mem = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
    expect(mem?.totalKiB).toBeGreaterThan(0);
    expect(mem?.usedPercent).toBeGreaterThan(0);
    expect(mem?.usedPercent).toBeLessThan(100);
  });

  it('falls back to free + buffers + cached without MemAvailable, and refuses garbage', () => {
    expect(parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 50 kB\n')?.usedPercent).toBe(80);
    expect(parseMeminfo('garbage')).toBeNull();
  });

  it('parses real df -P output, including mount points with spaces', () => {
    const rows = parseDfPosix(execFileSync('df', ['-P', '-k', '/'], { encoding: 'utf8' }));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.mountedOn).toBe('/');
    const spaced = parseDfPosix(
      'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sda1 100 88 12 88% /mnt/my logs\n',
    );
    expect(spaced[0]).toMatchObject({ usePercent: 88, mountedOn: '/mnt/my logs', usedKiB: 88 });
  });
});
