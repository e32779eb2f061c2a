import { describe, expect, it } from 'vitest';

import {
  judgeCenter,
  judgeInterfaces,
  judgePorts,
  judgeRoute,
  type PortService,
} from '../../../electron/core/diagnostics/modules/networkChecks';
import { findCenterServer } from '../../../electron/core/diagnostics/parsers/centerConfig';
import { RUNBOOK } from '../../../electron/core/diagnostics/runbook';
import type { Probe, ProbeOutput } from '../../../electron/core/transport/batch';

const probe = (command: string): Probe => ({ key: 'k', command });
const out = (stdout: string, exitCode: number | null = 0, truncated = false): ProbeOutput => ({
  key: 'k',
  stdout,
  exitCode,
  truncated,
});

const LINKS = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc mq state DOWN mode DEFAULT group default qlen 1000\\    link/ether 02:81:5e:0a:5b:01 brd ff:ff:ff:ff:ff:ff',
  '3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DORMANT group default qlen 1000\\    link/ether 02:81:5e:0a:5b:02 brd ff:ff:ff:ff:ff:ff',
  '4: ifb0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 32\\    link/ether fa:5d:69:a8:e4:22 brd ff:ff:ff:ff:ff:ff',
].join('\n');
const LO_ADDR = '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever';
const WLAN_ADDR =
  '3: wlan0    inet 192.168.10.91/24 brd 192.168.10.255 scope global dynamic wlan0\\       valid_lft 84932sec preferred_lft 84932sec';
const WLAN_V6 =
  '3: wlan0    inet6 fe80::81:5eff:fe0a:5b02/64 scope link \\       valid_lft forever preferred_lft forever';
const LINK_CMD = probe('ip -o link show');
const ADDR_CMD = probe('ip -o addr show');

describe('network.interfaces', () => {
  const judge = (links: ProbeOutput | undefined, addrs: ProbeOutput | undefined): ReturnType<typeof judgeInterfaces> =>
    judgeInterfaces('network.interfaces', { probe: LINK_CMD, output: links }, { probe: ADDR_CMD, output: addrs });

  it('is OK with a link up that has an IPv4 address, and lists the others a technician cares about', () => {
    const check = judge(out(LINKS), out([LO_ADDR, WLAN_ADDR, WLAN_V6].join('\n')));
    expect(check).toMatchObject({ level: 'OK', message: 'eth0 no carrier; wlan0 up, 192.168.10.91/24' });
    expect(check.evidence).toContain('$ ip -o link show\n1: lo:');
    expect(check.evidence).toContain('$ ip -o addr show\n1: lo');
  });

  it('is an error when no link has an IPv4 address, however up it is', () => {
    const check = judge(out(LINKS), out([LO_ADDR, WLAN_V6].join('\n')));
    expect(check).toMatchObject({
      level: 'ERROR',
      message:
        'no network interface is up with an IPv4 address (eth0 no carrier; wlan0 up without an IPv4 address): the vehicle is off the network',
      runbook: RUNBOOK.communication,
    });
  });

  it('warns when only the vehicle’s own hotspot is up', () => {
    const ap =
      '3: wlan0    inet 192.168.4.1/24 brd 192.168.4.255 scope global wlan0\\       valid_lft forever preferred_lft forever';
    expect(judge(out(LINKS), out([LO_ADDR, ap].join('\n')))).toMatchObject({
      level: 'WARN',
      runbook: RUNBOOK.communication,
    });
  });

  it('is STALE with the reason on garbage, a missing ip or a cut answer', () => {
    expect(judge(out('garbage'), out(LO_ADDR)).message).toBe('network interfaces could not be read: garbage');
    expect(judge(out(LINKS), out('Segmentation fault', 139)).message).toBe(
      'network addresses could not be read: Segmentation fault',
    );
    expect(judge(out('sh: 1: ip: not found', 127), out('sh: 1: ip: not found', 127))).toMatchObject({
      level: 'STALE',
      message: 'network interfaces could not be read: a tool is missing on the vehicle (sh: 1: ip: not found)',
    });
    expect(judge(out(LINKS, null, true), undefined).message).toContain('cut off');
  });
});

describe('network.route', () => {
  const ROUTE_CMD = probe('ip route show default');
  const judge = (o: ProbeOutput): ReturnType<typeof judgeRoute> =>
    judgeRoute('network.route', { probe: ROUTE_CMD, output: o });

  it('names the gateway and device of each default route', () => {
    expect(judge(out('default via 192.168.10.1 dev wlan0 proto dhcp src 192.168.10.91 metric 600 ')).message).toBe(
      'default route via 192.168.10.1 on wlan0',
    );
    expect(judge(out('default dev ppp0 scope link')).message).toBe('default route on-link on ppp0');
  });

  it('warns without a default route, and is STALE on anything that is not a route listing', () => {
    expect(judge(out(''))).toMatchObject({ level: 'WARN', runbook: RUNBOOK.communication });
    expect(judge(out('<html>'))).toMatchObject({ level: 'STALE', message: 'routes could not be read: <html>' });
    expect(judge(out('Error: any valid prefix is expected rather than "x".', 1)).level).toBe('STALE');
  });
});

