import type { VehicleProfile } from '../../../shared/domain/unit';
import { parseDfPosix } from '../diagnostics/parsers/df';
import { parseMeminfo } from '../diagnostics/parsers/meminfo';
import { cpuBusyPercent, parseCpuTimes, type CpuTimes } from '../diagnostics/parsers/procStat';
import type { Probe, ProbeOutput } from '../transport/batch';
import { sh, shellQuote } from '../transport/shell';

/** The metric ids a sample can carry; a chart may draw any of them. */
export const TELEMETRY_METRICS = [
  'cpu.percent',
  'memory.percent',
  'disk.percent',
  'backend.motor_speed',
  'backend.motor_temperature',
  'firmware.up',
  'sample.latencyMs',
] as const;
export type TelemetryMetric = (typeof TELEMETRY_METRICS)[number];

const KEY = {
  stat: 'tm.stat',
  meminfo: 'tm.meminfo',
  disk: 'tm.disk',
  backend: 'tm.backend',
  firmware: 'tm.firmware',
} as const;

/** Seconds each probe may run on the vehicle; curl gives up by itself after 2 s. */
const PROBE_TIMEOUT_S = 3;

/** The five reads of one sample, sent as one batch over one exec. */
export function telemetryProbes(profile: VehicleProfile): Probe[] {
  const url = `http://127.0.0.1:${profile.backendPort}/api/v1/telemetry/current`;
  return [
    { key: KEY.stat, command: 'cat /proc/stat', timeoutS: PROBE_TIMEOUT_S },
    { key: KEY.meminfo, command: 'cat /proc/meminfo', timeoutS: PROBE_TIMEOUT_S },
    { key: KEY.disk, command: `df -P -k ${shellQuote(profile.installDir)}`, timeoutS: PROBE_TIMEOUT_S },
    { key: KEY.backend, command: sh`curl -s -m 2 ${url}`, timeoutS: PROBE_TIMEOUT_S },
    {
      key: KEY.firmware,
      command: `systemctl is-active ${shellQuote(profile.firmwareService)}`,
      timeoutS: PROBE_TIMEOUT_S,
    },
  ];
}

export type SampleReading = {
  metrics: Record<string, number>;
  problems: string[];
  /** The CPU counters of this sample, for the next one's difference (null when unreadable). */
  cpu: CpuTimes | null;
};

/**
 * Turns a batch's outputs into metrics. Every part is read on its own: a missing tool or a backend that does
 * not answer removes only its metrics and adds a problem, never the whole sample.
 */
export function readSample(
  profile: VehicleProfile,
  outputs: ReadonlyMap<string, ProbeOutput>,
  previousCpu: CpuTimes | null,
): SampleReading {
  const metrics: Record<string, number> = {};
  const problems: string[] = [];

  const stat = usable(outputs.get(KEY.stat), 'cpu (/proc/stat)', problems);
  const cpu = stat === null ? null : (parseCpuTimes(stat)[0] ?? null);
  if (stat !== null && cpu === null) {
    problems.push('cpu: /proc/stat has no cpu line');
  }
  if (cpu && previousCpu) {
    const percent = cpuBusyPercent(previousCpu, cpu);
    if (percent !== null) {
      metrics['cpu.percent'] = round(percent, 1);
    }
  }

  const meminfo = usable(outputs.get(KEY.meminfo), 'memory (/proc/meminfo)', problems);
  if (meminfo !== null) {
    const memory = parseMeminfo(meminfo);
    if (memory) {
      metrics['memory.percent'] = round(memory.usedPercent, 1);
    } else {
      problems.push('memory: /proc/meminfo has no MemTotal');
    }
  }

  const df = usable(outputs.get(KEY.disk), `disk (df ${profile.installDir})`, problems);
  if (df !== null) {
    const filesystem = parseDfPosix(df)[0];
    if (filesystem) {
      metrics['disk.percent'] = filesystem.usePercent;
    } else {
      problems.push(`disk: df printed nothing usable for ${profile.installDir} (${firstLine(df) || 'no output'})`);
    }
  }

  readBackend(outputs.get(KEY.backend), profile.backendPort, metrics, problems);
  readFirmware(outputs.get(KEY.firmware), profile.firmwareService, metrics, problems);
  return { metrics, problems, cpu };
}

