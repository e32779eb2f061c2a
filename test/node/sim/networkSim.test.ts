import { describe, expect, it } from 'vitest';

import { findCenterServer } from '../../../electron/core/diagnostics/parsers/centerConfig';
import { parseDefaultRoutes, parseIpAddresses, parseIpLinks } from '../../../electron/core/diagnostics/parsers/ipRoute';
import { parseTcpListeners } from '../../../electron/core/diagnostics/parsers/listeners';
import { parsePing } from '../../../electron/core/diagnostics/parsers/ping';
import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';

const OHT = { name: 'oht' };
const vehicle = (variant: 'runbook' | 'newer' = 'runbook'): SimVehicle =>
  new SimVehicle({ name: 'sim-01', variant, clock: fixedClock(Date.UTC(2026, 10, 28, 12, 0, 0)) });
const run = (v: SimVehicle, command: string): string => answerCommand(v, command, OHT).stdout;

describe('simulated interfaces and routes', () => {
  it('is on the site Wi-Fi with a DHCP lease, eth0 unplugged, as ip prints it', () => {
    const v = vehicle();
    expect(parseIpLinks(run(v, 'ip -o link show')).map((l) => [l.name, l.flags.includes('LOWER_UP'), l.state])).toEqual(
      [
        ['lo', true, 'UNKNOWN'],
        ['eth0', false, 'DOWN'],
        ['wlan0', true, 'UP'],
      ],
    );
    const v4 = parseIpAddresses(run(v, 'ip -o addr show')).filter((a) => a.family === 'inet');
    expect(v4.map((a) => [a.name, a.scope])).toEqual([
      ['lo', 'host'],
      ['wlan0', 'global'],
    ]);
    expect(v4[1]?.address).toMatch(/^192\.168\.10\.\d+$/);
    expect(parseDefaultRoutes(run(v, 'ip route show default'))).toEqual([
      expect.objectContaining({ via: '192.168.10.1', dev: 'wlan0' }),
    ]);
    expect(run(v, 'ip route show')).toMatch(/^192\.168\.10\.0\/24 dev wlan0 proto kernel scope link/m);
    expect(run(v, 'ip addr show wlan0')).toMatch(
      /^3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP>.*\n {4}link\/ether .*\n {4}inet 192/,
    );
  });

  it('loses every address and the default route on dropNetwork', () => {
    const v = vehicle();
    v.dropNetwork();
    const v4 = parseIpAddresses(run(v, 'ip -o addr show')).filter((a) => a.family === 'inet');
    expect(v4.map((a) => a.name)).toEqual(['lo']);
    expect(answerCommand(v, 'ip route show default', OHT)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('answers unknown ip objects and devices as iproute2 does', () => {
    const v = vehicle();
    expect(answerCommand(v, 'ip neigh', OHT)).toMatchObject({
      stderr: 'Object "neigh" is unknown, try "ip help".\n',
      exitCode: 1,
    });
    expect(answerCommand(v, 'ip link show dev eth9', OHT)).toMatchObject({
      stderr: 'Device "eth9" does not exist.\n',
      exitCode: 1,
    });
  });
});

describe('simulated listeners', () => {
  it('listens on the ports of the services that run, by variant', () => {
    const ports = (v: SimVehicle, command = 'ss -ltn'): number[] => [
      ...new Set(parseTcpListeners(run(v, command)).map((l) => l.port)),
    ];
    const v = vehicle();
    expect(ports(v)).toEqual([22, 8000, 8081]);
    expect(ports(vehicle('newer'))).toEqual([22, 8000, 8080]);
    v.crashService('firmware');
    expect(ports(v)).toEqual([22, 8000]);
    expect(ports(v, 'netstat -tln')).toEqual([22, 8000]);
    v.stopService('backend');
    expect(ports(v, 'ss -ltnH')).toEqual([22]);
    expect(run(v, 'ss -ltnH')).not.toContain('State');
  });

  it('shows the owning process to root only', () => {
    const v = vehicle();
    expect(answerCommand(v, 'sudo -n ss -ltnp', OHT).stdout).toContain('users:(("uvicorn",pid=701,fd=7))');
    expect(run(v, 'ss -ltnp')).not.toContain('users:');
    expect(answerCommand(v, 'sudo -n netstat -tlnp', OHT).stdout).toMatch(/0\.0\.0\.0:8081 .* LISTEN +700\/oht50_main/);
  });
});

describe('simulated center server', () => {
  it('is named in system.yaml and answers ping', () => {
    const v = vehicle();
    expect(findCenterServer(run(v, 'cat /opt/oht50/config/system.yaml'))).toEqual({
      kind: 'found',
      host: 'center-server',
      port: 8080,
      key: 'center.host',
    });
    const r = answerCommand(v, 'ping -c 1 -W 1 center-server', OHT);
    expect(r.exitCode).toBe(0);
    expect(parsePing(r.stdout)).toEqual({ address: '192.168.10.5', transmitted: 1, received: 1, rttMs: 2.3 });
  });

  it('stops answering on centerUnreachable, and cannot even be resolved without a network', () => {
    const v = vehicle();
    v.centerUnreachable();
    const lost = answerCommand(v, 'ping -c 1 -W 1 center-server', OHT);
    expect(lost.exitCode).toBe(1);
    expect(parsePing(lost.stdout)).toMatchObject({ transmitted: 1, received: 0, rttMs: null });
    expect(answerCommand(v, 'ping -c 1 -W 1 192.168.10.1', OHT).exitCode).toBe(0);
    v.dropNetwork();
    expect(answerCommand(v, 'ping -c 1 -W 1 center-server', OHT)).toEqual({
      stdout: '',
      stderr: 'ping: center-server: Temporary failure in name resolution\n',
      exitCode: 2,
    });
    expect(answerCommand(v, 'ping -c 1 192.168.10.5', OHT).stderr).toBe('ping: connect: Network is unreachable\n');
    expect(answerCommand(v, 'ping -c 1 localhost', OHT).exitCode).toBe(0);
  });
});
