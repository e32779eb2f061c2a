import { describe, expect, it } from 'vitest';

import { parseDfPosix } from '../../../electron/core/diagnostics/parsers/df';
import { parseDuTotalKiB } from '../../../electron/core/diagnostics/parsers/du';
import { parseLoadavg } from '../../../electron/core/diagnostics/parsers/loadavg';
import { parseMeminfo } from '../../../electron/core/diagnostics/parsers/meminfo';
import { cpuBusyPercent, parseCpuTimes } from '../../../electron/core/diagnostics/parsers/procStat';
import type { Clock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';

const START = Date.UTC(2026, 10, 28, 12, 0, 0);
const OHT = { name: 'oht' };
const CPU_PROBE = 'head -n 1 /proc/stat; cat /proc/loadavg; sleep 0.5; head -n 1 /proc/stat';

function manualClock(): Clock & { advance(ms: number): void } {
  let t = START;
  return { now: () => t, nowIso: () => new Date(t).toISOString(), advance: (ms) => (t += ms) };
}

function busyOver(v: SimVehicle, command = CPU_PROBE): number | null {
  const [a, b] = parseCpuTimes(answerCommand(v, command, OHT).stdout);
  return a && b ? cpuBusyPercent(a, b) : null;
}

describe('simulated CPU', () => {
  it('answers the two readings of the CPU probe with the load it runs at, sleep taking no real time', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    const started = Date.now();
    expect(busyOver(v)).toBeCloseTo(7, 0);
    v.setCpuLoad(97);
    expect(busyOver(v)).toBeCloseTo(97, 0);
    expect(Date.now() - started).toBeLessThan(400);
    const out = answerCommand(v, CPU_PROBE, OHT).stdout;
    expect(parseLoadavg(out)).toMatchObject({ one: 7.81 });
    expect(out.split('\n')).toHaveLength(4);
  });

  it('keeps the counters moving forward between execs, as telemetry reads them', () => {
    const clock = manualClock();
    const v = new SimVehicle({ name: 'sim-01', clock });
    v.setCpuLoad(50);
    const read = (): ReturnType<typeof parseCpuTimes>[number] | undefined =>
      parseCpuTimes(answerCommand(v, 'cat /proc/stat', OHT).stdout)[0];
    answerCommand(v, CPU_PROBE, OHT);
    const first = read();
    clock.advance(1_000);
    const second = read();
    expect(first && second && cpuBusyPercent(first, second)).toBeCloseTo(50, 0);
    // The full file has a line per core and the kernel's other counters.
    const full = answerCommand(v, 'cat /proc/stat', OHT).stdout;
    expect(full).toMatch(/^cpu7 /m);
    expect(full).toMatch(/^btime \d+$/m);
  });
});

describe('simulated memory', () => {
  it('shows the set use through MemAvailable', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    const used = (): number | undefined => parseMeminfo(answerCommand(v, 'cat /proc/meminfo', OHT).stdout)?.usedPercent;
    expect(used()).toBeCloseTo(38, 0);
    v.setMemoryUse(96);
    expect(used()).toBeCloseTo(96, 0);
  });
});

describe('simulated disks', () => {
  it('answers df -P for the install folder and its logs, one row per path, and du for the logs', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    const r = answerCommand(v, 'df -P -k /opt/oht50 /opt/oht50/logs', OHT);
    expect(r.exitCode).toBe(0);
    const rows = parseDfPosix(r.stdout);
    expect(rows.map((row) => [row.filesystem, row.mountedOn, row.usePercent])).toEqual([
      ['/dev/mmcblk0p2', '/', 42],
      ['/dev/mmcblk0p2', '/', 42],
    ]);
    expect(r.stdout.split('\n')[0]).toBe('Filesystem     1024-blocks     Used Available Capacity Mounted on');
    expect(parseDuTotalKiB(answerCommand(v, 'du -sk /opt/oht50/logs', OHT).stdout, '/opt/oht50/logs')).toBe(24_576);
  });

  it('fills the partition that holds the logs, the logs folder growing with it, and cleans up again', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    v.fillLogPartition(93);
    const df = parseDfPosix(answerCommand(v, 'df -P -k /opt/oht50/logs', OHT).stdout);
    expect(df[0]?.usePercent).toBe(93);
    const logs = parseDuTotalKiB(answerCommand(v, 'du -sk /opt/oht50/logs', OHT).stdout, '/opt/oht50/logs') ?? 0;
    expect(logs).toBeGreaterThan(14 * 1024 * 1024);
    v.fillLogPartition(0);
    expect(parseDfPosix(answerCommand(v, 'df -P -k /opt/oht50', OHT).stdout)[0]?.usePercent).toBeLessThan(42);
    expect(answerCommand(v, 'du -sk /opt/oht50/logs', OHT).stdout).toBe('4\t/opt/oht50/logs\n');
  });

  it('says what df and du say about a path that does not exist, and prints the runbook’s -h forms', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    expect(answerCommand(v, 'df -P -k /nope /opt/oht50', OHT)).toMatchObject({
      stderr: 'df: /nope: No such file or directory\n',
      exitCode: 1,
    });
    expect(answerCommand(v, 'df -P -k /nope', OHT)).toEqual({
      stdout: '',
      stderr: 'df: /nope: No such file or directory\n',
      exitCode: 1,
    });
    expect(answerCommand(v, 'du -sk /nope', OHT)).toMatchObject({
      stderr: "du: cannot access '/nope': No such file or directory\n",
      exitCode: 1,
    });
    expect(answerCommand(v, 'du -sh /opt/oht50/logs/', OHT).stdout).toBe('24M\t/opt/oht50/logs/\n');
    const human = answerCommand(v, 'df -h', OHT).stdout.split('\n');
    expect(human[0]).toMatch(/^Filesystem\s+Size\s+Used\s+Avail\s+Use%\s+Mounted on$/);
    expect(human.find((l) => l.endsWith(' /'))).toMatch(/^\/dev\/mmcblk0p2\s+29G\s+12G\s+17G\s+42% \/$/);
  });

  it('refuses bad sleep and head arguments as coreutils does', () => {
    const v = new SimVehicle({ name: 'sim-01', clock: manualClock() });
    expect(answerCommand(v, 'sleep soon', OHT)).toEqual({
      stdout: '',
      stderr: "sleep: invalid time interval 'soon'\nTry 'sleep --help' for more information.\n",
      exitCode: 1,
    });
    expect(answerCommand(v, 'head -n 2 /opt/oht50/config/system.yaml', OHT).stdout).toBe(
      '# OHT-50 system configuration\nsystem:\n',
    );
    expect(answerCommand(v, 'head -n x /proc/stat', OHT).exitCode).toBe(1);
  });
});
