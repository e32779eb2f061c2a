import type { SimServiceRole, SimVehicle } from '../SimVehicle';
import type { Program, ProgramContext } from '../shell/program';
import { listUnits } from '../simOtherUnits';
import { normalizeUnit, showUnit } from './unitProperties';
import { unitStatus } from './unitStatus';

/**
 * systemctl: show, is-active/-enabled/-failed, status, list-units, start/stop/restart, with systemd's texts and
 * exit codes.
 */

type Parsed = {
  verb: string | undefined;
  units: string[];
  properties: string[];
  valueOnly: boolean;
  all: boolean;
  quiet: boolean;
  /** list-units: --state=A,B (and --failed); --no-legend; --plain. */
  states: string[];
  legend: boolean;
  plain: boolean;
};

/** Options systemctl accepts that change nothing in the simulator's answers. */
const IGNORED_FLAGS = new Set(['--no-pager', '--full', '-l', '--system', '--no-ask-password', '--no-block', '--now']);
const IGNORED_WITH_VALUE = new Set(['-n', '--lines', '-o', '--output', '-t', '--type']);

function parse(args: readonly string[]): Parsed | { error: string } {
  const parsed: Parsed = {
    verb: undefined,
    units: [],
    properties: [],
    valueOnly: false,
    all: false,
    quiet: false,
    states: [],
    legend: true,
    plain: false,
  };
  const positional: string[] = [];
  const addProperties = (list: string): void => {
    parsed.properties.push(...list.split(',').filter((name) => name !== ''));
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = (): string => inline ?? args[++i] ?? '';
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    } else if (flag === '-p' || flag === '--property') {
      addProperties(value());
    } else if (/^-p./.test(arg)) {
      addProperties(arg.slice(2));
    } else if (flag === '-P') {
      parsed.valueOnly = true;
      addProperties(value());
    } else if (arg === '--value') {
      parsed.valueOnly = true;
    } else if (arg === '-a' || arg === '--all') {
      parsed.all = true;
    } else if (arg === '-q' || arg === '--quiet') {
      parsed.quiet = true;
    } else if (flag === '--state') {
      parsed.states.push(
        ...value()
          .split(',')
          .filter((state) => state !== ''),
      );
    } else if (arg === '--failed') {
      parsed.states.push('failed');
    } else if (arg === '--no-legend') {
      parsed.legend = false;
    } else if (arg === '--plain') {
      parsed.plain = true;
    } else if (IGNORED_FLAGS.has(arg)) {
      continue;
    } else if (flag !== undefined && IGNORED_WITH_VALUE.has(flag)) {
      value();
    } else if (arg.startsWith('--')) {
      return { error: `systemctl: unrecognized option '${arg}'\n` };
    } else if (arg.startsWith('-') && arg.length > 1) {
      return { error: `systemctl: invalid option -- '${arg.slice(1, 2)}'\n` };
    } else {
      positional.push(arg);
    }
  }
  [parsed.verb, ...parsed.units] = positional;
  parsed.units = parsed.units.map(normalizeUnit);
  return parsed;
}

/** `list-units`: loaded units, filtered by --state (matching the ACTIVE or SUB column, as systemd does), by name. */
function listed(p: Parsed, c: ProgramContext): number {
  const all = [...Object.values(c.vehicle.state.services), ...Object.values(c.vehicle.state.otherUnits)];
  const units = all
    .filter((u) => p.states.length === 0 || p.states.includes(u.activeState) || p.states.includes(u.subState))
    .filter((u) => p.units.length === 0 || p.units.includes(u.unit))
    .sort((a, b) => a.unit.localeCompare(b.unit));
  c.io.out(listUnits(units, { legend: p.legend, plain: p.plain }));
  return 0;
}

function roleOf(vehicle: SimVehicle, unit: string): SimServiceRole | undefined {
  return vehicle.findService(unit)?.role;
}

/** is-active and friends: one line per unit; success when any unit is in the `good` state, else `missCode`. */
function check(p: Parsed, c: ProgramContext, state: (unit: string) => string, good: string, missCode: number): number {
  let found = false;
  for (const unit of p.units) {
    const value = state(unit);
    found ||= value === good;
    if (!p.quiet) {
      c.io.out(`${value}\n`);
    }
  }
  return found ? 0 : missCode;
}

function mutate(p: Parsed, c: ProgramContext, verb: 'start' | 'stop' | 'restart'): number {
  for (const unit of p.units) {
    const role = roleOf(c.vehicle, unit);
    if (role === undefined) {
      c.io.err(`Failed to ${verb} ${unit}: Unit ${unit} ${verb === 'stop' ? 'not loaded' : 'not found'}.\n`);
      return 5;
    }
    if (c.user.uid !== 0) {
      // No polkit agent over a non-interactive SSH exec: what a technician sees without sudo.
      c.io.err(
        `Failed to ${verb} ${unit}: Interactive authentication required.\n` +
          `See system logs and 'systemctl status ${unit}' for details.\n`,
      );
      return 1;
    }
    switch (verb) {
      case 'start':
        c.vehicle.startService(role);
        break;
      case 'stop':
        c.vehicle.stopService(role);
        break;
      case 'restart':
        c.vehicle.restartService(role);
        break;
    }
  }
  return 0;
}