const CURL_EXIT_REASONS: Record<number, string> = {
  6: 'host not resolved',
  7: 'connection refused',
  28: 'no answer within 2 s',
  52: 'empty reply',
  56: 'connection reset',
};

function readBackend(
  output: ProbeOutput | undefined,
  port: number,
  metrics: Record<string, number>,
  problems: string[],
): void {
  const what = `backend API :${port}`;
  const text = usable(output, what, problems, (code) => CURL_EXIT_REASONS[code]);
  if (text === null) {
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push(`${what}: /api/v1/telemetry/current did not answer JSON (${firstLine(text) || 'empty'})`);
    return;
  }
  // FastAPI answers the fields directly; accept the {data: {...}} envelope other routes use as well.
  const record = isRecord(body) && isRecord(body.data) ? body.data : body;
  if (!isRecord(record)) {
    problems.push(`${what}: /api/v1/telemetry/current answered ${firstLine(text)}`);
    return;
  }
  if (typeof record.detail === 'string' && record.motor_speed === undefined) {
    // FastAPI's refusal ({"detail": "Not authenticated"}) or an error: the route is guarded by the backend's login.
    problems.push(`${what}: /api/v1/telemetry/current refused: ${record.detail.slice(0, 200)}`);
    return;
  }
  const missing: string[] = [];
  for (const field of ['motor_speed', 'motor_temperature'] as const) {
    const value = record[field];
    if (typeof value === 'number' && Number.isFinite(value)) {
      metrics[`backend.${field}`] = value;
    } else {
      missing.push(field);
    }
  }
  if (missing.length > 0) {
    problems.push(`${what}: /api/v1/telemetry/current has no numeric ${missing.join(', ')}`);
  }
}

const SYSTEMD_STATES = new Set(['active', 'inactive', 'failed', 'activating', 'deactivating', 'reloading', 'unknown']);

function readFirmware(
  output: ProbeOutput | undefined,
  service: string,
  metrics: Record<string, number>,
  problems: string[],
): void {
  if (!output || output.truncated || output.exitCode === 124 || output.exitCode === 127) {
    usable(output, `firmware (${service})`, problems);
    return;
  }
  // is-active exits non-zero for anything but active; the word it prints is the answer.
  const state = firstLine(output.stdout).trim();
  if (SYSTEMD_STATES.has(state)) {
    metrics['firmware.up'] = state === 'active' ? 1 : 0;
  } else {
    problems.push(`firmware: systemctl is-active ${service} answered "${state || 'nothing'}"`);
  }
}

/** The output of a probe that ran to completion with exit 0, else null with the reason added to problems. */
function usable(
  output: ProbeOutput | undefined,
  tool: string,
  problems: string[],
  explain: (exitCode: number) => string | undefined = () => undefined,
): string | null {
  if (!output) {
    problems.push(`${tool}: no answer from the vehicle`);
    return null;
  }
  if (output.truncated) {
    problems.push(`${tool}: the answer was cut off`);
    return null;
  }
  if (output.exitCode === 124) {
    problems.push(`${tool}: timed out on the vehicle`);
    return null;
  }
  if (output.exitCode === 127) {
    problems.push(`${tool}: a tool is missing on the vehicle (${firstLine(output.stdout) || 'command not found'})`);
    return null;
  }
  if (output.exitCode !== 0) {
    const reason = (output.exitCode === null ? undefined : explain(output.exitCode)) ?? firstLine(output.stdout);
    problems.push(`${tool}: exit ${output.exitCode ?? '?'}${reason ? ` (${reason})` : ''}`);
    return null;
  }
  return output.stdout;
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 200);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
