/**
 * HTTP requests made ON the vehicle with curl, as the runbook makes them (`curl http://localhost:8000/health/`),
 * written as plain command lists that any sh (and the simulator's) runs: no pipes, no `$(…)`, no `if`.
 *
 * Several requests to one port go out as one probe and one curl process: `--next` gives each its own options,
 * and `--fail-early` stops at the first transfer that got no HTTP answer at all, so a port that refuses or hangs
 * costs a single attempt, while HTTP errors (500, 404, 401) let the others go on. Each request ends with a
 * marker line carrying its status and time, and the chain ends with curl's exit status:
 *
 *     <body>\n@@ohtw-http 200 0.003120\n … @@ohtw-exit 0
 */

import type { Said } from '../../../../shared/domain/said';
import { say } from '../../../../shared/domain/words';
import { sh, type ShellText } from '../../transport/shell';

export const HTTP_MARK = '@@ohtw-http';
export const EXIT_MARK = '@@ohtw-exit';

export type HttpRequestSpec = {
  /** What the request is for, as evidence names it. */
  label: string;
  path: string;
  /** Keep the response body in the output (otherwise `-o /dev/null`). */
  body?: boolean;
  /** Response headers in the output too (`curl -i`). */
  responseHeaders?: boolean;
  /** Request headers, `Name: value`. */
  send?: readonly string[];
  /** curl's own limit (`-m`), seconds. */
  maxTimeS: number;
};

