import type { Program, ProgramContext } from '../shell/program';
import { answerHttp, REASONS, type SimHttpRequest, type SimHttpResponse } from '../simHttp';
import { takeStdin } from '../simStdin';

/**
 * curl 7.88 (Debian 12) as the runbook and the workstation's probes use it against the vehicle's own APIs:
 * -s -S -i -I -v -L -f -o -m -w -H -X -d, several URLs, --next between transfers with options of their own and
 * --fail-early, and its exit statuses (7 refused, 28 timed out, 6 unknown host, 22 with -f). Time is simulated: a slow API reports its time in %{time_total} and trips -m,
 * but the simulator answers at once.
 */

type Options = {
  silent: boolean;
  showError: boolean;
  include: boolean;
  head: boolean;
  verbose: boolean;
  location: boolean;
  fail: boolean;
  outputs: string[];
  maxTimeS: number | null;
  writeOut: string | null;
  headers: string[];
  method: string | null;
  data: string | null;
  urls: string[];
  /** Stop at the first transfer that fails (global, as in curl). */
  failEarly: boolean;
};

const TAKES_VALUE: Record<string, string> = {
  o: '--output',
  m: '--max-time',
  w: '--write-out',
  H: '--header',
  X: '--request',
  d: '--data',
  A: '--user-agent',
};
const FLAGS: Record<string, string> = {
  s: '--silent',
  S: '--show-error',
  i: '--include',
  I: '--head',
  v: '--verbose',
  L: '--location',
  f: '--fail',
  k: '--insecure',
  '4': '--ipv4',
  '6': '--ipv6',
  N: '--no-buffer',
};
const LONG_WITH_VALUE = new Set([
  '--output',
  '--max-time',
  '--connect-timeout',
  '--write-out',
  '--header',
  '--request',
  '--data',
  '--data-raw',
  '--data-binary',
  '--user-agent',
  '--url',
]);
const LONG_FLAGS = new Set([...Object.values(FLAGS), '--compressed', '--http1.1', '--fail-early']);
const HELP_HINT = "curl: try 'curl --help' or 'curl --manual' for more information\n";

type Parsed = { groups: Options[] } | { error: string };

/** The transfers of a command line: `--next` (or `-:`) starts a group with options of its own; globals carry on. */
function parseArgs(args: readonly string[]): Parsed {
  const groups: Options[] = [];
  let start = 0;
  for (let i = 0; i <= args.length; i += 1) {
    if (i === args.length || args[i] === '--next' || args[i] === '-:') {
      const previous = groups[groups.length - 1];
      const parsed = parseGroup(args.slice(start, i), previous);
      if ('error' in parsed) {
        return parsed;
      }
      groups.push(parsed.options);
      start = i + 1;
    }
  }
  return { groups };
}

function parseGroup(args: readonly string[], previous: Options | undefined): { options: Options } | { error: string } {
  const o: Options = {
    silent: previous?.silent ?? false,
    showError: previous?.showError ?? false,
    include: false,
    head: false,
    verbose: previous?.verbose ?? false,
    location: false,
    fail: false,
    outputs: [],
    maxTimeS: null,
    writeOut: null,
    headers: [],
    method: null,
    data: null,
    urls: [],
    failEarly: previous?.failEarly ?? false,
  };
  const apply = (long: string, value: string | undefined, shown: string): string | null => {
    if (LONG_WITH_VALUE.has(long) && value === undefined) {
      return `curl: option ${shown}: requires parameter\n${HELP_HINT}`;
    }
    const v = value ?? '';
    switch (long) {
      case '--silent':
        o.silent = true;
        break;
      case '--show-error':
        o.showError = true;
        break;
      case '--include':
        o.include = true;
        break;
      case '--head':
        o.head = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--location':
        o.location = true;
        break;
      case '--fail':
        o.fail = true;
        break;
      case '--output':
        o.outputs.push(v);
        break;
      case '--max-time':
      case '--connect-timeout': {
        const seconds = Number(v);
        if (v.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
          return `curl: option ${shown}: expected a proper numerical parameter\n${HELP_HINT}`;
        }
        if (long === '--max-time') {
          o.maxTimeS = seconds;
        }
        break;
      }
      case '--write-out':
        o.writeOut = v;
        break;
      case '--header':
        o.headers.push(v);
        break;
      case '--request':
        o.method = v;
        break;
      case '--data':
      case '--data-raw':
      case '--data-binary':
        o.data = o.data === null ? v : `${o.data}&${v}`;
        break;
      case '--url':
        o.urls.push(v);
        break;
      case '--fail-early':
        o.failEarly = true;
        break;
      default:
        break; // accepted and without effect here: -k, -4, -6, -N, --compressed, --http1.1, -A
    }
    return null;
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      if (!LONG_WITH_VALUE.has(arg) && !LONG_FLAGS.has(arg)) {
        return { error: `curl: option ${arg}: is unknown\n${HELP_HINT}` };
      }
      const error = apply(arg, LONG_WITH_VALUE.has(arg) ? args[++i] : undefined, arg);
      if (error) {
        return { error };
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j += 1) {
        const letter = arg[j] ?? '';
        const withValue = TAKES_VALUE[letter];
        const flag = FLAGS[letter];
        if (withValue) {
          const rest = arg.slice(j + 1);
          const error = apply(withValue, rest !== '' ? rest : args[++i], `-${letter}`);
          if (error) {
            return { error };
          }
          break;
        }
        if (!flag) {
          return { error: `curl: option -${letter}: is unknown\n${HELP_HINT}` };
        }
        apply(flag, undefined, `-${letter}`);
      }
    } else {
      o.urls.push(arg);
    }
  }
  return { options: o };
}

