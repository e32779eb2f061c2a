import type { SimServiceState } from './SimVehicle';

/**
 * The network of a simulated vehicle: its links and addresses (`ip`), its default route, the names it can
 * resolve and which hosts answer ping. A moving vehicle works over Wi-Fi; eth0 is the service port, unplugged.
 */

export type SimInterface = {
  name: string;
  kind: 'loopback' | 'ether';
  mac: string;
  mtu: number;
  /** Administratively up (`ip link set up`). */
  up: boolean;
  /** A cable or an associated access point (LOWER_UP). */
  carrier: boolean;
  ipv4: { address: string; prefixLength: number }[];
  /** Leased by DHCP (`dynamic` in `ip addr`, `proto dhcp` on its routes). */
  dhcp: boolean;
};

export type SimNetworkState = {
  interfaces: SimInterface[];
  defaultRoute: { via: string; dev: string } | null;
  /** Names the vehicle resolves (DNS and /etc/hosts), to IPv4 addresses. */
  names: Record<string, string>;
  /** Addresses that never answer ping: a center server that is down, a host behind a firewall. */
  silent: string[];
  /** Round trip of an answered ping. */
  rttMs: number;
  /** iptables rules of the INPUT chain, as `iptables -S INPUT` prints them (the policy line aside). */
  inputRules: string[];
};

/** The center server the default system.yaml names, and where the site's DNS puts it. */
export const SIM_CENTER_HOST = 'center-server';

export function defaultNetwork(name: string): SimNetworkState {
  // One address per unit name, so that a simulated fleet does not share one.
  const host = 20 + ([...name].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 200);
  const mac = (last: number): string =>
    `02:81:5e:0a:${host.toString(16).padStart(2, '0')}:${last.toString(16).padStart(2, '0')}`;
  return {
    interfaces: [
      {
        name: 'lo',
        kind: 'loopback',
        mac: '00:00:00:00:00:00',
        mtu: 65536,
        up: true,
        carrier: true,
        ipv4: [{ address: '127.0.0.1', prefixLength: 8 }],
        dhcp: false,
      },
      { name: 'eth0', kind: 'ether', mac: mac(1), mtu: 1500, up: true, carrier: false, ipv4: [], dhcp: false },
      {
        name: 'wlan0',
        kind: 'ether',
        mac: mac(2),
        mtu: 1500,
        up: true,
        carrier: true,
        ipv4: [{ address: `192.168.10.${host}`, prefixLength: 24 }],
        dhcp: true,
      },
    ],
    defaultRoute: { via: '192.168.10.1', dev: 'wlan0' },
    names: { [SIM_CENTER_HOST]: '192.168.10.5', localhost: '127.0.0.1' },
    silent: [],
    rttMs: 2.3,
    inputRules: [],
  };
}

/** The vehicle lost its network: no lease, no address, no route (the links themselves stay up). */
export function dropNetwork(state: SimNetworkState): void {
  for (const link of state.interfaces) {
    if (link.kind !== 'loopback') {
      link.ipv4 = [];
    }
  }
  state.defaultRoute = null;
}

/** The host stops answering (the center server is down or firewalled); its name still resolves. */
export function makeSilent(state: SimNetworkState, host: string): void {
  const address = state.names[host] ?? host;
  if (!state.silent.includes(address)) {
    state.silent.push(address);
  }
}

export type PingOutcome =
  | { kind: 'answered'; address: string; rttMs: number }
  | { kind: 'lost'; address: string }
  | { kind: 'unresolved' }
  | { kind: 'unreachable' };

function toNumber(address: string): number | null {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    return null;
  }
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function sameSubnet(a: string, b: string, prefixLength: number): boolean {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) {
    return false;
  }
  const size = 2 ** (32 - prefixLength);
  return Math.floor(x / size) === Math.floor(y / size);
}

function usableLinks(state: SimNetworkState): SimInterface[] {
  return state.interfaces.filter((l) => l.kind !== 'loopback' && l.up && l.carrier && l.ipv4.length > 0);
}

/** What one ping to `target` (a name or an IPv4 address) meets on this vehicle. */
export function pingTarget(state: SimNetworkState, target: string): PingOutcome {
  const literal = toNumber(target) !== null;
  const links = usableLinks(state);
  let address = literal ? target : undefined;
  if (!literal) {
    // localhost comes from /etc/hosts; every other name needs the site's DNS, so a working network.
    address = target === 'localhost' || links.length > 0 ? state.names[target] : undefined;
  }
  if (address === undefined) {
    return { kind: 'unresolved' };
  }
  if (address.startsWith('127.')) {
    return { kind: 'answered', address, rttMs: 0.04 };
  }
  const onLink = links.some((l) => l.ipv4.some((a) => sameSubnet(a.address, address, a.prefixLength)));
  if (!onLink && state.defaultRoute === null) {
    return { kind: 'unreachable' };
  }
  if (state.silent.includes(address) || (!onLink && links.length === 0)) {
    return { kind: 'lost', address };
  }
  return { kind: 'answered', address, rttMs: state.rttMs };
}

export type SimListener = { address: string; port: number; process: string; pid: number };

/** What listens on TCP: sshd, and the HTTP port of each service that is running. */
export function listeners(services: readonly SimServiceState[]): SimListener[] {
  const list: SimListener[] = [
    { address: '0.0.0.0', port: 22, process: 'sshd', pid: 512 },
    { address: '::', port: 22, process: 'sshd', pid: 512 },
  ];
  for (const s of services) {
    if (s.activeState === 'active' && s.mainPid !== 0) {
      list.push({ address: '0.0.0.0', port: s.httpPort, process: s.processName, pid: s.mainPid });
    }
  }
  return list.sort((a, b) => a.port - b.port || a.address.length - b.address.length);
}

/** /opt/oht50/config/system.yaml as install.sh writes it, with the center client's `center` block. */
export function defaultSystemYaml(deviceId: string): string {
  return [
    '# OHT-50 system configuration',
    'system:',
    '  name: OHT-50',
    '  log_level: INFO',
    'device:',
    `  id: ${deviceId}`,
    'rs485:',
    '  port: /dev/ttyOHT485',
    '  baud_rate: 115200',
    'modules:',
    '  power: 0x02',
    '  motor: 0x03',
    '  io: 0x04',
    '  dock: 0x05',
    'safety:',
    '  estop_timeout: 100',
    'center:',
    `  host: ${SIM_CENTER_HOST}`,
    '  port: 8080',
    '  path: /ws/oht50',
    '  reconnect_initial: 5',
    '  reconnect_max: 300',
    'firmware:',
    '  heartbeat_interval: 30',
    '  telemetry_interval: 60',
    '',
  ].join('\n');
}
