import { describe, expect, it } from 'vitest';

import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';

const NOW = Date.UTC(2026, 10, 28, 15, 49, 15); // Sat 2026-11-28 15:49:15 UTC
const BOOT = NOW - 3600_000;

function vehicle(variant: 'runbook' | 'newer' = 'runbook'): SimVehicle {
  return new SimVehicle({ name: 'sim-01', variant, clock: fixedClock(NOW), bootedAtMs: BOOT, version: '2.3.1' });
}

const OHT = { name: 'oht' };

describe('answerCommand: systemctl show', () => {
  it('prints the named properties of one unit, in systemd order, with systemd timestamps', () => {
    const r = answerCommand(
      vehicle(),
      'systemctl show -p SubState,ActiveState,NRestarts,ActiveEnterTimestamp,MainPID oht50-backend',
      OHT,
    );
    expect(r).toEqual({
      stdout:
        'MainPID=701\nNRestarts=0\nActiveState=active\nSubState=running\n' +
        'ActiveEnterTimestamp=Sat 2026-11-28 14:49:27 UTC\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('separates several units with a blank line, with or without .service', () => {
    const r = answerCommand(
      vehicle(),
      'systemctl show --property=ActiveState -p UnitFileState -- oht50-backend.service oht50-firmware',
      OHT,
    );
    expect(r.stdout).toBe('ActiveState=active\nUnitFileState=enabled\n\nActiveState=active\nUnitFileState=enabled\n');
  });

  it('answers for a unit the vehicle does not have as systemd does for a not-found unit', () => {
    const r = answerCommand(
      vehicle('runbook'),
      'systemctl show -p LoadState,ActiveState,SubState,UnitFileState,NRestarts,ActiveEnterTimestamp,Result,MainPID oht50',
      OHT,
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      'MainPID=0\nResult=success\nNRestarts=0\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n' +
        'UnitFileState=\nActiveEnterTimestamp=\n',
    );
  });

  it('tells the two software generations apart by which firmware unit exists', () => {
    const show = (v: SimVehicle): string =>
      answerCommand(v, 'systemctl show -p LoadState --value oht50-firmware oht50', OHT).stdout;
    expect(show(vehicle('runbook'))).toBe('loaded\n\nnot-found\n');
    expect(show(vehicle('newer'))).toBe('not-found\n\nloaded\n');
  });

  it('prints a named property it does not model as empty, and --value / -P print values only', () => {
    const v = vehicle();
    expect(answerCommand(v, 'systemctl show -p ActiveState,NoSuchProperty oht50-backend', OHT).stdout).toBe(
      'ActiveState=active\nNoSuchProperty=\n',
    );
    expect(answerCommand(v, 'systemctl show -P ExecMainStatus oht50-firmware', OHT).stdout).toBe('0\n');
  });

  it('without -p prints every modelled property that has a value', () => {
    const out = answerCommand(vehicle(), 'systemctl show oht50-backend', OHT).stdout;
    expect(out).toContain('Id=oht50-backend.service\n');
    expect(out).toContain('ExecMainStartTimestampMonotonic=12000000\n');
    expect(out).not.toContain('ActiveExitTimestamp=\n');
  });

  it('reflects injected faults', () => {
    const v = vehicle();
    v.crashService('firmware', { exitStatus: 2 });
    const r = answerCommand(
      v,
      'systemctl show -p ActiveState,SubState,Result,NRestarts,ExecMainStatus,MainPID oht50-firmware',
      OHT,
    );
    expect(r.stdout).toBe(
      'MainPID=0\nResult=exit-code\nNRestarts=1\nExecMainStatus=2\nActiveState=failed\nSubState=failed\n',
    );
  });

  it('refuses an unknown option as systemctl does', () => {
    expect(answerCommand(vehicle(), 'systemctl show --bogus oht50', OHT)).toEqual({
      stdout: '',
      stderr: "systemctl: unrecognized option '--bogus'\n",
      exitCode: 1,
    });
  });
});

describe('answerCommand: other systemctl verbs', () => {
  it('is-active exits 0 only for an active unit', () => {
    const v = vehicle();
    expect(answerCommand(v, 'systemctl is-active oht50-backend', OHT)).toEqual({
      stdout: 'active\n',
      stderr: '',
      exitCode: 0,
    });
    v.stopService('backend');
    expect(answerCommand(v, 'systemctl is-active oht50-backend', OHT)).toMatchObject({
      stdout: 'inactive\n',
      exitCode: 3,
    });
    expect(answerCommand(v, 'systemctl is-active --quiet oht50', OHT)).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 3,
    });
  });

  it('status shows the unit head and exits 3 for a failed unit, 4 for a missing one', () => {
    const v = vehicle();
    v.crashService('firmware');
    const failed = answerCommand(v, 'systemctl status oht50-firmware', OHT);
    expect(failed.exitCode).toBe(3);
    expect(failed.stdout.split('\n').slice(0, 3)).toEqual([
      '× oht50-firmware.service - OHT-50 Master Control Firmware',
      '     Loaded: loaded (/etc/systemd/system/oht50-firmware.service; enabled; vendor preset: enabled)',
      '     Active: failed (Result: exit-code) since Sat 2026-11-28 15:49:15 UTC; now',
    ]);
    expect(failed.stdout).toContain('Main PID: 700 (code=exited, status=1/FAILURE)');
    expect(answerCommand(v, 'systemctl status oht50', OHT)).toEqual({
      stdout: '',
      stderr: 'Unit oht50.service could not be found.\n',
      exitCode: 4,
    });
  });

  it('start, stop and restart need root, as over a non-interactive SSH session', () => {
    const v = vehicle();
    const denied = answerCommand(v, 'systemctl stop oht50-backend', OHT);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toContain('Interactive authentication required');
    expect(v.service('backend').activeState).toBe('active');

    expect(answerCommand(v, 'sudo -n systemctl stop oht50-backend', OHT).exitCode).toBe(0);
    expect(v.service('backend').activeState).toBe('inactive');
    expect(answerCommand(v, "sudo -n sh -c 'systemctl start oht50-backend'", OHT).exitCode).toBe(0);
    expect(v.service('backend').activeState).toBe('active');
    expect(answerCommand(v, 'sudo -n systemctl restart oht50', OHT)).toMatchObject({
      stderr: 'Failed to restart oht50.service: Unit oht50.service not found.\n',
      exitCode: 5,
    });
  });
});

