import { answerBatch } from './batchAnswer';
import type { SimVehicle } from './SimVehicle';
import { OutputCapture, STANDARD_FDS } from './shell/io';
import { Shell } from './shell/run';
import { simUser } from './shell/users';
import { SIM_PROGRAMS } from './programs/table';
import { programsFor } from './simTools';

export type SimCommandResult = { stdout: string; stderr: string; exitCode: number };

/**
 * Answers one SSH exec as the vehicle would: the command line is run by the login user's /bin/sh (dash on the
 * vehicles), so quoting, `;`/`&&`/`||`, redirections, `sudo -n`, `sh -c` and batch scripts all behave as there.
 * stderr is kept apart, as an SSH channel keeps it, except where the script itself merges it.
 */
export function answerCommand(vehicle: SimVehicle, command: string, user: { name: string }): SimCommandResult {
  const output = new OutputCapture(vehicle);
  const env = {
    vehicle,
    nowMs: vehicle.now(),
    programs: programsFor(vehicle, SIM_PROGRAMS),
    output,
    scriptHook: answerBatch,
  };
  const exitCode = new Shell(env, simUser(vehicle, user.name), STANDARD_FDS).run(command);
  return { stdout: output.stdout, stderr: output.stderr, exitCode };
}
