import { procLoadavg, procMeminfo, procStat } from './simResources';
import type { SimVehicle } from './SimVehicle';

/**
 * What reading a file on the simulated vehicle gives at `nowMs`: the kernel's files under /proc are made from
 * the vehicle's state at that instant, every other file comes from `state.files`. undefined: no such file.
 */
export function readSimFile(vehicle: SimVehicle, path: string, nowMs: number): string | undefined {
  const { resources, system } = vehicle.state;
  switch (path) {
    case '/proc/stat':
      return procStat(resources, nowMs, system.bootedAtMs, system.nextPid);
    case '/proc/loadavg':
      return procLoadavg(resources, system.nextPid - 1);
    case '/proc/meminfo':
      return procMeminfo(resources);
    default:
      return vehicle.state.files[path];
  }
}
