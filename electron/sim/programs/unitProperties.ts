import type { SimUnitState } from '../simOtherUnits';
import type { SimVehicle } from '../SimVehicle';
import { systemdTimestamp } from '../timeFormat';

/**
 * A unit's D-Bus properties in the order systemd enumerates them (the Service interface, then Unit), which is
 * the order `systemctl show` prints them in whatever order `-p` named them. Only the properties a diagnosis
 * reads are modelled; a unit the vehicle does not have gets systemd's stub for a not-found unit.
 */

const UNIT_SUFFIXES = ['.service', '.socket', '.target', '.timer', '.mount', '.path', '.device', '.scope', '.slice'];

/** `oht50-backend` → `oht50-backend.service`, as systemctl completes a name without a type. */
export function normalizeUnit(name: string): string {
  return UNIT_SUFFIXES.some((suffix) => name.endsWith(suffix)) ? name : `${name}.service`;
}

export type UnitProperty = readonly [name: string, value: string];

export function unitProperties(vehicle: SimVehicle, unit: string): UnitProperty[] {
  const found = vehicle.findUnit(unit);
  return found ? loadedProperties(vehicle, found) : notFoundProperties(unit);
}

function loadedProperties(vehicle: SimVehicle, s: SimUnitState): UnitProperty[] {
  const bootMs = vehicle.state.system.bootedAtMs;
  const stamp = (name: string, ms: number | null): UnitProperty[] => [
    [name, ms === null ? '' : systemdTimestamp(ms)],
    [`${name}Monotonic`, ms === null ? '0' : String(Math.max(0, Math.round((ms - bootMs) * 1000)))],
  ];
  return [
    ['Type', 'simple'],
    // deploy/systemd: every OHT-50 unit has Restart=always, RestartSec=3.
    ['Restart', 'always'],
    ['NotifyAccess', 'none'],
    ['RestartUSec', '3s'],
    ['TimeoutStartUSec', '1min 30s'],
    ['TimeoutStopUSec', '1min 30s'],
    ['MainPID', String(s.mainPid)],
    ['ControlPID', '0'],
    ['StatusErrno', '0'],
    ['Result', s.result],
    ['ReloadResult', 'success'],
    ['CleanResult', 'success'],
    ['NRestarts', String(s.nRestarts)],
    ...stamp('ExecMainStartTimestamp', s.execMainStartMs),
    ...stamp('ExecMainExitTimestamp', s.execMainExitMs),
    ['ExecMainPID', String(s.execMainPid)],
    ['ExecMainCode', String(s.execMainCode)],
    ['ExecMainStatus', String(s.execMainStatus)],
    ['WorkingDirectory', s.workingDirectory],
    ['User', s.runAs],
    ['Id', s.unit],
    ['Names', s.unit],
    ['Description', s.description],
    ['LoadState', 'loaded'],
    ['ActiveState', s.activeState],
    ['FreezerState', 'running'],
    ['SubState', s.subState],
    ['FragmentPath', `/etc/systemd/system/${s.unit}`],
    ['UnitFileState', s.unitFileState],
    ['UnitFilePreset', 'enabled'],
    ...stamp('StateChangeTimestamp', s.sinceMs),
    ...stamp('InactiveExitTimestamp', s.inactiveExitMs),
    ...stamp('ActiveEnterTimestamp', s.activeEnterMs),
    ...stamp('ActiveExitTimestamp', s.activeExitMs),
    ...stamp('InactiveEnterTimestamp', s.inactiveEnterMs),
    ['CanStart', 'yes'],
    ['CanStop', 'yes'],
    ['CanReload', 'no'],
  ];
}

function notFoundProperties(unit: string): UnitProperty[] {
  const never = (name: string): UnitProperty[] => [
    [name, ''],
    [`${name}Monotonic`, '0'],
  ];
  return [
    ['Type', 'simple'],
    ['Restart', 'no'],
    ['NotifyAccess', 'none'],
    ['RestartUSec', '100ms'],
    ['TimeoutStartUSec', '1min 30s'],
    ['TimeoutStopUSec', '1min 30s'],
    ['MainPID', '0'],
    ['ControlPID', '0'],
    ['StatusErrno', '0'],
    ['Result', 'success'],
    ['ReloadResult', 'success'],
    ['CleanResult', 'success'],
    ['NRestarts', '0'],
    ...never('ExecMainStartTimestamp'),
    ...never('ExecMainExitTimestamp'),
    ['ExecMainPID', '0'],
    ['ExecMainCode', '0'],
    ['ExecMainStatus', '0'],
    ['WorkingDirectory', ''],
    ['User', ''],
    ['Id', unit],
    ['Names', unit],
    ['Description', unit],
    ['LoadState', 'not-found'],
    ['ActiveState', 'inactive'],
    ['FreezerState', 'running'],
    ['SubState', 'dead'],
    ['FragmentPath', ''],
    ['UnitFileState', ''],
    ['UnitFilePreset', ''],
    ...never('StateChangeTimestamp'),
    ...never('InactiveExitTimestamp'),
    ...never('ActiveEnterTimestamp'),
    ...never('ActiveExitTimestamp'),
    ...never('InactiveEnterTimestamp'),
    ['CanStart', 'no'],
    ['CanStop', 'yes'],
    ['CanReload', 'no'],
    ['LoadError', `org.freedesktop.systemd1.NoSuchUnit "Unit ${unit} not found."`],
  ];
}

export type ShowOptions = {
  /** `-p`/`--property` names, in the order given; empty means all. */
  properties: readonly string[];
  /** `--value`: values only. */
  valueOnly: boolean;
  /** `--all`: empty values too (always the case for properties named with -p). */
  all: boolean;
};

/** One `systemctl show` block. Named properties the model lacks print empty rather than vanish. */
export function showUnit(vehicle: SimVehicle, unit: string, options: ShowOptions): string {
  const known = unitProperties(vehicle, unit);
  let selected: UnitProperty[];
  if (options.properties.length === 0) {
    selected = options.all ? known : known.filter(([, value]) => value !== '');
  } else {
    const wanted = new Set(options.properties);
    selected = known.filter(([name]) => wanted.has(name));
    const modelled = new Set(known.map(([name]) => name));
    for (const name of wanted) {
      if (!modelled.has(name)) {
        selected.push([name, '']);
      }
    }
  }
  return selected.map(([name, value]) => (options.valueOnly ? `${value}\n` : `${name}=${value}\n`)).join('');
}
