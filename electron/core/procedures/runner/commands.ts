import type { ArgPart, CommandArg, ProcedureCommand, ProfileKey } from '../../../../shared/domain/procedure';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import { AppError } from '../../../../shared/errors/AppError';
import { shellWords, type ShellText } from '../../transport/shell';

/** Run parameters by name, as given when the run started (defaults applied). */
export type RunParams = Readonly<Record<string, string>>;

/** argv: the program and its arguments as values, for judging what the command does (commandEffect). */
export type BuiltCommand = { line: ShellText; argv: string[]; sudo: boolean; timeoutMs: number };

const DEFAULT_TIMEOUT_S = 60;

/**
 * A procedure's structured command as the one line sent over SSH: the program and every argument quoted on its own,
 * parameters and profile values substituted as values (never as shell text), so a value with spaces, quotes, `;` or
 * `$(…)` stays one inert argument.
 */
export function buildCommand(command: ProcedureCommand, params: RunParams, profile: VehicleProfile): BuiltCommand {
  const args = command.args.map((arg) => resolveArg(arg, params, profile));
  return {
    line: shellWords([command.program, ...args]),
    argv: [command.program, ...args],
    sudo: command.sudo,
    timeoutMs: (command.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000,
  };
}

export function resolveArg(arg: CommandArg, params: RunParams, profile: VehicleProfile): string {
  return Array.isArray(arg)
    ? arg.map((part) => resolvePart(part, params, profile)).join('')
    : resolvePart(arg, params, profile);
}

function resolvePart(part: ArgPart, params: RunParams, profile: VehicleProfile): string {
  if (typeof part === 'string') {
    return part;
  }
  if ('param' in part) {
    const value = params[part.param];
    if (value === undefined) {
      throw new AppError('VALIDATION', `the run has no value for the parameter "${part.param}"`, {
        details: { param: part.param },
      });
    }
    return value;
  }
  return profileValue(profile, part.profile);
}

export function profileValue(profile: VehicleProfile, key: ProfileKey): string {
  return String(profile[key]);
}

/** A planned command as a technician reads it: `sudo` in front when it runs through sudo. Display only. */
export function displayLine(command: { line: string; sudo: boolean }): string {
  return command.sudo ? ['sudo', command.line].join(' ') : command.line;
}
