import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { judgeCpu, judgeDisk, judgeMemory } from '../../../electron/core/diagnostics/modules/resourcesChecks';
import { resourcesModule } from '../../../electron/core/diagnostics/modules/resourcesModule';
import { RUNBOOK } from '../../../electron/core/diagnostics/runbook';
import type { Probe, ProbeOutput } from '../../../electron/core/transport/batch';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';

const T = DEFAULT_THRESHOLDS;
const probe = (key: string, command: string): Probe => ({ key, command });
const out = (stdout: string, exitCode: number | null = 0, truncated = false): ProbeOutput => ({
  key: 'k',
  stdout,
  exitCode,
  truncated,
});

const CPU_CMD = probe('resources.cpu', 'head -n 1 /proc/stat; cat /proc/loadavg; sleep 0.5; head -n 1 /proc/stat');
/** Two readings of an 8-core board 0.5 s apart (400 ticks), `busy` of them busy. */
function cpuAnswer(busy: number): string {
  const idle = 400 - busy;
  return (
    'cpu  2499840 120 1209600 53032320 535680 0 322560 0 0 0\n' +
    '3.85 2.10 1.20 5/212 4711\n' +
    `cpu  ${2499840 + Math.floor(busy * 0.7)} 120 ${1209600 + busy - Math.floor(busy * 0.7)} ${53032320 + idle} 535680 0 322560 0 0 0`
  );
}

describe('resources.cpu', () => {
  it('measures the busy share between the two readings and shows the load average', () => {
    const check = judgeCpu('resources.cpu', { probe: CPU_CMD, output: out(cpuAnswer(40)) }, T.cpuPercent);
    expect(check).toMatchObject({
      id: 'resources.cpu',
      level: 'OK',
      message: 'CPU 10 % busy; load average 3.85 2.10 1.20',
    });
    expect(check.runbook).toBeUndefined();
    expect(check.metrics).toEqual({ cpuPercent: 10 });
    expect(check.evidence).toBe(`$ ${CPU_CMD.command}\n${cpuAnswer(40)}\n(exit 0)`);
  });

  it('warns from 80 % to the troubleshooting section and is an error from 95 % with the alert action', () => {
    const warn = judgeCpu('resources.cpu', { probe: CPU_CMD, output: out(cpuAnswer(348)) }, T.cpuPercent);
    expect(warn).toMatchObject({ level: 'WARN', runbook: RUNBOOK.memoryCpu });
    expect(warn.message).toMatch(/^CPU 87 % busy: above the 80 % warning; load average/);
    const error = judgeCpu('resources.cpu', { probe: CPU_CMD, output: out(cpuAnswer(380)) }, T.cpuPercent);
    expect(error).toMatchObject({ level: 'ERROR', runbook: RUNBOOK.highCpu });
    expect(error.message).toMatch(/^CPU 95 % busy: at the 95 % critical level/);
  });

  it('is STALE with the reason on garbage, half an answer, a hang, a missing tool or counters that did not move', () => {
    const judge = (o: ProbeOutput | undefined): string => {
      const check = judgeCpu('resources.cpu', { probe: CPU_CMD, output: o }, T.cpuPercent);
      expect(check.level).toBe('STALE');
      return check.message;
    };
    expect(judge(out('<html>garbage</html>'))).toContain('did not give two readings (<html>garbage</html>)');
    expect(judge(out('cpu  1 2 3 4 5 6 7 8 9 10\n0.1 0.1 0.1 1/2 3', null, true))).toContain('cut off');
    expect(judge(out('cpu  1 2 3 4 5 6 7 8 9 10', 124))).toContain('timed out');
    expect(judge(out('sh: 1: head: not found', 127))).toContain(
      'a tool is missing on the vehicle (sh: 1: head: not found)',
    );
    expect(judge(out('cpu  1 0 1 8 0 0 0 0 0 0\ncpu  1 0 1 8 0 0 0 0 0 0'))).toContain('did not advance');
    expect(judge(undefined)).toContain('no answer from the vehicle');
  });
});

const MEMINFO = (availableKiB: number): string =>
  [
    'MemTotal:        3995836 kB',
    'MemFree:          201044 kB',
    `MemAvailable:    ${availableKiB} kB`,
    'Buffers:           61204 kB',
    'Cached:           912340 kB',
    'SwapTotal:             0 kB',
  ].join('\n');

