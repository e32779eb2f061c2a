import type { Said, SaidValue } from '../../../../shared/domain/said';
import { asMessage, said, say } from '../../../../shared/domain/words';
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

function stale(id: string, words: Said, evidence: string): CheckResult {
  return { id, level: 'STALE', ...asMessage(words), evidence };
}

/** ": above the 80 % warning" for a reading that is not OK, '' for one that is. */
function limitNote(value: number, limit: Limit, unit: string): Said | '' {
  const level = levelFor(value, limit);
  if (level === 'OK') {
    return '';
  }
  const [name, at] =
    level === 'ERROR' ? [say('resources.critical'), limit.critical] : [say('resources.warning'), limit.warning];
  return say(value > at ? 'resources.above' : 'resources.at', { at, unit, name });
}

function formatKiB(kib: number): Said {
  if (kib >= 1024 * 1024) {
    return say('resources.gib', { n: kib / (1024 * 1024) });
  }
  if (kib >= 1024) {
    return say('resources.mib', { n: Math.round(kib / 1024) });
  }
  return say('resources.kib', { n: Math.round(kib) });
}

const firstLineOr = (text: string, otherwise: Said): SaidValue => {
  const line = firstLine(text);
  return line === '' ? otherwise : { raw: line };
};

export function judgeCpu(id: string, { probe, output }: Probed, limit: Limit): CheckResult {
  const evidence = evidenceOf(probe, output);
  const reason = unusable(output);
  if (reason !== null || !output) {
    return stale(id, say('cpu.unreadable', { reason: reason ?? say('probe.noAnswer') }), evidence);
  }
  const samples = parseCpuTimes(output.stdout);
  const first = samples[0];
  const last = samples.at(-1);
  if (samples.length < 2 || !first || !last) {
    const line = firstLineOr(output.stdout, say('cpu.emptyAnswer'));
    return stale(id, say('cpu.unreadable', { reason: say('cpu.noTwoReadings', { line }) }), evidence);
  }
  const busy = cpuBusyPercent(first, last);
  if (busy === null) {
    return stale(id, say('cpu.unreadable', { reason: say('cpu.counters') }), evidence);
  }
  const percent = Math.round(busy);
  const level = levelFor(percent, limit);
  const load = parseLoadavg(output.stdout);
  const loadText = load ? say('cpu.load', { one: load.one, five: load.five, fifteen: load.fifteen }) : '';
  return {
    id,
    level,
    ...said('cpu.busy', { percent, limit: limitNote(percent, limit, ' %'), load: loadText }),
    evidence,
    metrics: { cpuPercent: percent },
    ...(level === 'OK' ? {} : { runbook: level === 'ERROR' ? RUNBOOK.highCpu : RUNBOOK.memoryCpu }),
  };
}

export function judgeMemory(id: string, { probe, output }: Probed, limit: Limit): CheckResult {
  const evidence = evidenceOf(probe, output);
  const reason = unusable(output);
  if (reason !== null || !output) {
    return stale(id, say('memory.unreadable', { reason: reason ?? say('probe.noAnswer') }), evidence);
  }
  const memory = parseMeminfo(output.stdout);
  if (!memory) {
    const line = firstLineOr(output.stdout, say('cpu.emptyAnswer'));
    return stale(id, say('memory.unreadable', { reason: say('memory.noTotal', { line }) }), evidence);
  }
  const percent = Math.round(memory.usedPercent);
  const level = levelFor(percent, limit);
  return {
    id,
    level,
    ...said('memory.used', {
      percent,
      limit: limitNote(percent, limit, ' %'),
      available: formatKiB(memory.availableKiB),
      total: formatKiB(memory.totalKiB),
    }),
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
    return { id, level: 'STALE', ...said('disk.unreadable', { reason: mounts.reason }), evidence, children: [logs] };
  }
  const children = [...mounts, logs];
  const level = judgedLevel(children.map((c) => c.level));
  if (level === 'OK') {
    const use = { list: mounts.map((m) => mountUse(m)) };
    return {
      id,
      level,
      ...said('disk.allOk', { mounts: use, logs: logs.say ?? { raw: logs.message } }),
      evidence,
      children,
    };
  }
  const worst = children.find((c) => c.level === level);
  return {
    id,
    level,
    message: worst?.message ?? '',
    say: worst?.say,
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
): CheckResult[] | { reason: SaidValue } {
  const reason = unusable(df.output);
  if (reason !== null || !df.output) {
    return { reason: reason ?? say('probe.noAnswer') };
  }
  const text = df.output.stdout;
  const rows = parseDfPosix(text);
  if (rows.length === 0) {
    return { reason: firstLineOr(text, say('disk.dfNothing')) };
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
  const [one, two] = holds ?? [];
  const paths = one === undefined ? '' : two === undefined ? one : say('api.and', { a: one, b: two });
  const holdsText = paths === '' ? '' : say('disk.holds', { paths });
  const use = say('disk.mount', {
    percent: row.usePercent,
    mount: row.mountedOn,
    device,
    limit: limitNote(row.usePercent, limit, ' %'),
  });
  return {
    id,
    level,
    ...said('disk.mountFull', {
      use,
      free: formatKiB(row.availableKiB),
      size: formatKiB(row.sizeKiB),
      holds: holdsText,
    }),
    evidence,
    metrics: { usePercent: row.usePercent },
    ...(level === 'OK' ? {} : { runbook: RUNBOOK.highDisk }),
  };
}

function judgeLogsSize(id: string, { probe, output }: Probed, logsDir: string, limit: Limit): CheckResult {
  const evidence = evidenceOf(probe, output);
  const reason = unusable(output);
  if (reason !== null || !output) {
    return stale(id, say('logsSize.unreadable', { dir: logsDir, reason: reason ?? say('probe.noAnswer') }), evidence);
  }
  const kib = parseDuTotalKiB(output.stdout, logsDir);
  if (kib === null) {
    if (/No such file or directory/.test(output.stdout)) {
      return { id, level: 'OK', ...said('logsSize.none', { dir: logsDir }), evidence };
    }
    const reason = firstLineOr(output.stdout, say('logsSize.duNothing'));
    return stale(id, say('logsSize.unreadable', { dir: logsDir, reason }), evidence);
  }
  const mib = Math.round(kib / 1024);
  const level = levelFor(mib, limit);
  // du still prints a total when some subfolder is unreadable; the folder is then larger than that.
  const partial = output.exitCode !== 0 ? say('logsSize.partial') : '';
  return {
    id,
    level,
    ...said('logsSize.holds', { dir: logsDir, size: formatKiB(kib), partial, limit: limitNote(mib, limit, ' MiB') }),
    evidence,
    metrics: { logsMiB: mib },
    ...(level === 'OK' ? {} : { runbook: RUNBOOK.highDisk }),
  };
}

/** A mount's use without its free space and what it holds ("disk 71 % on / (mmcblk0p2)"), for the all-OK summary. */
function mountUse(check: CheckResult): SaidValue {
  const use = check.say?.params?.['use'];
  return use ?? { raw: check.message.replace(/; .*$/, '') };
}