describe('answerCommand: identity, time and the shell around commands', () => {
  it('answers identity and time probes', () => {
    const v = vehicle();
    const ask = (command: string): string => answerCommand(v, command, OHT).stdout;
    expect(ask('date +%s')).toBe(`${NOW / 1000}\n`);
    expect(ask('date -u +%Y-%m-%dT%H:%M:%SZ')).toBe('2026-11-28T15:49:15Z\n');
    expect(ask('date')).toBe('Sat Nov 28 15:49:15 UTC 2026\n');
    expect(ask('uname -a')).toBe(
      'Linux sim-01 6.1.43-rk3588 #1.0.0 SMP Mon Jul  8 11:54:40 CST 2024 aarch64 aarch64 aarch64 GNU/Linux\n',
    );
    expect(ask('uname -rm')).toBe('6.1.43-rk3588 aarch64\n');
    expect(ask('hostname')).toBe('sim-01\n');
    expect(ask('id -un')).toBe('oht\n');
    expect(ask('id -u')).toBe('1000\n');
    expect(ask('cat /opt/oht50/VERSION')).toBe('2.3.1\n');
    expect(ask('cat /proc/device-tree/model')).toBe('Orange Pi 5B\0');
    expect(ask('true && echo "a  b" \'c d\'')).toBe('a  b c d\n');
  });

  it('follows a skewed vehicle clock', () => {
    const v = vehicle();
    v.state.system.clockOffsetMs = -90_000;
    expect(answerCommand(v, 'date +%s', OHT).stdout).toBe(`${NOW / 1000 - 90}\n`);
  });

  it('runs sudo -n and sh -c as the shell would, as root for sudo', () => {
    const v = vehicle();
    expect(answerCommand(v, 'sudo -n id -un', OHT).stdout).toBe('root\n');
    expect(answerCommand(v, "sudo -n sh -c 'id -u; whoami'", OHT).stdout).toBe('0\nroot\n');
    expect(answerCommand(v, "sh -c 'id -un; exit 4'", OHT)).toEqual({ stdout: 'oht\n', stderr: '', exitCode: 4 });
    expect(answerCommand(v, 'sudo -n nosuch', OHT)).toEqual({
      stdout: '',
      stderr: 'sudo: nosuch: command not found\n',
      exitCode: 1,
    });
  });

  it('fails sudo -n when the vehicle wants a password', () => {
    const v = vehicle();
    v.state.access.sudo = 'password';
    expect(answerCommand(v, 'sudo -n true', OHT)).toEqual({
      stdout: '',
      stderr: 'sudo: a password is required\n',
      exitCode: 1,
    });
  });

  it('says "not found" with exit 127 for a command the vehicle lacks', () => {
    expect(answerCommand(vehicle(), 'iotop -b -n 1', OHT)).toEqual({
      stdout: '',
      stderr: 'sh: 1: iotop: not found\n',
      exitCode: 127,
    });
  });

  it('says plainly when a script uses shell syntax the simulator does not run', () => {
    const r = answerCommand(vehicle(), 'systemctl show oht50 | grep State', OHT);
    expect(r).toEqual({ stdout: '', stderr: 'sh: 1: simulator: pipelines are not simulated\n', exitCode: 2 });
  });
});