const SAFE_TEXT = /^[A-Za-z0-9 _.,:;/?=&%*+@#~-]*$/;

/** The options and URL of one request (the part of a chain between two `--next`), one word each. */
function requestArgs(port: number, spec: HttpRequestSpec): string[] {
  for (const text of [spec.path, ...(spec.send ?? [])]) {
    if (!SAFE_TEXT.test(text)) {
      throw new Error(`unsafe text in a curl probe: ${text}`);
    }
  }
  const parts = ['-sS'];
  if (spec.responseHeaders) {
    parts.push('-i');
  } else if (!spec.body) {
    parts.push('-o', '/dev/null');
  }
  for (const header of spec.send ?? []) {
    parts.push('-H', header);
  }
  parts.push('-m', String(spec.maxTimeS));
  parts.push('-w', `\\n${HTTP_MARK} %{http_code} %{time_total}\\n`);
  parts.push(`http://127.0.0.1:${port}${spec.path}`);
  return parts;
}

/** One request as a command of its own, as evidence shows it. */
export function curlCommand(port: number, spec: HttpRequestSpec): ShellText {
  return sh`curl ${requestArgs(port, spec)}`;
}

/** The requests as one curl, then its exit status (that of the transfer that failed, if one did). */
export function curlChain(port: number, specs: readonly HttpRequestSpec[]): ShellText {
  const words = specs.flatMap((spec, i) => [...(i === 0 ? [] : ['--next']), ...requestArgs(port, spec)]);
  return sh`curl --fail-early ${words}; echo "${EXIT_MARK} $?"`;
}

/** A probe time limit that curl's own limits fit in. */
export function chainTimeoutS(specs: readonly HttpRequestSpec[]): number {
  return specs.reduce((sum, s) => sum + s.maxTimeS, 0) + 2;
}

export type HttpAnswer = {
  spec: HttpRequestSpec;
  port: number;
  command: string;
  /** curl's exit status: 0 when an HTTP answer came (whatever its status), 7 refused, 28 timed out, … */
  exitCode: number;
  /** The HTTP status; 0 when there was none (curl's 000). */
  status: number;
  timeMs: number | null;
  /** curl's own error line (`curl: (7) Failed to connect …`), when it printed one. */
  error: string | null;
  /** Lower-case response header names (with `responseHeaders`). */
  headers: ReadonlyMap<string, string>;
  body: string;
  /** What the vehicle printed for this request, for the evidence. */
  raw: string;
};

export type HttpOutcome = { ran: true; answer: HttpAnswer } | { ran: false; spec: HttpRequestSpec; command: string };

export type ChainResult = {
  port: number;
  outcomes: HttpOutcome[];
  /** Exit status of the last curl that ran; null when the chain's end marker is missing. */
  lastExit: number | null;
  /** What came after the last request's marker (a shell's "curl: not found", say). */
  trailer: string;
};

const HTTP_LINE = new RegExp(`^${HTTP_MARK} (\\d{3}) ([0-9]+(?:[.,][0-9]+)?)\\r?$`);
const EXIT_LINE = new RegExp(`^${EXIT_MARK} (\\d+)\\r?$`);
const CURL_ERROR = /^curl: \((\d+)\) (.*)$/;

/** Splits a chain's output into one answer per request that ran; never throws, whatever the vehicle printed. */
export function parseChain(port: number, specs: readonly HttpRequestSpec[], output: string): ChainResult {
  const segments: { lines: string[]; status: number; timeMs: number }[] = [];
  let lines: string[] = [];
  let lastExit: number | null = null;
  for (const line of output.split('\n')) {
    const http = HTTP_LINE.exec(line);
    if (http && segments.length < specs.length) {
      const seconds = Number((http[2] ?? '').replace(',', '.'));
      segments.push({
        lines,
        status: Number(http[1]),
        timeMs: Number.isFinite(seconds) ? seconds * 1000 : Number.NaN,
      });
      lines = [];
      continue;
    }
    const exit = EXIT_LINE.exec(line);
    if (exit) {
      lastExit = Number(exit[1]);
      continue;
    }
    lines.push(line);
  }
  const trailer = lines.join('\n');
  const outcomes: HttpOutcome[] = specs.map((spec, index) => {
    const command = curlCommand(port, spec);
    const segment = segments[index];
    if (!segment) {
      return { ran: false, spec, command };
    }
    const last = index === segments.length - 1;
    const errorLines = [...segment.lines, ...(last ? lines : [])].filter((l) => CURL_ERROR.test(l));
    const errorLine = errorLines[errorLines.length - 1] ?? null;
    const errorCode = errorLine ? Number(CURL_ERROR.exec(errorLine)?.[1]) : null;
    // Earlier transfers succeeded, or --fail-early would have stopped there; curl's status is the failed one's.
    const exitCode = last ? (lastExit ?? errorCode ?? (segment.status === 0 ? 1 : 0)) : 0;
    const text = segment.lines.filter((l) => !CURL_ERROR.test(l)).join('\n');
    const { headers, body } = spec.responseHeaders ? splitHeaders(text) : { headers: new Map(), body: text };
    return {
      ran: true,
      answer: {
        spec,
        port,
        command,
        exitCode,
        status: segment.status,
        timeMs: Number.isFinite(segment.timeMs) ? segment.timeMs : null,
        error: errorLine,
        headers,
        body,
        raw: segment.lines.join('\n'),
      },
    };
  });
  return { port, outcomes, lastExit, trailer };
}

/** Response headers of `curl -i` output: the last header block (after any redirect or 100-continue). */
function splitHeaders(text: string): { headers: Map<string, string>; body: string } {
  const headers = new Map<string, string>();
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && /^HTTP\/\S+ \d{3}/.test(lines[i] ?? '')) {
    headers.clear();
    i += 1;
    for (; i < lines.length; i += 1) {
      const line = (lines[i] ?? '').replace(/\r$/, '');
      if (line === '') {
        i += 1;
        break;
      }
      const colon = line.indexOf(':');
      if (colon > 0) {
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
  }
  return { headers, body: lines.slice(i).join('\n') };
}

export function answers(chain: ChainResult): HttpAnswer[] {
  return chain.outcomes.flatMap((o) => (o.ran ? [o.answer] : []));
}

/** True when the shell could not run curl at all. */
export function curlMissing(chain: ChainResult, output: string): boolean {
  return (
    chain.lastExit === 127 &&
    answers(chain).length === 0 &&
    /curl: (?:not found|command not found)|curl.*No such file/.test(output)
  );
}

/** A failed transfer in words a technician acts on. */
export function describeCurlFailure(answer: HttpAnswer): Said {
  const port = answer.port;
  switch (answer.exitCode) {
    case 7:
      return say('curl.refused', { port });
    case 28:
      return say('curl.timedOut', { port, seconds: answer.spec.maxTimeS });
    case 52:
      return say('curl.emptyReply', { port });
    case 56:
      return say('curl.broke', { port });
    default:
      return answer.error
        ? say('curl.failedSaying', {
            port,
            exit: answer.exitCode,
            error: { raw: answer.error.replace(CURL_ERROR, '$2') },
          })
        : say('curl.failed', { port, exit: answer.exitCode });
  }
}

export type JsonObject = Record<string, unknown>;

/** A JSON object, or null for anything else (garbage, HTML, an array, half a document). */
export function parseJsonObject(text: string): JsonObject | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    return null;
  }
  try {
    const value: unknown = JSON.parse(trimmed);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The payload of `{"success":true,"data":{…}}` answers, or the object itself where there is no `data`. */
export function payload(json: JsonObject): JsonObject {
  return isObject(json.data) ? json.data : json;
}

export function numberField(json: JsonObject | null, key: string): number | null {
  const value = json?.[key];
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return null;
}

export function stringField(json: JsonObject | null, key: string): string | null {
  const value = json?.[key];
  return typeof value === 'string' ? value : null;
}

export function booleanField(json: JsonObject | null, key: string): boolean | null {
  const value = json?.[key];
  return typeof value === 'boolean' ? value : null;
}

/** A short, single-line excerpt of what a vehicle sent, for a message. */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** A response time as a message part (whole ms from 10 ms up, a tenth below), and as text for the evidence. */
export function msSaid(ms: number): Said {
  return ms >= 10 ? say('api.ms', { ms: Math.round(ms) }) : say('api.ms1', { ms });
}

export function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const EVIDENCE_BODY_MAX = 1500;

/** Evidence for some requests of a chain: each command as sent, what came back, and how it ended. */
export function evidenceOfRequests(outcomes: readonly HttpOutcome[]): string {
  return outcomes
    .map((o) => {
      if (!o.ran) {
        return `$ ${o.command}\n(not sent: an earlier request got no answer)`;
      }
      const a = o.answer;
      const raw = a.raw.length > EVIDENCE_BODY_MAX ? `${a.raw.slice(0, EVIDENCE_BODY_MAX)}\n(… cut)` : a.raw;
      const how =
        a.exitCode === 0
          ? `(HTTP ${a.status}${a.timeMs === null ? '' : ` in ${formatMs(a.timeMs)}`})`
          : `(curl exit ${a.exitCode})`;
      return `$ ${a.command}\n${raw.trim() === '' ? '' : `${raw.trim()}\n`}${how}`;
    })
    .join('\n');
}
