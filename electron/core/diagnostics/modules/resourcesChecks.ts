import { judgedLevel, type CheckResult } from '../../../../shared/domain/health';
import { levelFor, type Thresholds } from '../../../../shared/domain/thresholds';
import type { Probe, ProbeOutput } from '../../transport/batch';
import { evidenceOf, firstLine, unusable } from '../checkModule';
import { parseDfPosix, type FilesystemUse } from '../parsers/df';
import { parseDuTotalKiB } from '../parsers/du';
import { parseLoadavg } from '../parsers/loadavg';
import { parseMeminfo } from '../parsers/meminfo';
import { cpuBusyPercent, parseCpuTimes } from '../parsers/procStat';
import { RUNBOOK } from '../runbook';

/**
 * Judges of the OS resource checks against the runbook's alert thresholds. A warning sends the technician to
 * find the cause (Troubleshooting › Memory/CPU); a critical reading to the alert action that relieves it.
 */

type Limit = { warning: number; critical: number };
type Probed = { probe: Probe | undefined; output: ProbeOutput | undefined };

function stale(id: string, message: string, evidence: string): CheckResult {
  return { id, level: 'STALE', message, evidence };
}

/** ": above the 80 % warning" for a reading that is not OK, '' for one that is. */
function limitNote(value: number, limit: Limit, unit: string): string {
  const level = levelFor(value, limit);
  if (level === 'OK') {
    return '';
  }
  const [name, at] = level === 'ERROR' ? ['critical level', limit.critical] : ['warning', limit.warning];
  return `: ${value > at ? 'above' : 'at'} the ${at}${unit} ${name}`;
}

function formatKiB(kib: number): string {
  if (kib >= 1024 * 1024) {
    return `${(kib / (1024 * 1024)).toFixed(1)} GiB`;
  }
  if (kib >= 1024) {
    return `${Math.round(kib / 1024)} MiB`;
  }
  return `${Math.round(kib)} KiB`;
}

export function judgeCpu(id: string, { probe, output }: Probed, limit: Limit): CheckResult {
  const evidence = evidenceOf(probe, output);
  const reason = unusable(output);
  if (reason !== null || !output) {
    return stale(id, `CPU load could not be read: ${reason ?? 'no answer'}`, evidence);
  }
  const samples = parseCpuTimes(output.stdout);
  const first = samples[0];
  const last = samples.at(-1);
  if (samples.length < 2 || !first || !last) {
    return stale(
      id,
      `CPU load could not be read: /proc/stat did not give two readings (${firstLine(output.stdout) || 'empty answer'})`,
      evidence,
    );
  }
  const busy = cpuBusyPercent(first, last);
  if (busy === null) {
    return stale(id, 'CPU load could not be read: the CPU counters did not advance between the two readings', evidence);
  }
  const percent = Math.round(busy);
  const level = levelFor(percent, limit);
  const load = parseLoadavg(output.stdout);
  const loadText = load
    ? `; load average ${load.one.toFixed(2)} ${load.five.toFixed(2)} ${load.fifteen.toFixed(2)}`
    : '';
  return {
    id,
    level,
    message: `CPU ${percent} % busy${limitNote(percent, limit, ' %')}${loadText}`,
    evidence,
    metrics: { cpuPercent: percent },
    ...(level === 'OK' ? {} : { runbook: level === 'ERROR' ? RUNBOOK.highCpu : RUNBOOK.memoryCpu }),
  };
}

export function judgeMemory(id: string, { probe, output }: Probed, limit: Limit): CheckResult {
  const evidence = evidenceOf(probe, output);
  const reason = unusable(output);
  if (reason !== null || !output) {
    return stale(id, `memory use could not be read: ${reason ?? 'no answer'}`, evidence);
  }
  const memory = parseMeminfo(output.stdout);
  if (!memory) {
    return stale(
      id,
      `memory use could not be read: no MemTotal in the answer (${firstLine(output.stdout) || 'empty answer'})`,
      evidence,
    );
  }
  const percent = Math.round(memory.usedPercent);
  const level = levelFor(percent, limit);
  return {
    id,
    level,
    message:
      `memory ${percent} % used${limitNote(percent, limit, ' %')}; ` +
      `${formatKiB(memory.availableKiB)} of ${formatKiB(memory.totalKiB)} available`,
    evidence,
    metrics: { usedPercent: percent },
    ...(level === 'OK' ? {} : { runbook: level === 'ERROR' ? RUNBOOK.highMemory : RUNBOOK.memoryCpu }),
  };
}

export type DiskProbes = { df: Probed; du: Probed; installDir: string; logsDir: string };

/**
 * Every filesystem that holds the install folder or its logs, once per mount, and the size of the logs folder.
 * The parent takes the worst child's level and message, so the list view says what is wrong.
 */
