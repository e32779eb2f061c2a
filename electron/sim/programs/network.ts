import type { Program, ProgramContext } from '../shell/program';
import { listeners, pingTarget, type SimInterface, type SimNetworkState } from '../simNetwork';

/** ip, ss, netstat and ping: the runbook's Communication Failure and Daily Health Check tools. */

function linkFlags(l: SimInterface): string {
  if (l.kind === 'loopback') {
    return l.up ? 'LOOPBACK,UP,LOWER_UP' : 'LOOPBACK';
  }
  if (!l.up) {
    return 'BROADCAST,MULTICAST';
  }
  return l.carrier ? 'BROADCAST,MULTICAST,UP,LOWER_UP' : 'NO-CARRIER,BROADCAST,MULTICAST,UP';
}

function linkState(l: SimInterface): string {
  if (l.kind === 'loopback') {
    return 'UNKNOWN';
  }
  return l.up && l.carrier ? 'UP' : 'DOWN';
}

function linkHead(l: SimInterface, index: number, withMode: boolean): string {
  const qdisc = l.kind === 'loopback' ? 'noqueue' : 'mq';
  const mode = withMode ? ' mode DEFAULT' : '';
  return `${index}: ${l.name}: <${linkFlags(l)}> mtu ${l.mtu} qdisc ${qdisc} state ${linkState(l)}${mode} group default qlen 1000`;
}

function linkLine(l: SimInterface): string {
  const type = l.kind === 'loopback' ? 'loopback' : 'ether';
  const brd = l.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
  return `link/${type} ${l.mac} brd ${brd}`;
}

