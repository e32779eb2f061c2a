import { describe, expect, it } from 'vitest';

import { commandEffect } from '../../../shared/domain/commandEffect';

const effect = (line: string[]) => commandEffect(line[0] ?? '', line.slice(1));

describe('what a command does to the vehicle, as the workstation judges it', () => {
  it.each([
    [['sudo', 'cat', '/sys/class/gpio/gpio59/value']],
    [['/usr/bin/cat', '/opt/oht50/config/system.yaml']],
    [['sudo', '-n', '-u', 'oht', 'ls', '-la', '/opt/oht50/backend']],
    [['systemctl', 'status', 'oht50-backend', '--no-pager', '-l']],
    [['systemctl', 'show', 'oht50-backend', '-p', 'MainPID,MemoryCurrent']],
    [['systemctl', 'is-active', 'oht50-firmware']],
    [['journalctl', '-u', 'oht50-backend', '-n', '50', '--no-pager']],
    [['curl', '-sS', '-L', '-m', '10', '-w', '\\nHTTP %{http_code}\\n', 'http://localhost:8000/health/']],
    [['curl', '-X', 'GET', '-o', '/dev/null', 'http://localhost:8000/health/']],
    [['find', '/opt/oht50/logs/', '-name', '*.log', '-mtime', '+7', '-print']],
    [['ip', 'addr', 'show']],
    [['ip', '-j', 'route']],
    [['sqlite3', '/opt/oht50/backend/oht50.db', 'PRAGMA quick_check;']],
    [['apt', 'list', '--upgradable']],
    [['date', '+%s']],
    [['ss', '-tlnp']],
  ])('%j only reads', (line) => {
    expect(effect(line)).toEqual({ mutating: false });
  });

  it.each([
    [['sudo', 'sh', '-c', 'systemctl stop oht50-firmware'], true, /sh runs whatever it is given/],
    [['sudo', 'env', 'systemctl', 'stop', 'oht50-firmware'], true, /env runs whatever it is given/],
    [['env', 'systemctl', 'status', 'x'], true, /env runs/],
    [['sudo', '-s'], true, /sudo -s does more than run one program/],
    [['/tmp/cat', '/etc/passwd'], true, /not a system program/],
    [['systemctl', 'stop', 'oht50-firmware'], false, /systemctl stop changes the system/],
    [['systemctl', '-p', 'x', 'restart', 'y'], false, /systemctl restart/],
    [['curl', '-X', 'POST', 'http://localhost:8081/api/v1/state/reset'], false, /POST/],
    [['curl', '-XDELETE', 'http://x/'], false, /DELETE/],
    [['curl', '--request=PUT', 'http://x/'], false, /PUT/],
    [['curl', '-sSd', 'a=1', 'http://x/'], false, /curl -d/],
    [['curl', '--data-binary', '@f', 'http://x/'], false, /--data-binary/],
    [['curl', '-o', '/tmp/x', 'http://x/'], false, /writes a file/],
    [['find', '/opt/oht50/logs', '-delete'], false, /find -delete/],
    [['find', '/', '-exec', 'rm', '{}', ';'], false, /find -exec/],
    [['journalctl', '--vacuum-time=1d'], false, /--vacuum-time/],
    [['sqlite3', 'db', 'DELETE FROM users'], false, /SQL other than/],
    [['sqlite3', '-cmd', '.shell id', 'db'], false, /sqlite3 -cmd/],
    [['date', '-s', '2020-01-01'], false, /sets the clock/],
    [['date', '010100002020'], false, /sets the clock/],
    [['ip', 'link', 'set', 'eth0', 'down'], false, /changes the network/],
    [['iptables', '-A', 'INPUT', '-j', 'DROP'], false, /firewall/],
    [['ss', '-K', 'dst', '1.2.3.4'], false, /ss -K/],
    [['hostname', 'other'], false, /hostname with an operand/],
    [['sysctl', '-w', 'vm.drop_caches=3'], false, /kernel parameter/],
    [['logrotate', '-f', '/etc/logrotate.d/oht50'], false, /not on the workstation's list/],
  ])('%j changes the vehicle (opaque: %s)', (line, opaque, reason) => {
    const judged = effect(line);
    expect(judged).toMatchObject({ mutating: true, opaque });
    expect(judged.mutating && judged.reason).toMatch(reason);
  });
});
