import type { Said } from '../../../shared/domain/said';
import type { VehicleProfile } from '../../../shared/domain/unit';
import { said, say, type WordKey } from '../../../shared/domain/words';
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
  /** Why some metrics are missing, in English, and the same as words in the same order. */
  problems: string[];
  problemWords: Said[];
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
  const problems: Problem[] = [];

  const stat = usable(outputs.get(KEY.stat), 'cpu (/proc/stat)', problems);
  const cpu = stat === null ? null : (parseCpuTimes(stat)[0] ?? null);
  if (stat !== null && cpu === null) {
    problems.push(said('telemetry.noCpuLine'));
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
      problems.push(said('telemetry.noMemTotal'));
    }
  }

  const df = usable(outputs.get(KEY.disk), `disk (df ${profile.installDir})`, problems);
  if (df !== null) {
    const filesystem = parseDfPosix(df)[0];
    if (filesystem) {
      metrics['disk.percent'] = filesystem.usePercent;
    } else {
      problems.push(
        said('telemetry.dfUnusable', { dir: profile.installDir, output: quoted(firstLine(df), 'telemetry.noOutput') }),
      );
    }
  }

  readBackend(outputs.get(KEY.backend), profile.backendPort, metrics, problems);
  readFirmware(outputs.get(KEY.firmware), profile.firmwareService, metrics, problems);
  return { metrics, ...problemFields(problems), cpu };
}

const CURL_EXIT_REASONS: Record<number, WordKey> = {
  6: 'telemetry.curlResolve',
  7: 'telemetry.curlRefused',
  28: 'telemetry.curlTimeout',
  52: 'telemetry.curlEmpty',
  56: 'telemetry.curlReset',
};

function readBackend(
  output: ProbeOutput | undefined,
  port: number,
  metrics: Record<string, number>,
  problems: Problem[],
): void {
  const what = `backend API :${port}`;
  const text = usable(output, what, problems, (code) => {
    const known = CURL_EXIT_REASONS[code];
    return known === undefined ? undefined : say(known);
  });
  if (text === null) {
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push(said('telemetry.notJson', { what, body: quoted(firstLine(text), 'telemetry.empty') }));
    return;
  }
  // FastAPI answers the fields directly; accept the {data: {...}} envelope other routes use as well.
  const record = isRecord(body) && isRecord(body.data) ? body.data : body;
  if (!isRecord(record)) {
    problems.push(said('telemetry.answered', { what, body: { raw: firstLine(text) } }));
    return;
  }
  if (typeof record.detail === 'string' && record.motor_speed === undefined) {
    // FastAPI's refusal ({"detail": "Not authenticated"}) or an error: the route is guarded by the backend's login.
    problems.push(said('telemetry.refused', { what, detail: { raw: record.detail.slice(0, 200) } }));
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
    problems.push(said('telemetry.notNumeric', { what, fields: missing.join(', ') }));
  }
}

const SYSTEMD_STATES = new Set(['active', 'inactive', 'failed', 'activating', 'deactivating', 'reloading', 'unknown']);

function readFirmware(
  output: ProbeOutput | undefined,
  service: string,
  metrics: Record<string, number>,
  problems: Problem[],
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
    problems.push(said('telemetry.oddState', { service, state: quoted(state, 'telemetry.nothing') }));
  }
}

/** The output of a probe that ran to completion with exit 0, else null with the reason added to problems. */
function usable(
  output: ProbeOutput | undefined,
  tool: string,
  problems: Problem[],
  explain: (exitCode: number) => Said | undefined = () => undefined,
): string | null {
  if (!output) {
    problems.push(said('telemetry.noAnswer', { tool }));
    return null;
  }
  if (output.truncated) {
    problems.push(said('telemetry.cutOff', { tool }));
    return null;
  }
  if (output.exitCode === 124) {
    problems.push(said('telemetry.timedOut', { tool }));
    return null;
  }
  if (output.exitCode === 127) {
    problems.push(
      said('telemetry.toolMissing', { tool, detail: quoted(firstLine(output.stdout), 'telemetry.commandNotFound') }),
    );
    return null;
  }
  if (output.exitCode !== 0) {
    const printed = firstLine(output.stdout);
    const reason = (output.exitCode === null ? undefined : explain(output.exitCode)) ?? printed;
    problems.push(
      said('telemetry.exit', {
        tool,
        exit: output.exitCode ?? '?',
        reason:
          reason === ''
            ? ''
            : say('telemetry.because', { reason: typeof reason === 'string' ? { raw: reason } : reason }),
      }),
    );
    return null;
  }
  return output.stdout;
}

/** A problem in English (kept with the sample) and as words each face says in its reader's language. */
export type Problem = { message: string; say: Said };

/** A sample's problems: the English kept as before, and their words beside them in the same order. */
export function problemFields(problems: readonly Problem[]): { problems: string[]; problemWords: Said[] } {
  return { problems: problems.map((p) => p.message), problemWords: problems.map((p) => p.say) };
}

/** What the vehicle printed, quoted; nothing printed is said in words. */
function quoted(printed: string, otherwise: WordKey): Said | { raw: string } {
  return printed === '' ? say(otherwise) : { raw: printed };
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