describe('finding the center server in system.yaml', () => {
  it('reads the center client’s own block, host and port', () => {
    const yaml =
      'device:\n  id: OHT50-001\ncenter:\n  host: center-server   # site DNS\n  port: 8080\n  path: /ws/oht50\n';
    expect(findCenterServer(yaml)).toEqual({ kind: 'found', host: 'center-server', port: 8080, key: 'center.host' });
  });

  it('reads URLs, host:port values, flow mappings and quoted values', () => {
    expect(findCenterServer('center:\n  url: "ws://10.20.0.5:9000/ws/oht50"\n')).toEqual({
      kind: 'found',
      host: '10.20.0.5',
      port: 9000,
      key: 'center.url',
    });
    expect(findCenterServer("center_server: 'fleet.example.com:443'\n")).toMatchObject({
      host: 'fleet.example.com',
      port: 443,
      key: 'center_server',
    });
    expect(findCenterServer('network:\n  center: {host: 10.0.0.9, port: 7000}\n')).toMatchObject({
      host: '10.0.0.9',
      port: 7000,
      key: 'network.center.host',
    });
    expect(findCenterServer('center:\n  server:\n    address: "[fd00::5]:8080"\n')).toMatchObject({ host: 'fd00::5' });
  });

  it('does not take the backend’s own listen address for the center', () => {
    expect(findCenterServer('server:\n  host: 0.0.0.0\n  port: 8000\ncenter:\n  reconnect_max: 300\n')).toEqual({
      kind: 'none',
    });
    expect(findCenterServer('# no center yet\n')).toEqual({ kind: 'none' });
    expect(findCenterServer('')).toEqual({ kind: 'none' });
    expect(findCenterServer('center:\n  host: ~\n')).toEqual({ kind: 'none' });
  });

  it('refuses a value that is not a host, and text that is not YAML', () => {
    expect(findCenterServer('center:\n  host: "-oProxyCommand=evil"\n')).toMatchObject({ kind: 'invalid' });
    expect(findCenterServer('center:\n  host: a b c\n')).toMatchObject({ kind: 'invalid', value: 'a b c' });
    expect(findCenterServer('\u0000\u0001ELF binary junk')).toEqual({ kind: 'unreadable' });
  });
});

describe('network.center', () => {
  const CONFIG = probe('cat /opt/oht50/config/system.yaml');
  const PING = probe('ping -c 1 -W 1 center-server');
  const YAML = 'center:\n  host: center-server\n  port: 8080\n';
  const center = findCenterServer(YAML);
  const judge = (config: ProbeOutput, ping: ProbeOutput | undefined, found = center): ReturnType<typeof judgeCenter> =>
    judgeCenter(
      'network.center',
      {
        config: { probe: CONFIG, output: config },
        ping: { probe: PING, output: ping },
        configPath: '/opt/oht50/config/system.yaml',
      },
      config.exitCode === 0 ? found : null,
    );
  const ANSWERED =
    'PING center-server (192.168.10.5) 56(84) bytes of data.\n64 bytes from 192.168.10.5: icmp_seq=1 ttl=64 time=2.30 ms\n\n' +
    '--- center-server ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n' +
    'rtt min/avg/max/mdev = 2.300/2.300/2.300/0.000 ms';
  const LOST =
    'PING center-server (192.168.10.5) 56(84) bytes of data.\n\n--- center-server ping statistics ---\n' +
    '1 packets transmitted, 0 received, 100% packet loss, time 0ms\n';

  it('is OK when the center answers ping, with both commands as evidence', () => {
    const check = judge(out(YAML), out(ANSWERED));
    expect(check).toMatchObject({
      level: 'OK',
      message: 'center server center-server:8080 (192.168.10.5) answers ping in 2.3 ms',
      metrics: { rttMs: 2.3 },
    });
    expect(check.evidence).toContain('$ cat /opt/oht50/config/system.yaml\ncenter:');
    expect(check.evidence).toContain('$ ping -c 1 -W 1 center-server\nPING center-server');
  });

  it('is an error when it does not answer or cannot be resolved or routed', () => {
    expect(judge(out(YAML), out(LOST, 1))).toMatchObject({
      level: 'ERROR',
      message:
        'center server center-server:8080 (192.168.10.5) does not answer ping: the vehicle cannot reach its center',
      runbook: RUNBOOK.communication,
    });
    expect(judge(out(YAML), out('ping: center-server: Temporary failure in name resolution', 2))).toMatchObject({
      level: 'ERROR',
      message: 'center server center-server:8080 cannot be reached: Temporary failure in name resolution',
    });
    expect(judge(out(YAML), out('ping: connect: Network is unreachable', 2)).message).toContain(
      'Network is unreachable',
    );
  });

  it('is STALE when ping is missing, not permitted or had no answer', () => {
    expect(judge(out(YAML), out('sh: 1: ping: not found', 127))).toMatchObject({
      level: 'STALE',
      message:
        'center server center-server:8080 (center.host) could not be tested: a tool is missing on the vehicle (sh: 1: ping: not found)',
    });
    expect(judge(out(YAML), out('ping: socket: Operation not permitted', 2)).level).toBe('STALE');
    expect(judge(out(YAML), undefined).message).toContain('no answer from the vehicle');
  });

  it('is OK without a center in the config, warns without the config file, STALE when it cannot be read', () => {
    expect(judge(out('device:\n  id: x\n'), undefined, findCenterServer('device:\n  id: x\n'))).toMatchObject({
      level: 'OK',
      message: 'no center server configured in /opt/oht50/config/system.yaml',
    });
    expect(judge(out('cat: /opt/oht50/config/system.yaml: No such file or directory', 1), undefined)).toMatchObject({
      level: 'WARN',
      runbook: RUNBOOK.serviceWontStart,
    });
    expect(judge(out('cat: /opt/oht50/config/system.yaml: Permission denied', 1), undefined)).toMatchObject({
      level: 'STALE',
      message: '/opt/oht50/config/system.yaml could not be read: cat: /opt/oht50/config/system.yaml: Permission denied',
    });
    expect(judge(out('center:\n  host: cen', null, true), undefined).message).toContain('cut off');
    const junk = 'binary \u0001 junk';
    expect(judge(out(junk), undefined, findCenterServer(junk)).level).toBe('STALE');
    const invalid = 'center:\n  host: "not a host"\n';
    expect(judge(out(invalid), undefined, findCenterServer(invalid))).toMatchObject({
      level: 'WARN',
      runbook: RUNBOOK.communication,
    });
  });
});

