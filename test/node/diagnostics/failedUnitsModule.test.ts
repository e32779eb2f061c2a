import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import type { SweepContext } from '../../../electron/core/diagnostics/checkModule';
import {
  DEPENDENCIES_COMMAND,
  failedUnitsModule,
  LIST_COMMAND,
  parseListUnits,
} from '../../../electron/core/diagnostics/modules/failedUnitsModule';
import type { ProbeOutput } from '../../../electron/core/transport/batch';

const unit: Unit = {
  name: 'oht-7',
  host: '10.0.0.7',
  port: 22,
  user: 'tech',
  auth: { kind: 'key', keyPath: '/keys/id' },
  profile: DEFAULT_VEHICLE_PROFILE,
  hostKey: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLevel: null,
  lastRunAt: null,
};
const context: SweepContext = {
  unit,
  profile: unit.profile,
  thresholds: DEFAULT_THRESHOLDS,
  sentAtMs: 0,
  receivedAtMs: 0,
};

const output = (key: string, stdout: string, exitCode: number | null = 0, truncated = false): ProbeOutput => ({
  key,
  stdout,
  exitCode,
  truncated,
});

const notFound = (id: string): string =>
  `Id=${id}\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nResult=success\nUnitFileState=`;
const NO_DEPENDENCIES = [
  notFound('postgresql.service'),
  notFound('redis-server.service'),
  notFound('redis.service'),
].join('\n\n');

function judge(list: ProbeOutput, dependencies: ProbeOutput = output('failedUnits.dependencies', NO_DEPENDENCIES)) {
  const [check, ...rest] = failedUnitsModule.judge(
    context,
    new Map([
      [list.key, list],
      [dependencies.key, dependencies],
    ]),
  );
  expect(rest).toEqual([]);
  if (!check) {
    throw new Error('no check');
  }
  return check;
}

describe('services.failed', () => {
  it('asks systemd for failed units and for the runbook dependencies in two simple commands', () => {
    expect(failedUnitsModule.probes({ unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS })).toEqual([
      { key: 'failedUnits.list', command: LIST_COMMAND, timeoutS: 4 },
      { key: 'failedUnits.dependencies', command: DEPENDENCIES_COMMAND, timeoutS: 4 },
    ]);
    expect(DEPENDENCIES_COMMAND).toBe(
      'systemctl show --property=Id,LoadState,ActiveState,SubState,Result,UnitFileState -- postgresql.service redis-server.service redis.service',
    );
  });

  it('is OK with no failed unit, and leaves out dependencies the vehicle does not have', () => {
    const check = judge(output('failedUnits.list', ''));
    expect(check).toMatchObject({ id: 'services.failed', level: 'OK', message: 'no failed systemd units' });
    expect(check.children).toBeUndefined();
    expect(check.evidence).toContain(`$ ${LIST_COMMAND}`);
  });

  it("is WARN for a failed unit that is not the vehicle's own, and lists it", () => {
    const check = judge(output('failedUnits.list', 'wpa_supplicant.service loaded failed failed WPA supplicant\n'));
    expect(check).toMatchObject({
      level: 'WARN',
      message: '1 failed systemd unit: wpa_supplicant.service (WPA supplicant)',
      runbook: "Troubleshooting › 1. Service Won't Start",
    });
  });

  it('is ERROR when an OHT-50 service has failed, and reads padded rows and old bullets alike', () => {
    const rows = [
      '● oht50-backend.service  loaded failed failed OHT-50 Backend API',
      '  systemd-networkd-wait-online.service loaded failed failed Wait for Network to be Configured',
    ].join('\n');
    const check = judge(output('failedUnits.list', rows));
    expect(check.level).toBe('ERROR');
    expect(check.message).toBe(
      '2 failed systemd units: oht50-backend.service (OHT-50 Backend API), systemd-networkd-wait-online.service (Wait for Network to be Configured)',
    );
  });

  it('shows PostgreSQL and Redis as children when installed: running is OK, failed is ERROR', () => {
    const dependencies = [
      'Id=postgresql.service\nLoadState=loaded\nActiveState=active\nSubState=exited\nResult=success\nUnitFileState=enabled',
      'Id=redis-server.service\nLoadState=loaded\nActiveState=failed\nSubState=failed\nResult=exit-code\nUnitFileState=enabled',
      'Id=redis-server.service\nLoadState=loaded\nActiveState=failed\nSubState=failed\nResult=exit-code\nUnitFileState=enabled',
    ].join('\n\n');
    const check = judge(
      output('failedUnits.list', 'redis-server.service loaded failed failed Advanced key-value store\n'),
      output('failedUnits.dependencies', dependencies),
    );
    expect(check.level).toBe('ERROR');
    expect(check.children?.map((c) => [c.id, c.level, c.message])).toEqual([
      ['services.failed.postgresql', 'OK', 'PostgreSQL (postgresql.service) is active (exited)'],
      [
        'services.failed.redis',
        'ERROR',
        'Redis (redis-server.service) has failed (exit-code): the backend cannot reach it',
      ],
    ]);
    expect(check.children?.[1]?.runbook).toBe("Troubleshooting › 1. Service Won't Start");
  });

  it('raises a dependency that is installed but stopped even when nothing failed', () => {
    const dependencies = [
      'Id=postgresql.service\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nResult=success\nUnitFileState=disabled',
      notFound('redis-server.service'),
      notFound('redis.service'),
    ].join('\n\n');
    const check = judge(output('failedUnits.list', ''), output('failedUnits.dependencies', dependencies));
    expect(check).toMatchObject({ level: 'WARN', runbook: "Troubleshooting › 1. Service Won't Start" });
    expect(check.message).toBe(
      'no failed systemd units, but PostgreSQL (postgresql.service) is installed but not running: inactive (dead), disabled at boot',
    );
  });

  it('is STALE on garbage, a missing systemctl or a cut-off answer', () => {
    expect(judge(output('failedUnits.list', 'Segmentation fault (core dumped)')).level).toBe('STALE');
    const missing = judge(output('failedUnits.list', 'sh: 1: systemctl: not found', 127));
    expect(missing.message).toBe(
      'failed units could not be listed: a tool is missing on the vehicle (sh: 1: systemctl: not found)',
    );
    expect(judge(output('failedUnits.list', 'oht50-backend.service loaded fa', null, true)).message).toContain(
      'cut off',
    );
    expect(judge(output('failedUnits.list', 'Failed to connect to bus: No such file or directory', 1)).message).toBe(
      'failed units could not be listed: systemctl failed (exit 1)',
    );
  });

  it('marks the dependencies STALE when their answer is garbage, without hiding the failed units', () => {
    const check = judge(output('failedUnits.list', ''), output('failedUnits.dependencies', 'garbage', 0));
    expect(check.level).toBe('STALE');
    expect(check.children?.[0]).toMatchObject({ id: 'services.failed.dependencies', level: 'STALE' });
  });
});

describe('list-units rows', () => {
  it('keep the description whole and skip the legend', () => {
    expect(parseListUnits('x.service loaded failed failed A long description\n\n0 loaded units listed.\n')).toEqual([
      { unit: 'x.service', load: 'loaded', active: 'failed', sub: 'failed', description: 'A long description' },
    ]);
    expect(parseListUnits('UNIT LOAD ACTIVE SUB DESCRIPTION')).toBeNull();
  });
});