describe('resources.memory', () => {
  const MEM_CMD = probe('resources.memory', 'cat /proc/meminfo');
  const judge = (text: string, exitCode = 0): ReturnType<typeof judgeMemory> =>
    judgeMemory('resources.memory', { probe: MEM_CMD, output: out(text, exitCode) }, T.memoryPercent);

  it('reads what is not available as used, against the 85/95 % limits', () => {
    expect(judge(MEMINFO(2_397_501))).toMatchObject({
      level: 'OK',
      message: 'memory 40 % used; 2.3 GiB of 3.8 GiB available',
      metrics: { usedPercent: 40 },
    });
    expect(judge(MEMINFO(479_500))).toMatchObject({
      level: 'WARN',
      message: 'memory 88 % used: above the 85 % warning; 468 MiB of 3.8 GiB available',
      runbook: RUNBOOK.memoryCpu,
    });
    expect(judge(MEMINFO(99_895))).toMatchObject({ level: 'ERROR', runbook: RUNBOOK.highMemory });
  });

  it('is STALE on an answer without MemTotal', () => {
    expect(judge('cat: /proc/meminfo: Permission denied', 1)).toMatchObject({
      level: 'STALE',
      message: 'memory use could not be read: no MemTotal in the answer (cat: /proc/meminfo: Permission denied)',
    });
  });
});

const DF_CMD = probe('resources.df', 'df -P -k /opt/oht50 /opt/oht50/logs');
const DU_CMD = probe('resources.du', 'du -sk /opt/oht50/logs');
const HEADER = 'Filesystem     1024-blocks     Used Available Capacity Mounted on';
const ROOT_ROW = '/dev/mmcblk0p2    29874560 12248570  17625990      42% /';
const LOGS_ROW = '/dev/mmcblk0p3     9766400  8594432   1171968      88% /opt/oht50/logs';

function disk(df: ProbeOutput | undefined, du: ProbeOutput | undefined): ReturnType<typeof judgeDisk> {
  return judgeDisk(
    'resources.disk',
    {
      df: { probe: DF_CMD, output: df },
      du: { probe: DU_CMD, output: du },
      installDir: '/opt/oht50',
      logsDir: '/opt/oht50/logs',
    },
    T,
  );
}

