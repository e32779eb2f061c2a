import type { ProgramTable } from './shell/program';
import type { SimVehicle } from './SimVehicle';

/**
 * The commands one vehicle has: every simulated program but those its image lacks (`removeProgram`), so that a
 * probe meets "sh: 1: sqlite3: not found" and exit 127 as on a vehicle without the tool.
 */
export function programsFor(vehicle: SimVehicle, all: ProgramTable): ProgramTable {
  const missing = vehicle.state.missingPrograms;
  if (missing.length === 0) {
    return all;
  }
  return new Map([...all].filter(([name]) => !missing.includes(name)));
}