type Target = { scheme: string; host: string; port: number; path: string; query: string };

function parseUrl(url: string): Target | null {
  const match = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^?#]*)(\?[^#]*)?/.exec(url);
  if (!match) {
    return null;
  }
  const scheme = (match[1] ?? 'http').toLowerCase();
  const port = match[3] !== undefined ? Number(match[3]) : scheme === 'https' ? 443 : 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return null;
  }
  return { scheme, host: match[2] ?? '', port, path: match[4] || '/', query: match[5] ?? '' };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '127.0.1.1', '0.0.0.0', '[::1]', 'ip6-localhost']);

type Transfer = {
  exitCode: number;
  error: string | null;
  response: SimHttpResponse | null;
  /** Every response on the way (with -L, the redirects too), for -i and -v. */
  chain: { request: SimHttpRequest; response: SimHttpResponse }[];
  timeS: number;
  url: string;
  method: string;
};

function transfer(url: string, o: Options, context: ProgramContext): Transfer {
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== null ? 'POST' : 'GET');
  const base: Transfer = { exitCode: 0, error: null, response: null, chain: [], timeS: 0, url, method };
  let current = url;
  for (let hop = 0; hop <= 50; hop += 1) {
    const target = parseUrl(current);
    if (!target) {
      return { ...base, exitCode: 3, error: 'URL using bad/illegal format or missing URL' };
    }
    if (target.scheme !== 'http' && target.scheme !== 'https') {
      return { ...base, exitCode: 1, error: `Protocol "${target.scheme}" not supported or disabled in libcurl` };
    }
    const host = target.host.toLowerCase();
    const local = LOOPBACK.has(host) || host === context.vehicle.state.system.hostname.toLowerCase();
    if (!local && !/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
      return { ...base, exitCode: 6, error: `Could not resolve host: ${target.host}` };
    }
    const refused = (): Transfer => ({
      ...base,
      exitCode: 7,
      timeS: base.timeS + 0.000_2,
      error: `Failed to connect to ${target.host} port ${target.port} after 0 ms: Couldn't connect to server`,
    });
    if (!local || target.scheme === 'https') {
      return refused();
    }
    const request: SimHttpRequest = {
      method,
      path: target.path,
      headers: requestHeaders(o, target),
      body: o.data ?? '',
    };
    const outcome = answerHttp(context.vehicle, target.port, request, context.nowMs);
    if (outcome.kind === 'refused') {
      return refused();
    }
    const elapsedS = base.timeS + outcome.timeMs / 1000;
    if (o.maxTimeS !== null && o.maxTimeS > 0 && elapsedS > o.maxTimeS) {
      const ms = Math.round(o.maxTimeS * 1000) + 1;
      return {
        ...base,
        exitCode: 28,
        timeS: ms / 1000,
        error: `Operation timed out after ${ms} milliseconds with 0 bytes received`,
      };
    }
    base.timeS = elapsedS;
    base.chain.push({ request, response: outcome.response });
    base.response = outcome.response;
    const location = header(outcome.response, 'location');
    if (!o.location || location === undefined || ![301, 302, 303, 307, 308].includes(outcome.response.status)) {
      break;
    }
    current = location.startsWith('/') ? `${target.scheme}://${target.host}:${target.port}${location}` : location;
  }
  const status = base.response?.status ?? 0;
  if (o.fail && status >= 400) {
    return { ...base, exitCode: 22, error: `The requested URL returned error: ${status}` };
  }
  return base;
}

function requestHeaders(o: Options, target: Target): Record<string, string> {
  const headers: Record<string, string> = {
    host: target.port === 80 ? target.host : `${target.host}:${target.port}`,
    'user-agent': 'curl/7.88.1',
    accept: '*/*',
  };
  for (const line of o.headers) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  if (o.data !== null) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  return headers;
}