describe('resources.disk', () => {
  it('judges each filesystem once, named by its mount point, with what it holds', () => {
    const check = disk(out(`${HEADER}\n${ROOT_ROW}\n${ROOT_ROW}`), out('24576\t/opt/oht50/logs'));
    expect(check.level).toBe('OK');
    expect(check.message).toBe('disk 42 % on / (mmcblk0p2); /opt/oht50/logs holds 24 MiB');
    expect(check.children?.map((c) => [c.id, c.level, c.message])).toEqual([
      [
        'resources.disk./',
        'OK',
        'disk 42 % on / (mmcblk0p2); 16.8 GiB free of 28.5 GiB; holds /opt/oht50 and /opt/oht50/logs',
      ],
      ['resources.disk.logsSize', 'OK', '/opt/oht50/logs holds 24 MiB'],
    ]);
    expect(check.evidence).toContain(`$ ${DF_CMD.command}\n${HEADER}`);
    expect(check.evidence).toContain(`$ ${DU_CMD.command}\n24576\t/opt/oht50/logs\n(exit 0)`);
  });

  it('warns for a log partition above 80 % and names it, the runbook’s High Disk Usage action with it', () => {
    const check = disk(out(`${HEADER}\n${ROOT_ROW}\n${LOGS_ROW}`), out('8594432\t/opt/oht50/logs'));
    expect(check).toMatchObject({
      level: 'ERROR',
      message: '/opt/oht50/logs holds 8.2 GiB: above the 4096 MiB critical level',
      runbook: RUNBOOK.highDisk,
    });
    const logs = check.children?.find((c) => c.id === 'resources.disk./opt/oht50/logs');
    expect(logs).toMatchObject({
      level: 'WARN',
      message:
        'disk 88 % on /opt/oht50/logs (mmcblk0p3): above the 80 % warning; 1.1 GiB free of 9.3 GiB; holds /opt/oht50/logs',
      runbook: RUNBOOK.highDisk,
      metrics: { usePercent: 88 },
    });
    expect(check.children?.at(-1)?.metrics).toEqual({ logsMiB: 8393 });
    expect(check.children?.find((c) => c.id === 'resources.disk./')?.level).toBe('OK');
  });

  it('is an error from 90 %, and the parent says which filesystem', () => {
    const full = '/dev/mmcblk0p3     9766400  8887424    878976      91% /opt/oht50/logs';
    const check = disk(out(`${HEADER}\n${ROOT_ROW}\n${full}`), out('102400\t/opt/oht50/logs'));
    expect(check.level).toBe('ERROR');
    expect(check.message).toMatch(/^disk 91 % on \/opt\/oht50\/logs \(mmcblk0p3\): above the 90 % critical level/);
  });

  it('judges the install folder alone when the logs folder is missing', () => {
    const check = disk(
      out(`df: /opt/oht50/logs: No such file or directory\n${HEADER}\n${ROOT_ROW}`, 1),
      out("du: cannot access '/opt/oht50/logs': No such file or directory", 1),
    );
    expect(check.level).toBe('OK');
    expect(check.children?.map((c) => c.message)).toEqual([
      'disk 42 % on / (mmcblk0p2); 16.8 GiB free of 28.5 GiB; holds /opt/oht50',
      '/opt/oht50/logs does not exist: no log files to measure',
    ]);
  });

  it('keeps a partial du total as a lower bound', () => {
    const check = disk(
      out(`${HEADER}\n${ROOT_ROW}\n${ROOT_ROW}`),
      out("du: cannot read directory '/opt/oht50/logs/private': Permission denied\n1572864\t/opt/oht50/logs", 1),
    );
    const logs = check.children?.find((c) => c.id === 'resources.disk.logsSize');
    expect(logs).toMatchObject({
      level: 'WARN',
      message: '/opt/oht50/logs holds 1.5 GiB (at least: some of it could not be read): above the 1024 MiB warning',
      runbook: RUNBOOK.highDisk,
    });
  });

  it('is STALE with the reason when df cannot be read, and still judges the logs size', () => {
    const missing = disk(out('sh: 1: df: not found', 127), out('24576\t/opt/oht50/logs'));
    expect(missing).toMatchObject({
      level: 'STALE',
      message: 'disk use could not be read: a tool is missing on the vehicle (sh: 1: df: not found)',
    });
    expect(missing.children?.map((c) => [c.id, c.level])).toEqual([['resources.disk.logsSize', 'OK']]);
    expect(disk(out('Segmentation fault'), out('24576\t/opt/oht50/logs')).message).toBe(
      'disk use could not be read: Segmentation fault',
    );
    expect(disk(out(`${HEADER}\n/dev/mmc`, null, true), undefined)).toMatchObject({ level: 'STALE' });
    expect(disk(out(`${HEADER}\n${ROOT_ROW}`), out('garbage')).children?.at(-1)).toMatchObject({
      level: 'STALE',
      message: 'size of /opt/oht50/logs could not be read: garbage',
    });
  });
});

describe('the resources module', () => {
  const unit = { name: 'u', profile: { ...DEFAULT_VEHICLE_PROFILE, installDir: '/srv/oht 50/' } } as Unit;

  it('asks with plain commands the simulator’s shell runs too, quoting the install folder', () => {
    const probes = resourcesModule.probes({ unit, profile: unit.profile, thresholds: T });
    expect(probes.map((p) => p.command)).toEqual([
      'head -n 1 /proc/stat; cat /proc/loadavg; sleep 0.5; head -n 1 /proc/stat',
      'cat /proc/meminfo',
      "df -P -k '/srv/oht 50' '/srv/oht 50/logs'",
      "du -sk '/srv/oht 50/logs'",
    ]);
    for (const p of probes) {
      expect(p.command).not.toMatch(/\$\(|`|(^|[^|])\|([^|]|$)|\bif\b|\bfor\b/);
      expect(p.timeoutS).toBeLessThanOrEqual(5);
    }
  });

  it('reports its three checks, each STALE when nothing came back', () => {
    const checks = resourcesModule.judge(
      { unit, profile: unit.profile, thresholds: T, sentAtMs: 0, receivedAtMs: 0 },
      new Map(),
    );
    expect(checks.map((c) => [c.id, c.level])).toEqual([
      ['resources.cpu', 'STALE'],
      ['resources.memory', 'STALE'],
      ['resources.disk', 'STALE'],
    ]);
    expect(resourcesModule.checkIds).toEqual(checks.map((c) => c.id));
  });
});
