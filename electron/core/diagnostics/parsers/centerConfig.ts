/**
 * Finds the center server in the vehicle's /opt/oht50/config/system.yaml. The center client reads
 * `center: {host, port, path}`; older and hand-written files say `center_host:`, `center_url:` or
 * `center: {url: ws://…}`. This reads the YAML subset such files use (nested block mappings, flow mappings of
 * scalars, quotes, comments) and never throws; it is not a YAML parser and does not pretend to be one.
 */
export type CenterServer =
  | { kind: 'none' }
  /** `key` is the dotted path of the setting the host came from, for the message. */
  | { kind: 'found'; host: string; port: number | null; key: string }
  | { kind: 'invalid'; key: string; value: string }
  /** Text without a single `key: value` line: not the YAML file it should be. */
  | { kind: 'unreadable' };

type Entry = { path: string[]; value: string };

const CENTER_SEGMENT = /cent(?:er|re)/i;
/** Leaf keys that name a host directly, best first, then those that hold a URL or host:port. */
const HOST_KEYS = ['host', 'hostname', 'address', 'addr', 'ip', 'server', 'server_host', 'server_ip'];
const URL_KEYS = ['url', 'uri', 'endpoint', 'ws_url', 'websocket_url', 'server_url'];
const CENTER_LEAF = /^cent(?:er|re)[_-]?(?:server[_-]?)?(?:host|hostname|address|addr|ip|url|uri|endpoint|server)?$/i;

export function findCenterServer(yaml: string): CenterServer {
  const entries = scalarEntries(yaml);
  if (entries.length === 0 && !isMappingOrEmpty(yaml)) {
    return { kind: 'unreadable' };
  }
  const candidates = entries
    .map((entry) => ({ entry, rank: rankOf(entry) }))
    .filter((c) => c.rank !== null)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const best = candidates[0]?.entry;
  if (!best) {
    return { kind: 'none' };
  }
  const key = best.path.join('.');
  if (best.value === '' || /^(~|null|none)$/i.test(best.value)) {
    return { kind: 'none' };
  }
  const parsed = hostAndPort(best.value);
  if (!parsed) {
    return { kind: 'invalid', key, value: best.value };
  }
  const siblingPort = entries.find(
    (e) => e.path.length === best.path.length && samePrefix(e.path, best.path) && e.path.at(-1) === 'port',
  );
  const port = parsed.port ?? (siblingPort && /^\d{1,5}$/.test(siblingPort.value) ? Number(siblingPort.value) : null);
  return { kind: 'found', host: parsed.host, port, key };
}

/** Lower is better; null when the entry does not name the center server. */
function rankOf(entry: Entry): number | null {
  const leaf = (entry.path.at(-1) ?? '').toLowerCase();
  const parents = entry.path.slice(0, -1);
  if (parents.some((p) => CENTER_SEGMENT.test(p))) {
    const host = HOST_KEYS.indexOf(leaf);
    if (host >= 0) {
      return host;
    }
    const url = URL_KEYS.indexOf(leaf);
    if (url >= 0) {
      return HOST_KEYS.length + url;
    }
  }
  if (CENTER_LEAF.test(leaf)) {
    return HOST_KEYS.length + URL_KEYS.length;
  }
  return null;
}

function samePrefix(a: string[], b: string[]): boolean {
  return a.slice(0, -1).every((segment, i) => segment === b[i]);
}

const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$/;

/** `host`, `host:port`, `[v6]:port` or a URL; null when what is left is not a host name or address. */
function hostAndPort(value: string): { host: string; port: number | null } | null {
  let host = value;
  let port: number | null = null;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    port = url.port === '' ? null : Number(url.port);
  } else {
    const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
    const withPort = /^([^:]+):(\d{1,5})$/.exec(value);
    if (bracketed?.[1]) {
      host = bracketed[1];
      port = bracketed[2] ? Number(bracketed[2]) : null;
    } else if (withPort?.[1] && withPort[2]) {
      host = withPort[1];
      port = Number(withPort[2]);
    }
  }
  if (host === '' || !(HOSTNAME.test(host) || IPV6.test(host)) || host.startsWith('-')) {
    return null;
  }
  return { host, port };
}

/** Every `key: scalar` of the file with the path of keys above it, flow mappings opened up. */
function scalarEntries(yaml: string): Entry[] {
  const entries: Entry[] = [];
  const stack: { indent: number; key: string }[] = [];
  for (const raw of yaml.split('\n')) {
    const line = stripComment(raw).replace(/\s+$/, '');
    if (line.trim() === '' || /^\s*(---|\.\.\.)\s*$/.test(line)) {
      continue;
    }
    const match = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^:#"'{}[\],]+?)\s*:(?:\s+(.*))?$/.exec(line);
    if (!match || match[2] === undefined) {
      continue;
    }
    const indent = (match[1] ?? '').length;
    const key = unquote(match[2].trim());
    const value = (match[3] ?? '').trim();
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) {
      stack.pop();
    }
    const path = [...stack.map((s) => s.key), key];
    if (value === '') {
      stack.push({ indent, key });
    } else if (value.startsWith('{') && value.endsWith('}')) {
      for (const pair of value.slice(1, -1).split(',')) {
        const colon = pair.indexOf(':');
        if (colon > 0) {
          entries.push({
            path: [...path, unquote(pair.slice(0, colon).trim())],
            value: unquote(pair.slice(colon + 1).trim()),
          });
        }
      }
    } else {
      entries.push({ path, value: unquote(value) });
    }
  }
  return entries;
}

/** Nothing but comments and blank lines, or at least one `key:` line: a YAML mapping, perhaps an empty one. */
function isMappingOrEmpty(yaml: string): boolean {
  const lines = yaml
    .split('\n')
    .map(stripComment)
    .filter((l) => l.trim() !== '' && !/^\s*(---|\.\.\.)\s*$/.test(l));
  return lines.length === 0 || lines.some((l) => /^\s*(?:-\s+)?[^\s:][^:]*:\s*$/.test(l));
}

/** Drops a `# comment` that is not inside quotes. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote !== null) {
      quote = c === quote ? null : quote;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function unquote(text: string): string {
  const quoted = /^"(.*)"$/.exec(text) ?? /^'(.*)'$/.exec(text);
  return quoted?.[1] ?? text;
}
