/** Readers for iproute2's one-line output: `ip -o link show`, `ip -o addr show` and `ip route show`. */

export type LinkInfo = {
  index: number;
  /** Without the `@peer` suffix of veth and VLAN links. */
  name: string;
  /** The flags between angle brackets: UP (administratively up), LOWER_UP (carrier), NO-CARRIER, LOOPBACK… */
  flags: string[];
  /** The operational state (UP, DOWN, UNKNOWN, DORMANT…); UNKNOWN when the line has none. */
  state: string;
  /** The link type after `link/`: ether, loopback, none, can… */
  linkType: string;
};

export type AddressInfo = {
  index: number;
  name: string;
  family: 'inet' | 'inet6';
  address: string;
  prefixLength: number;
  scope: string;
};

export type DefaultRoute = { via: string | null; dev: string | null; line: string };

const LINK_LINE = /^(\d+):\s+([^:\s]+):\s+<([^>]*)>(.*)$/;
const ADDR_LINE = /^(\d+):\s+(\S+)\s+(inet6?)\s+([0-9A-Fa-f.:]+)\/(\d+)(.*)$/;

export function parseIpLinks(text: string): LinkInfo[] {
  const links: LinkInfo[] = [];
  for (const line of text.split('\n')) {
    const match = LINK_LINE.exec(line.trim());
    if (!match?.[1] || !match[2] || match[3] === undefined) {
      continue;
    }
    const rest = match[4] ?? '';
    links.push({
      index: Number(match[1]),
      name: match[2].split('@')[0] ?? match[2],
      flags: match[3].split(',').filter((f) => f !== ''),
      state: /\bstate (\S+)/.exec(rest)?.[1] ?? 'UNKNOWN',
      linkType: /\blink\/(\S+)/.exec(rest)?.[1] ?? '',
    });
  }
  return links;
}

export function parseIpAddresses(text: string): AddressInfo[] {
  const addresses: AddressInfo[] = [];
  for (const line of text.split('\n')) {
    const match = ADDR_LINE.exec(line.trim());
    if (!match?.[1] || !match[2] || !match[4] || !match[5]) {
      continue;
    }
    addresses.push({
      index: Number(match[1]),
      name: match[2].split('@')[0] ?? match[2],
      family: match[3] === 'inet6' ? 'inet6' : 'inet',
      address: match[4],
      prefixLength: Number(match[5]),
      scope: /\bscope (\S+)/.exec(match[6] ?? '')?.[1] ?? 'global',
    });
  }
  return addresses;
}

/** The `default …` lines of `ip route show [default]`, with their gateway and device when named. */
export function parseDefaultRoutes(text: string): DefaultRoute[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^default\s/.test(line))
    .map((line) => ({
      via: /\bvia (\S+)/.exec(line)?.[1] ?? null,
      dev: /\bdev (\S+)/.exec(line)?.[1] ?? null,
      line,
    }));
}
