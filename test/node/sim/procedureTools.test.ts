import { describe, expect, it } from 'vitest';

import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';
import { usePercent } from '../../../electron/sim/simResources';

/* The programs the shipped procedures run on a vehicle, as the simulated one answers them to the login user. */

const NOW = Date.UTC(2026, 10, 28, 15, 49, 15);
const LOGIN = { name: 'orangepi' };

function vehicle(): SimVehicle {
  return new SimVehicle({ name: 'sim-01', clock: fixedClock(NOW), bootedAtMs: NOW - 3600_000 });
}

const run = (v: SimVehicle, line: string, stdin?: string) =>
  answerCommand(v, line, LOGIN, stdin === undefined ? undefined : Buffer.from(stdin));

describe('the programs of the procedures on a simulated vehicle', () => {
  it('ps and top put a runaway backend first, and its load ends with its process', () => {
    const v = vehicle();
    v.setCpuLoad(97);
    const ps = run(v, 'ps -eo pid,user,pcpu,pmem,rss,etime,args --sort=-pcpu');
    expect(ps.exitCode).toBe(0);
    const [header, first] = ps.stdout.split('\n');
    expect(header).toMatch(/^\s*PID USER\s+%CPU %MEM\s+RSS\s+ELAPSED COMMAND$/);
    expect(first).toMatch(/^\s*701 oht\s+\d{3}\.\d .*uvicorn app\.main:app/);
    expect(run(v, 'top -b -n 1').stdout).toMatch(/^top - .*load average: 7\.\d\d/);
    expect(run(v, 'top').exitCode).toBe(1);
    v.restartService('backend');
    expect(v.state.resources.cpu.busyPercent).toBeLessThan(10);
    expect(run(v, 'ps -eo pcpu,comm --sort=-pcpu').stdout.split('\n')[1]).not.toMatch(/uvicorn/);
    expect(run(v, 'ps --bogus')).toMatchObject({ exitCode: 1, stdout: '' });
  });

  it('grep and tail read with the user permissions, grep saying nothing found with exit 1', () => {
    const v = vehicle();
    expect(run(v, "grep -oE '^[A-Za-z_]+=' /opt/oht50/backend/.env")).toMatchObject({
      exitCode: 2,
      stderr: 'grep: /opt/oht50/backend/.env: Permission denied\n',
    });
    const names = run(v, "sudo grep -oE '^[A-Za-z_][A-Za-z0-9_]*=' /opt/oht50/backend/.env");
    expect(names.exitCode).toBe(0);
    expect(names.stdout).toContain('JWT_SECRET=\n');
    expect(names.stdout).not.toContain('not-a-secret');
    expect(run(v, "sudo grep -E '^(TESTING|BYPASS_AUTH)=(true|1)' /opt/oht50/backend/.env")).toMatchObject({
      exitCode: 1,
      stdout: '',
    });
    expect(run(v, 'sudo grep -rH listen_addresses /etc/postgresql').exitCode).toBe(2);
    v.installDependency('postgresql');
    expect(run(v, 'sudo grep -rH listen_addresses /etc/postgresql').stdout).toMatch(
      /^\/etc\/postgresql\/15\/main\/postgresql\.conf:#listen_addresses/,
    );
    expect(run(v, 'tail -n 2 /var/log/auth.log')).toMatchObject({ exitCode: 1 });
    const tail = run(v, 'sudo tail -n 2 /var/log/auth.log');
    expect(tail.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(tail.stdout).toMatch(/sim-01 CRON\[1402\]/);
  });

  it('ls needs sudo inside the 750 install folder; cp keeps the older copy numbered', () => {
    const v = vehicle();
    expect(run(v, 'ls -la /opt/oht50')).toMatchObject({
      exitCode: 2,
      stderr: "ls: cannot open directory '/opt/oht50': Permission denied\n",
    });
    const listing = run(v, 'sudo ls -la /opt/oht50');
    expect(listing.stdout).toMatch(/^total \d+\ndrwxr-x--- \d+ oht\s+oht\s+4096 \w{3} [ \d]\d \d\d:\d\d \.\n/);
    expect(listing.stdout).toMatch(/\nd[rwx-]{9} \d+ oht\s+oht\s+4096 .* backend\n/);
    const copy = 'sudo cp -p --backup=numbered /opt/oht50/backend/.env /opt/oht50/backend/.env.backup';
    expect(run(v, copy).exitCode).toBe(0);
    v.state.files['/opt/oht50/backend/.env'] += 'EXTRA=1\n';
    expect(run(v, copy).exitCode).toBe(0);
    expect(v.state.files['/opt/oht50/backend/.env.backup']).toContain('EXTRA=1');
    expect(v.state.files['/opt/oht50/backend/.env.backup.~1~']).not.toContain('EXTRA=1');
    expect(v.state.fileMeta['/opt/oht50/backend/.env.backup']).toMatchObject({ mode: 0o600, uid: 1001 });
  });

  it('find selects by name and age, finds nothing with status 0, and deletes only what it selected', () => {
    const v = vehicle();
    expect(run(v, "sudo find /opt/oht50/logs/ -name '*.log' -mtime +7 -print")).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 0,
    });
    const day = 86_400_000;
    for (const [name, age] of [
      ['old.log', 9],
      ['new.log', 1],
      ['old.txt', 9],
    ] as const) {
      v.state.files[`/opt/oht50/logs/${name}`] = 'x\n';
      v.state.fileMeta[`/opt/oht50/logs/${name}`] = {
        type: 'file',
        mode: 0o644,
        uid: 1001,
        gid: 1001,
        mtimeMs: NOW - age * day,
      };
    }
    expect(run(v, "sudo find /opt/oht50/logs/ -name '*.log' -mtime +7 -print").stdout).toBe(
      '/opt/oht50/logs/old.log\n',
    );
    expect(run(v, "find /opt/oht50/logs/ -name '*.log' -mtime +7 -delete")).toMatchObject({ exitCode: 1 });
    expect(run(v, "sudo find /opt/oht50/logs/ -name '*.log' -mtime +7 -delete").exitCode).toBe(0);
    expect(Object.keys(v.state.files).filter((p) => p.startsWith('/opt/oht50/logs/'))).toEqual([
      '/opt/oht50/logs/new.log',
      '/opt/oht50/logs/old.txt',
    ]);
  });

  it('apt needs root and the network; logrotate -f gives the log partition back', () => {
    const v = vehicle();
    const list = run(v, 'apt list --upgradable');
    expect(list.stderr).toContain('WARNING: apt does not have a stable CLI interface');
    expect(list.stdout).toMatch(/^Listing\.\.\.\nlibssl3\/bookworm-security .* \[upgradable from: .*\]\n/);
    expect(run(v, 'apt-get update').exitCode).toBe(100);
    expect(run(v, 'sudo apt-get update').stdout).toContain('2 packages can be upgraded');
    expect(run(v, 'sudo apt-get -y upgrade').stdout).toContain('2 upgraded, 0 newly installed');
    expect(run(v, 'apt list --upgradable').stdout).toBe('Listing...\n');
    v.fillLogPartition(96);
    const root = () => v.state.resources.filesystems.find((fs) => fs.mountedOn === '/')!;
    expect(run(v, 'logrotate -f /etc/logrotate.d/oht50').exitCode).toBe(1);
    expect(usePercent(root())).toBe(96);
    expect(run(v, 'sudo logrotate -f /etc/logrotate.d/oht50').exitCode).toBe(0);
    expect(usePercent(root())).toBeLessThan(50);
  });

  it('systemctl enables as root, pg_isready follows PostgreSQL, iptables appends as root, curl reads -H @-', () => {
    const v = vehicle();
    v.service('backend').unitFileState = 'disabled';
    expect(run(v, 'systemctl enable oht50-backend').exitCode).toBe(1);
    expect(run(v, 'sudo systemctl enable oht50-backend').stderr).toMatch(/^Created symlink .*oht50-backend\.service/);
    expect(v.service('backend').unitFileState).toBe('enabled');
    expect(run(v, 'pg_isready -h localhost')).toEqual({
      stdout: 'localhost:5432 - no response\n',
      stderr: '',
      exitCode: 2,
    });
    v.installDependency('postgresql');
    expect(run(v, 'pg_isready -h localhost').exitCode).toBe(0);
    expect(run(v, 'iptables -A INPUT -s 203.0.113.7 -j DROP').exitCode).toBe(4);
    expect(run(v, 'sudo iptables -A INPUT -s 203.0.113.7 -j DROP').exitCode).toBe(0);
    expect(run(v, 'sudo iptables -S INPUT').stdout).toBe('-P INPUT ACCEPT\n-A INPUT -s 203.0.113.7/32 -j DROP\n');
    v.pressEstop();
    v.releaseEstop();
    const reset = 'curl -sS -m 5 -X POST -H @- http://127.0.0.1:8081/api/v1/state/reset';
    expect(run(v, reset).stdout).toContain('Authentication required');
    expect(run(v, reset, 'Authorization: Bearer oht50_operator_token_2025\n').stdout).toBe(
      '{"success":true,"message":"System reset to IDLE"}',
    );
  });
});
