import type { SimServiceState } from './SimVehicle';

/**
 * systemd units of a simulated vehicle other than its two OHT-50 services: the runbook's dependencies (PostgreSQL,
 * Redis) when the image has them, and whatever else a trainer wants to see failed (wpa_supplicant, say).
 */
export type SimUnitState = Omit<SimServiceState, 'role'>;

export type SimDependency = 'postgresql' | 'redis';

type UnitShape = Pick<
  SimUnitState,
  'unit' | 'description' | 'execStart' | 'processName' | 'runAs' | 'workingDirectory' | 'httpPort'
>;

/** As Debian/Ubuntu package them: postgresql.service is a oneshot wrapper (active (exited)), Redis a daemon. */
const DEPENDENCIES: Record<SimDependency, UnitShape & { oneshot: boolean }> = {
  postgresql: {
    unit: 'postgresql.service',
    description: 'PostgreSQL RDBMS',
    execStart: '/bin/true',
    processName: 'true',
    runAs: 'root',
    workingDirectory: '/',
    httpPort: 0,
    oneshot: true,
  },
  redis: {
    unit: 'redis-server.service',
    description: 'Advanced key-value store',
    execStart: '/usr/bin/redis-server /etc/redis/redis.conf --supervised systemd --daemonize no',
    processName: 'redis-server',
    runAs: 'redis',
    workingDirectory: '/var/lib/redis',
    httpPort: 0,
    oneshot: false,
  },
};

/** The configuration each dependency's Debian package installs (the runbook reads PostgreSQL's). */
export function dependencyFiles(which: SimDependency): Record<string, string> {
  if (which === 'redis') {
    return { '/etc/redis/redis.conf': 'bind 127.0.0.1 -::1\nport 6379\nsupervised systemd\n' };
  }
  return {
    '/etc/postgresql/15/main/postgresql.conf':
      "data_directory = '/var/lib/postgresql/15/main'\n#listen_addresses = 'localhost'\nport = 5432\nmax_connections = 100\n",
    '/etc/postgresql/15/main/pg_hba.conf':
      '# TYPE  DATABASE        USER            ADDRESS                 METHOD\nlocal   all             postgres                                peer\nlocal   all             all                                     peer\nhost    all             all             127.0.0.1/32            scram-sha-256\nhost    all             all             ::1/128                 scram-sha-256\n',
  };
}

export function dependencyUnit(which: SimDependency, atMs: number, pid: number): SimUnitState {
  const { oneshot, ...shape } = DEPENDENCIES[which];
  return runningUnit(shape, atMs, oneshot ? 0 : pid, oneshot);
}

/** A unit the simulator knows nothing else about, running since `atMs`. */
export function genericUnit(unit: string, atMs: number, pid: number): SimUnitState {
  const name = unit.replace(/\.service$/, '');
  return runningUnit(
    {
      unit,
      description: name,
      execStart: `/usr/sbin/${name}`,
      processName: name,
      runAs: 'root',
      workingDirectory: '/',
      httpPort: 0,
    },
    atMs,
    pid,
    false,
  );
}

function runningUnit(shape: UnitShape, atMs: number, pid: number, exited: boolean): SimUnitState {
  return {
    ...shape,
    activeState: 'active',
    subState: exited ? 'exited' : 'running',
    sinceMs: atMs,
    activeEnterMs: atMs,
    activeExitMs: null,
    inactiveEnterMs: null,
    inactiveExitMs: atMs,
    execMainStartMs: atMs,
    execMainExitMs: exited ? atMs : null,
    nRestarts: 0,
    unitFileState: 'enabled',
    result: 'success',
    execMainCode: exited ? 1 : 0,
    execMainStatus: 0,
    execMainPid: pid,
    mainPid: exited ? 0 : pid,
  };
}

/**
 * `systemctl list-units` rows: UNIT LOAD ACTIVE SUB DESCRIPTION in columns as wide as their widest entry, with
 * systemd's header and footer unless --no-legend, and a "●" before failed units unless --plain.
 */
export function listUnits(units: readonly SimUnitState[], options: { legend: boolean; plain: boolean }): string {
  const rows = units.map((u) => [u.unit, 'loaded', u.activeState, u.subState, u.description]);
  const header = ['UNIT', 'LOAD', 'ACTIVE', 'SUB', 'DESCRIPTION'];
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...[...(options.legend ? [header] : []), ...rows].map((r) => (r[i] ?? '').length), 0),
  );
  const format = (row: readonly string[], failed: boolean): string => {
    const mark = options.plain ? '' : failed ? '● ' : '  ';
    const cells = row.slice(0, 4).map((cell, i) => cell.padEnd(widths[i] ?? 0));
    return `${mark}${[...cells, row[4] ?? ''].join(' ')}`.trimEnd();
  };
  const lines = rows.map((row) => format(row, row[2] === 'failed'));
  if (!options.legend) {
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }
  return [
    format(header, false),
    ...lines,
    '',
    'LOAD   = Reflects whether the unit definition was properly loaded.',
    'ACTIVE = The high-level unit activation state, i.e. generalization of SUB.',
    'SUB    = The low-level unit activation state, values depend on unit type.',
    `${rows.length} loaded units listed.`,
    '',
  ].join('\n');
}
