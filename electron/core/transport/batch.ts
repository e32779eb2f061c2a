import { randomBytes } from 'node:crypto';

/**
 * Many probe commands travel as one shell script over one SSH exec, so a sweep costs one round trip
 * instead of forty. Each probe's output is framed by marker lines carrying a per-batch nonce, so that
 * nothing a vehicle prints can forge a frame, and each probe has its own time limit on the vehicle.
 */
export type Probe = {
  key: string;
  command: string;
  /** Seconds the probe may run on the vehicle before `timeout` ends it (exit 124). */
  timeoutS?: number;
};

export type ProbeOutput = {
  key: string;
  exitCode: number | null;
  stdout: string;
  /** True when the batch ended before this probe's end marker: the output is partial. */
  truncated: boolean;
};

const KEY_PATTERN = /^[A-Za-z0-9._:/-]+$/;
const NONCE_PATTERN = /^[a-f0-9]{16}$/;

export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

/** Marker lines look like `@@ohtw:<nonce>:begin:<key>` and `@@ohtw:<nonce>:end:<key>:<exit>`. */
export function buildBatchScript(probes: readonly Probe[], nonce: string = newNonce()): string {
  if (!NONCE_PATTERN.test(nonce)) {
    throw new Error(`bad batch nonce ${nonce}`);
  }
  const lines = ['exec 2>&1 </dev/null'];
  for (const probe of probes) {
    if (!KEY_PATTERN.test(probe.key)) {
      throw new Error(`bad probe key ${probe.key}`);
    }
    const seconds = Math.max(1, Math.ceil(probe.timeoutS ?? 5));
    const body = probe.command.replace(/'/g, `'\\''`);
    lines.push(`printf '\\n@@ohtw:${nonce}:begin:${probe.key}\\n'`);
    // `timeout` keeps a hung command from holding the whole batch; without it (busybox-less images) run plainly.
    lines.push(
      `if command -v timeout >/dev/null 2>&1; then timeout ${seconds} sh -c '${body}'; else sh -c '${body}'; fi`,
    );
    lines.push(`printf '\\n@@ohtw:${nonce}:end:${probe.key}:%s\\n' "$?"`);
  }
  return `${lines.join('\n')}\n`;
}

/** Recovers the probes of a script that buildBatchScript wrote; the simulator answers them one by one. */
export function parseBatchScript(script: string): { nonce: string; probes: Probe[] } | null {
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

/** Splits a batch's output back into per-probe results; a probe whose end marker never came is truncated. */
export function parseBatchOutput(output: string, nonce: string, keys: readonly string[]): Map<string, ProbeOutput> {
  const results = new Map<string, ProbeOutput>();
  const begin = `@@ohtw:${nonce}:begin:`;
  const end = `@@ohtw:${nonce}:end:`;
  let current: { key: string; lines: string[] } | null = null;
  const finish = (exitCode: number | null, truncated: boolean): void => {
    if (!current) {
      return;
    }
    // The begin marker is preceded by a newline we print ourselves; drop the one we added before the end marker.
    const text = current.lines.join('\n');
    results.set(current.key, { key: current.key, exitCode, stdout: text, truncated });
    current = null;
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(begin)) {
      finish(null, true);
      current = { key: line.slice(begin.length), lines: [] };
    } else if (line.startsWith(end) && current) {
      const rest = line.slice(end.length);
      const colon = rest.lastIndexOf(':');
      const code = Number(rest.slice(colon + 1));
      if (current.lines.length > 0 && current.lines[current.lines.length - 1] === '') {
        current.lines.pop();
      }
      finish(Number.isInteger(code) ? code : null, false);
    } else if (current) {
      current.lines.push(line);
    }
  }
  finish(null, true);
  for (const key of keys) {
    if (!results.has(key)) {
      results.set(key, { key, exitCode: null, stdout: '', truncated: true });
    }
  }
  return results;
}
