/** A listening TCP socket: the local address as the tool printed it (`0.0.0.0`, `::`, `*`, `127.0.0.1`) and port. */
export type TcpListener = { address: string; port: number };

/**
 * Listening TCP sockets from `ss -ltn` (with or without its header) or `net-tools`/busybox `netstat -tln`;
 * lines of any other shape (headers, error messages) are skipped.
 */
export function parseTcpListeners(text: string): TcpListener[] {
  const listeners: TcpListener[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // ss:      LISTEN 0 128 0.0.0.0:8000 0.0.0.0:* [users:(…)]
    // netstat: tcp 0 0 0.0.0.0:8000 0.0.0.0:* LISTEN [pid/program]
    const isSs = fields[0] === 'LISTEN';
    const isNetstat = /^tcp6?$/.test(fields[0] ?? '') && fields[5] === 'LISTEN';
    const local = isSs || isNetstat ? fields[3] : undefined;
    const parsed = local === undefined ? null : splitHostPort(local);
    if (parsed) {
      listeners.push(parsed);
    }
  }
  return listeners;
}

function splitHostPort(local: string): TcpListener | null {
  const colon = local.lastIndexOf(':');
  if (colon < 0) {
    return null;
  }
  const port = Number(local.slice(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    return null;
  }
  // `[::]`, `[::ffff:127.0.0.1]` and `192.168.1.5%eth0` (ss names the device a socket is bound to).
  const address = local
    .slice(0, colon)
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  return { address: address === '' ? '*' : address, port };
}

/** Bound to every address of the vehicle, so reachable from the network. */
export function isWildcardAddress(address: string): boolean {
  return address === '*' || address === '0.0.0.0' || address === '::';
}

/** Reachable from the vehicle itself only. */
export function isLoopbackAddress(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address) || address === 'localhost';
}