/** The first (network) or last (broadcast) address of an IPv4 subnet. */
function subnetEdge(address: string, prefixLength: number, edge: 'network' | 'broadcast'): string {
  const n = address.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
  const size = 2 ** (32 - prefixLength);
  const value = Math.floor(n / size) * size + (edge === 'broadcast' ? size - 1 : 0);
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

type AddrLine = { family: 'inet' | 'inet6'; text: string; lifetime: string };

function addressLines(l: SimInterface, family: '4' | '6' | null): AddrLine[] {
  const lines: AddrLine[] = [];
  const lease = l.dhcp ? 'valid_lft 84932sec preferred_lft 84932sec' : 'valid_lft forever preferred_lft forever';
  if (family !== '6') {
    for (const a of l.ipv4) {
      const loopback = l.kind === 'loopback';
      const brd = loopback ? '' : ` brd ${subnetEdge(a.address, a.prefixLength, 'broadcast')}`;
      const scope = loopback ? 'host' : `global${l.dhcp ? ' dynamic' : ''}`;
      lines.push({
        family: 'inet',
        text: `inet ${a.address}/${a.prefixLength}${brd} scope ${scope} ${l.name}`,
        lifetime: loopback ? 'valid_lft forever preferred_lft forever' : lease,
      });
    }
  }
  if (family !== '4' && l.up && l.carrier) {
    const text =
      l.kind === 'loopback'
        ? 'inet6 ::1/128 scope host'
        : `inet6 fe80::81:5eff:fe0a:${l.mac.slice(-5).replace(':', '')}/64 scope link`;
    lines.push({ family: 'inet6', text, lifetime: 'valid_lft forever preferred_lft forever' });
  }
  return lines;
}

function ipLink(net: SimNetworkState, links: SimInterface[], oneline: boolean): string {
  return links
    .map((l) => {
      const index = net.interfaces.indexOf(l) + 1;
      return oneline
        ? `${linkHead(l, index, true)}\\    ${linkLine(l)}\n`
        : `${linkHead(l, index, true)}\n    ${linkLine(l)}\n`;
    })
    .join('');
}

function ipAddr(net: SimNetworkState, links: SimInterface[], oneline: boolean, family: '4' | '6' | null): string {
  let out = '';
  for (const l of links) {
    const index = net.interfaces.indexOf(l) + 1;
    const lines = addressLines(l, family);
    if (oneline) {
      out += lines.map((a) => `${index}: ${l.name}    ${a.text}\\       ${a.lifetime}\n`).join('');
    } else if (family === null || lines.length > 0) {
      out += `${linkHead(l, index, false)}\n    ${linkLine(l)}\n`;
      out += lines.map((a) => `    ${a.text}\n       ${a.lifetime}\n`).join('');
    }
  }
  return out;
}

function ipRoute(net: SimNetworkState, onlyDefault: boolean): string {
  const lines: string[] = [];
  const route = net.defaultRoute;
  const link = route ? net.interfaces.find((l) => l.name === route.dev) : undefined;
  const src = link?.ipv4[0]?.address;
  const proto = link?.dhcp ? ' proto dhcp' : '';
  if (route) {
    lines.push(`default via ${route.via} dev ${route.dev}${proto}${src ? ` src ${src}` : ''} metric 600 `);
  }
  if (!onlyDefault) {
    for (const l of net.interfaces) {
      if (l.kind === 'loopback' || !l.up || !l.carrier) {
        continue;
      }
      for (const a of l.ipv4) {
        const base = subnetEdge(a.address, a.prefixLength, 'network');
        lines.push(`${base}/${a.prefixLength} dev ${l.name} proto kernel scope link src ${a.address} metric 600 `);
      }
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}

const IP_OBJECTS: Record<string, 'link' | 'addr' | 'route'> = {
  l: 'link',
  li: 'link',
  lin: 'link',
  link: 'link',
  a: 'addr',
  ad: 'addr',
  add: 'addr',
  addr: 'addr',
  address: 'addr',
  r: 'route',
  ro: 'route',
  rou: 'route',
  route: 'route',
};

export const ip: Program = {
  path: '/usr/sbin/ip',
  run(args, { io, vehicle }) {
    const net = vehicle.state.network;
    let oneline = false;
    let family: '4' | '6' | null = null;
    let i = 0;
    for (; i < args.length && (args[i] ?? '').startsWith('-'); i += 1) {
      const option = args[i] ?? '';
      if (option === '-o' || option === '-oneline') {
        oneline = true;
      } else if (option === '-4' || option === '-6') {
        family = option === '-4' ? '4' : '6';
      } else {
        io.err(`Option "${option}" is unknown, try "ip -help".\n`);
        return 255;
      }
    }
    const objectName = args[i];
    if (objectName === undefined) {
      io.err('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n');
      return 255;
    }
    const object = IP_OBJECTS[objectName];
    if (object === undefined) {
      io.err(`Object "${objectName}" is unknown, try "ip help".\n`);
      return 1;
    }
    const rest = args.slice(i + 1);
    const verb = rest[0];
    if (verb !== undefined && verb !== 'show' && verb !== 'list' && verb !== 'sh' && verb !== 'ls') {
      io.err(`Command "${verb}" is unknown, try "ip ${object} help".\n`);
      return 255;
    }
    const selectors = rest.slice(1).filter((a) => a !== 'dev');
    if (object === 'route') {
      if (selectors.some((s) => s !== 'default')) {
        io.err(`Error: ip route show supports only "default" here (simulator).\n`);
        return 1;
      }
      io.out(ipRoute(net, selectors.includes('default')));
      return 0;
    }
    let links = net.interfaces;
    const dev = selectors[0];
    if (dev !== undefined) {
      links = net.interfaces.filter((l) => l.name === dev);
      if (links.length === 0) {
        io.err(`Device "${dev}" does not exist.\n`);
        return 1;
      }
    }
    io.out(object === 'link' ? ipLink(net, links, oneline) : ipAddr(net, links, oneline, family));
    return 0;
  },
};

type SocketFlags = { listening: boolean; tcp: boolean; header: boolean; processes: boolean };

function socketFlags(tool: 'ss' | 'netstat', args: readonly string[], io: ProgramContext['io']): SocketFlags | null {
  const flags: SocketFlags = { listening: false, tcp: false, header: true, processes: false };
  for (const arg of args) {
    const letters = /^-([A-Za-z46]+)$/.exec(arg)?.[1];
    if (letters === undefined) {
      io.err(`${tool}: unsupported argument '${arg}' (simulator)\n`);
      return null;
    }
    for (const letter of letters) {
      if (letter === 'l') {
        flags.listening = true;
      } else if (letter === 't') {
        flags.tcp = true;
      } else if (letter === 'H' && tool === 'ss') {
        flags.header = false;
      } else if (letter === 'p') {
        flags.processes = true;
      } else if (!'nu46ae'.includes(letter)) {
        io.err(tool === 'ss' ? `ss: invalid option -- '${letter}'\n` : `netstat: invalid option -- '${letter}'\n`);
        return null;
      }
    }
  }
  return flags;
}

function hostPort(address: string, port: number, v6: boolean): string {
  return v6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `ss -ltn[p][H]`: the listening TCP sockets; only a listening view is simulated. */
export const ss: Program = {
  path: '/usr/bin/ss',
  run(args, context) {
    const flags = socketFlags('ss', args, context.io);
    if (!flags) {
      return 1;
    }
    const rows: string[][] = [];
    if (flags.listening) {
      for (const l of listeners(Object.values(context.vehicle.state.services))) {
        const v6 = l.address.includes(':');
        const owner =
          flags.processes && context.user.uid === 0
            ? `users:(("${l.process}",pid=${l.pid},fd=${l.port === 22 ? 3 : 7}))`
            : '';
        rows.push([
          'LISTEN',
          '0',
          '128',
          hostPort(v6 ? '::' : l.address, l.port, v6),
          v6 ? '[::]:*' : '0.0.0.0:*',
          owner,
        ]);
      }
    }
    const header = ['State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port', 'Process'];
    const all = flags.header ? [header, ...rows] : rows;
    const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]): string =>
      r
        .map((cell, i) => (i === 3 || i === 4 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join(' ')
        .trimEnd();
    context.io.out(all.map((r) => `${line(r)}\n`).join(''));
    return 0;
  },
};

/** net-tools' `netstat -tln[p]`, which the runbook's daily checks pipe through grep. */
export const netstat: Program = {
  path: '/usr/bin/netstat',
  run(args, context) {
    const flags = socketFlags('netstat', args, context.io);
    if (!flags) {
      return 1;
    }
    const title = flags.listening
      ? 'Active Internet connections (only servers)'
      : 'Active Internet connections (w/o servers)';
    let out = `${title}\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ${flags.processes ? ' PID/Program name' : ''}\n`;
    if (flags.listening) {
      for (const l of listeners(Object.values(context.vehicle.state.services))) {
        const v6 = l.address.includes(':');
        const local = v6 ? `:::${l.port}` : `${l.address}:${l.port}`;
        const peer = v6 ? ':::*' : '0.0.0.0:*';
        const owner = flags.processes ? (context.user.uid === 0 ? ` ${l.pid}/${l.process}` : ' -') : '';
        out += `${(v6 ? 'tcp6' : 'tcp').padEnd(6)}${'0'.padStart(6)}${'0'.padStart(7)} ${local.padEnd(23)} ${peer.padEnd(23)} LISTEN     ${owner}\n`;
      }
    }
    if (flags.processes && context.user.uid !== 0) {
      context.io.err(
        '(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n',
      );
    }
    context.io.out(out);
    return 0;
  },
};

/** iputils ping: `-c N` echoes (without -c, the four a technician waits for before Ctrl-C). */
export const ping: Program = {
  path: '/usr/bin/ping',
  run(args, { io, vehicle }) {
    let count: number | null = null;
    let quiet = false;
    let target: string | undefined;
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg === '-c' || arg === '-W' || arg === '-w' || arg === '-i') {
        const value = Number(args[++i]);
        if (!Number.isFinite(value) || value < 0) {
          io.err(`ping: invalid argument: '${args[i] ?? ''}'\n`);
          return 1;
        }
        // -W, -w and -i shape how long a real ping waits; the simulator answers at once.
        if (arg === '-c') {
          count = Math.floor(value);
        }
      } else if (arg === '-q') {
        quiet = true;
      } else if (arg === '-n' || arg === '-4') {
        continue;
      } else if (arg.startsWith('-')) {
        io.err(`ping: invalid option -- '${arg.slice(1, 2)}'\n`);
        return 2;
      } else {
        target = arg;
      }
    }
    if (target === undefined) {
      io.err('ping: usage error: Destination address required\n');
      return 1;
    }
    const outcome = pingTarget(vehicle.state.network, target);
    if (outcome.kind === 'unresolved') {
      io.err(`ping: ${target}: Temporary failure in name resolution\n`);
      return 2;
    }
    if (outcome.kind === 'unreachable') {
      io.err('ping: connect: Network is unreachable\n');
      return 2;
    }
    const sent = count ?? 4;
    io.out(`PING ${target} (${outcome.address}) 56(84) bytes of data.\n`);
    const answered = outcome.kind === 'answered';
    if (answered && !quiet) {
      for (let seq = 1; seq <= sent; seq += 1) {
        io.out(`64 bytes from ${outcome.address}: icmp_seq=${seq} ttl=64 time=${outcome.rttMs.toFixed(3)} ms\n`);
      }
    }
    io.out(`\n--- ${target} ping statistics ---\n`);
    const received = answered ? sent : 0;
    const loss = answered ? 0 : 100;
    io.out(`${sent} packets transmitted, ${received} received, ${loss}% packet loss, time ${(sent - 1) * 1000}ms\n`);
    if (answered) {
      const rtt = outcome.rttMs.toFixed(3);
      io.out(`rtt min/avg/max/mdev = ${rtt}/${rtt}/${rtt}/0.000 ms\n`);
      return 0;
    }
    io.out('\n');
    return 1;
  },
};