function header(response: SimHttpResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

function headerBlock(response: SimHttpResponse): string {
  const lines = [`HTTP/1.1 ${response.status} ${REASONS[response.status] ?? ''}`.trimEnd()];
  for (const [key, value] of response.headers) {
    lines.push(`${key}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function verboseLog(t: Transfer): string {
  let text = '';
  for (const { request, response } of t.chain) {
    const [host, port = '80'] = (request.headers.host ?? '').split(':');
    text += `*   Trying ${host}:${port}...\n* Connected to ${host} (127.0.0.1) port ${port} (#0)\n`;
    text += `> ${request.method} ${request.path} HTTP/1.1\n`;
    for (const [key, value] of Object.entries(request.headers)) {
      text += `> ${key.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())}: ${value}\n`;
    }
    text += '> \n';
    text += headerBlock(response)
      .split('\r\n')
      .filter((line, i, all) => i < all.length - 2 || line !== '')
      .map((line) => `< ${line}\n`)
      .join('');
    text += '< \n';
    text +=
      header(response, 'connection') === 'close' ? '* Closing connection 0\n' : '* Connection #0 to host left intact\n';
  }
  return text;
}

function writeOut(format: string, t: Transfer, io: ProgramContext['io']): string {
  const status = t.response?.status ?? 0;
  const values: Record<string, string> = {
    http_code: String(status).padStart(3, '0'),
    response_code: String(status).padStart(3, '0'),
    time_total: t.timeS.toFixed(6),
    time_connect: t.chain.length > 0 ? '0.000150' : '0.000000',
    time_starttransfer: t.timeS.toFixed(6),
    exitcode: String(t.exitCode),
    errormsg: t.error ?? '',
    url_effective: t.url,
    url: t.url,
    method: t.method,
    num_redirects: String(Math.max(0, t.chain.length - 1)),
    size_download: String(t.response ? new TextEncoder().encode(t.response.body).length : 0),
    content_type: t.response ? (header(t.response, 'content-type') ?? '') : '',
    remote_ip: t.chain.length > 0 ? '127.0.0.1' : '',
  };
  return format.replace(/%\{([a-z_]+)\}|%%|\\([nrt\\])/g, (match, name?: string, escape?: string) => {
    if (escape !== undefined) {
      return escape === 'n' ? '\n' : escape === 'r' ? '\r' : escape === 't' ? '\t' : '\\';
    }
    if (match === '%%') {
      return '%';
    }
    const value = name === undefined ? undefined : values[name];
    if (value === undefined) {
      io.err(`curl: unknown --write-out variable: '${name ?? ''}'\n`);
      return '';
    }
    return value;
  });
}

function progressMeter(t: Transfer): string {
  const size = t.response ? new TextEncoder().encode(t.response.body).length : 0;
  const done = t.exitCode === 0 ? 100 : 0;
  const speed = t.timeS > 0 ? Math.round(size / t.timeS) : 0;
  const row = (percent: number, bytes: number, rate: number): string =>
    `${String(percent).padStart(3)} ${String(bytes).padStart(5)}  ${String(percent).padStart(3)} ${String(bytes).padStart(5)}    0     0 ${String(rate).padStart(6)}      0 --:--:-- --:--:-- --:--:-- ${String(rate).padStart(6)}`;
  return (
    '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
    '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
    `\r${row(0, 0, 0)}\r${row(done, size, speed)}\n`
  );
}

export const curl: Program = {
  path: '/usr/bin/curl',
  run(args, context) {
    const { io } = context;
    const parsed = parseArgs(args);
    if ('error' in parsed) {
      io.err(parsed.error);
      return 2;
    }
    if (parsed.groups.some((g) => g.urls.length === 0)) {
      io.err(`curl: no URL specified!\n${HELP_HINT}`);
      return 2;
    }
    let status = 0;
    for (const o of parsed.groups) {
      o.headers = o.headers.flatMap((h) => headersFrom(h, context));
      for (const [index, url] of o.urls.entries()) {
        status = runTransfer(url, index, o, context) || status;
        if (status !== 0 && o.failEarly) {
          return status;
        }
      }
    }
    return status;
  },
};

/** `-H @file` and `-H @-` (curl 7.55+): the headers are the lines of that file, or of the exec's input. */
function headersFrom(value: string, context: ProgramContext): string[] {
  if (!value.startsWith('@')) {
    return [value];
  }
  const source = value.slice(1);
  const text =
    source === '-' ? takeStdin(context.vehicle).toString('utf8') : (context.vehicle.state.files[source] ?? '');
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** One transfer with its output; returns its exit status. */
function runTransfer(url: string, index: number, o: Options, context: ProgramContext): number {
  const { io, vehicle } = context;
  const t = transfer(url, o, context);
  if (o.verbose) {
    io.err(verboseLog(t));
  }
  const response = t.response;
  if (response && t.exitCode !== 22) {
    const head = o.include || o.head ? t.chain.map((c) => headerBlock(c.response)).join('') : '';
    const text = head + (o.head ? '' : response.body);
    const output = o.outputs[index];
    if (output === undefined || output === '-') {
      io.out(text);
    } else if (output !== '/dev/null') {
      vehicle.state.files[output] = text;
    }
  }
  if (!o.silent && !o.verbose) {
    io.err(progressMeter(t));
  }
  if (t.error !== null && (!o.silent || o.showError)) {
    io.err(`curl: (${t.exitCode}) ${t.error}\n`);
  }
  if (o.writeOut !== null) {
    io.out(writeOut(o.writeOut, t, io));
  }
  return t.exitCode;
}