describe('network.ports', () => {
  const PORTS_CMD = probe('ss -ltn || netstat -tln');
  const SERVICES: PortService[] = [
    { role: 'backend', service: 'oht50-backend', port: 8000 },
    { role: 'firmware', service: 'oht50-firmware', port: 8081 },
  ];
  const judge = (o: ProbeOutput): ReturnType<typeof judgePorts> =>
    judgePorts('network.ports', { probe: PORTS_CMD, output: o }, SERVICES);
  const SS = [
    'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
    'LISTEN 0      128          0.0.0.0:22        0.0.0.0:*',
    'LISTEN 0      2048         0.0.0.0:8000      0.0.0.0:*',
    'LISTEN 0      128                *:8081            *:*',
    'LISTEN 0      128             [::]:22           [::]:*',
  ].join('\n');

  it('is OK when both ports listen on an address the network reaches', () => {
    const check = judge(out(SS));
    expect(check).toMatchObject({ level: 'OK', message: 'oht50-backend :8000 and oht50-firmware :8081 listening' });
    expect(check.children?.map((c) => [c.id, c.level, c.message])).toEqual([
      ['network.ports.backend', 'OK', 'oht50-backend listens on :8000 (all addresses)'],
      ['network.ports.firmware', 'OK', 'oht50-firmware listens on :8081 (all addresses)'],
    ]);
  });

  it('reads netstat when ss is missing', () => {
    const netstat = [
      'sh: 1: ss: not found',
      'Active Internet connections (only servers)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
      'tcp        0      0 0.0.0.0:8000            0.0.0.0:*               LISTEN',
      'tcp        0      0 127.0.0.1:8081          0.0.0.0:*               LISTEN',
      'tcp6       0      0 :::22                   :::*                    LISTEN',
    ].join('\n');
    const check = judge(out(netstat));
    expect(check).toMatchObject({
      level: 'WARN',
      message: 'oht50-firmware listens on :8081 only on 127.0.0.1: the network cannot reach it',
      runbook: RUNBOOK.apiNotResponding,
    });
  });

  it('is an error naming the service whose port has no listener; System Down when neither listens', () => {
    const noFirmware = SS.split('\n')
      .filter((l) => !l.includes(':8081'))
      .join('\n');
    expect(judge(out(noFirmware))).toMatchObject({
      level: 'ERROR',
      message: 'nothing listens on :8081: the oht50-firmware API is not answering',
      runbook: RUNBOOK.apiNotResponding,
    });
    const onlySsh = SS.split('\n')
      .filter((l) => !/:80(00|81)/.test(l))
      .join('\n');
    const down = judge(out(onlySsh));
    expect(down).toMatchObject({ level: 'ERROR', runbook: RUNBOOK.systemDown });
    expect(down.children?.every((c) => c.level === 'ERROR' && c.runbook === RUNBOOK.systemDown)).toBe(true);
  });

  it('is STALE on garbage or when neither tool exists', () => {
    expect(judge(out('sh: 1: ss: not found\nsh: 1: netstat: not found', 127))).toMatchObject({
      level: 'STALE',
      message: 'listening ports could not be read: a tool is missing on the vehicle (sh: 1: ss: not found)',
    });
    expect(judge(out('{"garbage": true}')).message).toBe('listening ports could not be read: {"garbage": true}');
    expect(judge(out('')).message).toBe('listening ports could not be read: no listening socket at all (exit 0)');
  });
});
