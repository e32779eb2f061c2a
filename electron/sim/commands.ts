import { answerBatch } from './batchAnswer';
import type { SimVehicle } from './SimVehicle';
import { OutputCapture, STANDARD_FDS } from './shell/io';
import { Shell, type ScriptHandle } from './shell/run';
import { withStdin } from './simStdin';
import { answerWorkstationScript } from './workstation';
import { simUser } from './shell/users';
import { SIM_PROGRAMS } from './programs/table';
import { programsFor } from './simTools';

export type SimCommandResult = { stdout: string; stderr: string; exitCode: number };

/**
 * Answers one SSH exec as the vehicle would: the command line is run by the login user's /bin/sh (dash on the
 * vehicles), so quoting, `;`/`&&`/`||`, redirections, `sudo -n`, `sh -c` and batch scripts all behave as there.
 * stderr is kept apart, as an SSH channel keeps it, except where the script itself merges it. What the exec received
 * on its input (a script to stage, a list of paths, an archive to extract) is there for the first program reading it.
 */
export function answerCommand(
  vehicle: SimVehicle,
  command: string,
  user: { name: string },
  stdin: Buffer = Buffer.alloc(0),
): SimCommandResult {
  const output = new OutputCapture(vehicle);
  const env = {
    vehicle,
    nowMs: vehicle.now(),
    programs: programsFor(vehicle, SIM_PROGRAMS),
    output,
    scriptHook: (text: string, handle: ScriptHandle) =>
      answerBatch(text, handle) ?? answerWorkstationScript(vehicle, text, handle),
  };
  const exitCode = withStdin(vehicle, stdin, () =>
    new Shell(env, simUser(vehicle, user.name), STANDARD_FDS).run(command),
  );
  return { stdout: output.stdout, stderr: output.stderr, exitCode };
}