/** enable/disable: the unit file's wants-symlink, as root only; nothing printed when it is already so. */
function setEnabled(p: Parsed, c: ProgramContext, enable: boolean): number {
  const verb = enable ? 'enable' : 'disable';
  for (const unit of p.units) {
    const service = c.vehicle.findUnit(unit);
    if (!service) {
      c.io.err(`Failed to ${verb} unit: Unit file ${normalizeUnit(unit)} does not exist.\n`);
      return 1;
    }
    if (c.user.uid !== 0) {
      c.io.err(`Failed to ${verb} unit: Interactive authentication required.\n`);
      return 1;
    }
    const link = `/etc/systemd/system/multi-user.target.wants/${service.unit}`;
    if (enable && service.unitFileState !== 'enabled') {
      c.io.err(`Created symlink ${link} → /etc/systemd/system/${service.unit}.\n`);
    } else if (!enable && service.unitFileState === 'enabled') {
      c.io.err(`Removed "${link}".\n`);
    }
    service.unitFileState = enable ? 'enabled' : 'disabled';
  }
  return 0;
}

function status(p: Parsed, c: ProgramContext): number {
  let code = 0;
  const blocks: string[] = [];
  for (const unit of p.units) {
    const service = c.vehicle.findUnit(unit);
    if (!service) {
      c.io.err(`Unit ${unit} could not be found.\n`);
      code = 4;
      continue;
    }
    blocks.push(unitStatus(service, c.nowMs));
    if (service.activeState !== 'active' && code === 0) {
      code = 3;
    }
  }
  c.io.out(blocks.join('\n'));
  return code;
}

function run(p: Parsed, c: ProgramContext): number {
  const services = [...Object.values(c.vehicle.state.services), ...Object.values(c.vehicle.state.otherUnits)];
  const activeState = (unit: string): string => c.vehicle.findUnit(unit)?.activeState ?? 'inactive';
  const needUnits = (): boolean => {
    if (p.units.length === 0) {
      c.io.err(`Too few arguments.\n`);
    }
    return p.units.length > 0;
  };
  switch (p.verb) {
    case 'show':
      if (p.units.length === 0) {
        c.io.err('systemctl: showing the manager is not simulated; name a unit\n');
        return 1;
      }
      c.io.out(p.units.map((unit) => showUnit(c.vehicle, unit, p)).join('\n'));
      return 0;
    case 'is-active':
      return needUnits() ? check(p, c, activeState, 'active', 3) : 1;
    case 'is-failed':
      return needUnits() ? check(p, c, activeState, 'failed', 1) : 1;
    case 'is-enabled': {
      if (!needUnits()) {
        return 1;
      }
      const missing = p.units.find((u) => !c.vehicle.findUnit(u));
      if (missing !== undefined) {
        c.io.err(`Failed to get unit file state for ${missing}: No such file or directory\n`);
        return 1;
      }
      return check(p, c, (u) => c.vehicle.findUnit(u)?.unitFileState ?? '', 'enabled', 1);
    }
    case 'is-system-running': {
      const degraded = services.some((s) => s.activeState === 'failed');
      if (!p.quiet) {
        c.io.out(degraded ? 'degraded\n' : 'running\n');
      }
      return degraded ? 1 : 0;
    }
    case 'status':
      return needUnits() ? status(p, c) : 1;
    case 'list-units':
      return listed(p, c);
    case 'start':
    case 'stop':
    case 'restart':
      return needUnits() ? mutate(p, c, p.verb) : 1;
    case 'enable':
    case 'disable':
      return needUnits() ? setEnabled(p, c, p.verb === 'enable') : 1;
    case 'daemon-reload':
      // Unit files are read again (after a restore changed them): as root only, nothing to print.
      if (c.user.uid !== 0) {
        c.io.err('Failed to reload daemon: Interactive authentication required.\n');
        return 1;
      }
      return 0;
    case undefined:
      // `systemctl` alone lists units, `systemctl --failed` the failed ones.
      return listed(p, c);
    default:
      c.io.err(`Unknown command verb ${p.verb}.\n`);
      return 1;
  }
}

export const systemctl: Program = {
  path: '/usr/bin/systemctl',
  run(args, context) {
    const parsed = parse(args);
    if ('error' in parsed) {
      context.io.err(parsed.error);
      return 1;
    }
    return run(parsed, context);
  },
};
