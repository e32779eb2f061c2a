import { randomBytes } from 'node:crypto';

/**
 * Many probe commands travel as one shell script over one SSH exec, so a sweep costs one round trip
 * instead of forty. Each probe's output is framed by marker lines carrying a per-batch nonce, so that
 * nothing a vehicle prints can forge a frame, and each probe has its own time limit on the vehicle.
 * The serial script runs the probes one after another; the parallel one (parallelBatch.ts) runs them at
 * the same time and prints the same frames, so one reader reads both.
 */
export type Probe = {
  key: string;
  command: string;
  /** Seconds the probe may run on the vehicle before `timeout` ends it (exit 124). */
  timeoutS?: number;
  /**
   * It measures the vehicle (its CPU load over a moment, how fast an API answers): run at the same time as the
   * other probes, their own work would show in its reading, so the parallel script starts it once they are done.
   */
  needsQuiet?: boolean;
};

export type ProbeOutput = {
  key: string;
  exitCode: number | null;
  stdout: string;
  /** True when the batch ended before this probe's end marker: the output is partial. */
  truncated: boolean;
  /** The probe's limit on the vehicle, in seconds, where the batch's sender knows it. */
  timeoutS?: number;
};

const KEY_PATTERN = /^[A-Za-z0-9._:/-]+$/;
const NONCE_PATTERN = /^[a-f0-9]{16}$/;

export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

export function checkNonce(nonce: string): void {
  if (!NONCE_PATTERN.test(nonce)) {
    throw new Error(`bad batch nonce ${nonce}`);
  }
}

/** The probe's whole seconds under `timeout` (5 unless it says). */
export function probeSeconds(probe: Probe): number {
  return Math.max(1, Math.ceil(probe.timeoutS ?? 5));
}

/** The probe's command quoted for `sh -c '…'`. */
export function probeBody(probe: Probe): string {
  if (!KEY_PATTERN.test(probe.key)) {
    throw new Error(`bad probe key ${probe.key}`);
  }
  return probe.command.replace(/'/g, `'\\''`);
}

/** printf formats of the marker lines: `@@ohtw:<nonce>:begin:<key>` and `@@ohtw:<nonce>:end:<key>:<exit>`. */
export function batchMarkers(nonce: string, key: string): { begin: string; end: string } {
  return { begin: `\\n@@ohtw:${nonce}:begin:${key}\\n`, end: `\\n@@ohtw:${nonce}:end:${key}:%s\\n` };
}

/** The serial script: one probe after another, each under `timeout` where the vehicle has it. */
export function buildBatchScript(probes: readonly Probe[], nonce: string = newNonce()): string {
  checkNonce(nonce);
  const lines = ['exec 2>&1 </dev/null'];
  for (const probe of probes) {
    const body = probeBody(probe);
    const markers = batchMarkers(nonce, probe.key);
    lines.push(`printf '${markers.begin}'`);
    // `timeout` keeps a hung command from holding the whole batch; without it (busybox-less images) run plainly.
    lines.push(
      `if command -v timeout >/dev/null 2>&1; then timeout ${probeSeconds(probe)} sh -c '${body}'; else sh -c '${body}'; fi`,
    );
    lines.push(`printf '${markers.end}' "$?"`);
  }
  return `${lines.join('\n')}\n`;
}

/** Recovers the probes of a script that buildBatchScript wrote; the simulator answers them one by one. */
export function parseSerialBatchScript(script: string): { nonce: string; probes: Probe[] } | null {
  const first = /@@ohtw:([a-f0-9]{16}):begin:/.exec(script);
  if (!first?.[1]) {
    return null;
  }
  const nonce = first[1];
  const probes: Probe[] = [];
  const pattern = new RegExp(
    `@@ohtw:${nonce}:begin:([A-Za-z0-9._:/-]+)\\\\n'\\nif command -v timeout >/dev/null 2>&1; then timeout (\\d+) sh -c '((?:[^']|'\\\\'')*)'; else`,
    'g',
  );
  for (const match of script.matchAll(pattern)) {
    const [, key, seconds, body] = match;
    if (key === undefined || seconds === undefined || body === undefined) {
      continue;
    }
    probes.push({ key, timeoutS: Number(seconds), command: body.replace(/'\\''/g, "'") });
  }
  return { nonce, probes };
}

/**
 * Reads a batch's output as it arrives, line by line: each probe's output is handed over as soon as its end
 * marker is in. A probe whose end marker never came is truncated.
 */
export class BatchOutputReader {
  private readonly begin: string;
  private readonly end: string;
  private readonly results = new Map<string, ProbeOutput>();
  private current: { key: string; lines: string[] } | null = null;
  private pending = '';

  constructor(nonce: string) {
    this.begin = `@@ohtw:${nonce}:begin:`;
    this.end = `@@ohtw:${nonce}:end:`;
  }

  /** Takes more of the output; returns the probes completed by it. */
  push(text: string): ProbeOutput[] {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => this.line(line));
  }

  /** Every probe of `keys`, those without an end marker truncated. */
  finish(keys: readonly string[]): Map<string, ProbeOutput> {
    if (this.pending !== '') {
      this.line(this.pending);
      this.pending = '';
    }
    this.close(null, true);
    for (const key of keys) {
      if (!this.results.has(key)) {
        this.results.set(key, { key, exitCode: null, stdout: '', truncated: true });
      }
    }
    return this.results;
  }

  private line(line: string): ProbeOutput[] {
    if (line.startsWith(this.begin)) {
      this.close(null, true);
      this.current = { key: line.slice(this.begin.length), lines: [] };
      return [];
    }
    if (line.startsWith(this.end) && this.current) {
      const rest = line.slice(this.end.length);
      const code = Number(rest.slice(rest.lastIndexOf(':') + 1));
      // The end marker is preceded by a newline we print ourselves: drop it.
      if (this.current.lines.length > 0 && this.current.lines[this.current.lines.length - 1] === '') {
        this.current.lines.pop();
      }
      const done = this.close(Number.isInteger(code) ? code : null, false);
      return done ? [done] : [];
    }
    this.current?.lines.push(line);
    return [];
  }

  private close(exitCode: number | null, truncated: boolean): ProbeOutput | null {
    if (!this.current) {
      return null;
    }
    const output = { key: this.current.key, exitCode, stdout: this.current.lines.join('\n'), truncated };
    this.results.set(output.key, output);
    this.current = null;
    return output;
  }
}

/** Splits a whole batch's output into per-probe results; a probe whose end marker never came is truncated. */
export function parseBatchOutput(output: string, nonce: string, keys: readonly string[]): Map<string, ProbeOutput> {
  const reader = new BatchOutputReader(nonce);
  reader.push(output);
  return reader.finish(keys);
}