export function judgeDisk(id: string, probes: DiskProbes, thresholds: Thresholds): CheckResult {
  const dfEvidence = evidenceOf(probes.df.probe, probes.df.output);
  const evidence = `${dfEvidence}\n\n${evidenceOf(probes.du.probe, probes.du.output)}`;
  const logs = judgeLogsSize(`${id}.logsSize`, probes.du, probes.logsDir, thresholds.logsDirMiB);
  const mounts = judgeMounts(id, probes, thresholds.diskPercent, dfEvidence);
  if (!Array.isArray(mounts)) {
    // df could not be read: the disk check says why, and the size of the logs is still judged below it.
    return { id, level: 'STALE', message: mounts.reason, evidence, children: [logs] };
  }
  const children = [...mounts, logs];
  const level = judgedLevel(children.map((c) => c.level));
  if (level === 'OK') {
    const use = mounts.map((m) => m.message.replace(/; .*$/, '')).join(', ');
    return { id, level, message: `${use}; ${logs.message}`, evidence, children };
  }
  const worst = children.find((c) => c.level === level);
  return {
    id,
    level,
    message: worst?.message ?? '',
    evidence,
    ...(worst?.runbook === undefined ? {} : { runbook: worst.runbook }),
    children,
  };
}

function judgeMounts(
  id: string,
  { df, installDir, logsDir }: DiskProbes,
  limit: Limit,
  evidence: string,
): CheckResult[] | { reason: string } {
  const reason = unusable(df.output);
  if (reason !== null || !df.output) {
    return { reason: `disk use could not be read: ${reason ?? 'no answer'}` };
  }
  const text = df.output.stdout;
  const rows = parseDfPosix(text);
  if (rows.length === 0) {
    return { reason: `disk use could not be read: ${firstLine(text) || 'df printed nothing'}` };
  }
  // df prints one row per path it could resolve, in order; a path it could not is named in an error line.
  const found = [installDir, logsDir].filter((p) => !text.includes(`df: ${p}:`) && !text.includes(`df: '${p}':`));
  const holds = new Map<string, string[]>();
  if (found.length === rows.length) {
    rows.forEach((row, i) => holds.set(row.mountedOn, [...(holds.get(row.mountedOn) ?? []), found[i] ?? '']));
  }
  const byMount = new Map<string, FilesystemUse>();
  for (const row of rows) {
    byMount.set(row.mountedOn, row);
  }
  return [...byMount.values()].map((row) =>
    judgeMount(`${id}.${row.mountedOn}`, row, holds.get(row.mountedOn), limit, evidence),
  );
}

function judgeMount(
  id: string,
  row: FilesystemUse,
  holds: string[] | undefined,
  limit: Limit,
  evidence: string,
): CheckResult {
  const level = levelFor(row.usePercent, limit);
  const device = row.filesystem.startsWith('/dev/') ? row.filesystem.slice('/dev/'.length) : row.filesystem;
  const holdsText = holds && holds.length > 0 ? `; holds ${holds.join(' and ')}` : '';
  return {
    id,
    level,
    message:
      `disk ${row.usePercent} % on ${row.mountedOn} (${device})${limitNote(row.usePercent, limit, ' %')}; ` +
      `${formatKiB(row.availableKiB)} free of ${formatKiB(row.sizeKiB)}${holdsText}`,
    evidence,
    metrics: { usePercent: row.usePercent },
    ...(level === 'OK' ? {} : { runbook: RUNBOOK.highDisk }),
  };
}

function judgeLogsSize(id: string, { probe, output }: Probed, logsDir: string, limit: Limit): CheckResult {
  const evidence = evidenceOf(probe, output);
  const reason = unusable(output);
  if (reason !== null || !output) {
    return stale(id, `size of ${logsDir} could not be read: ${reason ?? 'no answer'}`, evidence);
  }
  const kib = parseDuTotalKiB(output.stdout, logsDir);
  if (kib === null) {
    if (/No such file or directory/.test(output.stdout)) {
      return { id, level: 'OK', message: `${logsDir} does not exist: no log files to measure`, evidence };
    }
    return stale(
      id,
      `size of ${logsDir} could not be read: ${firstLine(output.stdout) || 'du printed nothing'}`,
      evidence,
    );
  }
  const mib = Math.round(kib / 1024);
  const level = levelFor(mib, limit);
  // du still prints a total when some subfolder is unreadable; the folder is then larger than that.
  const partial = output.exitCode !== 0 ? ' (at least: some of it could not be read)' : '';
  return {
    id,
    level,
    message: `${logsDir} holds ${formatKiB(kib)}${partial}${limitNote(mib, limit, ' MiB')}`,
    evidence,
    metrics: { logsMiB: mib },
    ...(level === 'OK' ? {} : { runbook: RUNBOOK.highDisk }),
  };
}
