import { z } from 'zod';

import { commandEffect, type CommandEffect } from '../commandEffect';
import { DEFAULT_VEHICLE_PROFILE } from '../unit';
import { dispatch, isObject } from './schemaDispatch';
import { LocalizedTextSchema, PROFILE_KEYS, RegexTextSchema, SHELL_TEXT, UNQUOTED_PARAMETER } from './vocabulary';

/** Parameters a technician fills in, and the commands a step runs on the unit with them (never through a shell). */

export const PARAMETER_TYPES = ['text', 'integer', 'ipv4', 'host', 'path'] as const;

export const ParameterSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'a parameter name is camelCase letters and digits'),
    label: LocalizedTextSchema,
    type: z.enum(PARAMETER_TYPES),
    required: z.boolean().default(true),
    default: z.union([z.string(), z.number()]).optional(),
    /** Extra constraint on the value the technician gives (a whole-value match). */
    pattern: RegexTextSchema.optional(),
  })
  .strict();
export type ProcedureParameter = z.infer<typeof ParameterSchema>;

/** The value of a parameter of the procedure, passed as one argument (never through a shell). */
export const ParamRefSchema = z.object({ param: z.string().min(1) }).strict();
export type ParamRef = z.infer<typeof ParamRefSchema>;
/** A value of the unit's vehicle profile, e.g. its firmware service name. */
export const ProfileRefSchema = z.object({ profile: z.enum(PROFILE_KEYS) }).strict();
export type ProfileRef = z.infer<typeof ProfileRefSchema>;

const LiteralArgSchema = z.string().refine((text) => !SHELL_TEXT.test(text), { message: UNQUOTED_PARAMETER });

export type ArgPart = string | ParamRef | ProfileRef;
/** One argument: a literal, a reference, or several parts joined into ONE argument (e.g. ["sport = :", {profile}]). */
export type CommandArg = ArgPart | ArgPart[];

const ArgPartSchema: z.ZodType<ArgPart, unknown> = dispatch<ArgPart>((input) => {
  if (typeof input === 'string') {
    return LiteralArgSchema;
  }
  if (isObject(input) && 'param' in input) {
    return ParamRefSchema;
  }
  if (isObject(input) && 'profile' in input) {
    return ProfileRefSchema;
  }
  return 'an argument is text, {"param": name} or {"profile": key}';
});

const ArgSchema: z.ZodType<CommandArg, unknown> = dispatch<CommandArg>((input) =>
  Array.isArray(input) ? z.array(ArgPartSchema).min(1, 'an argument made of parts needs at least one') : ArgPartSchema,
);

/**
 * A program run on the unit through the SSH transport with its arguments quoted one by one; nothing is ever pasted
 * into shell text. `sudo` runs it through `sudo -n`.
 */
export const CommandSchema = z
  .object({
    program: z
      .string()
      .regex(
        /^(?:[A-Za-z0-9_.+-]+|\/[A-Za-z0-9_./+-]+)$/,
        'a program is a name or an absolute path, without spaces or shell syntax',
      ),
    args: z.array(ArgSchema).default([]),
    sudo: z.boolean().default(false),
    timeoutS: z.number().int().min(1).max(3600).optional(),
  })
  .strict();
export type ProcedureCommand = z.infer<typeof CommandSchema>;

const ExitCodeSchema = z.number().int().min(0).max(255);

/**
 * What a command check expects: its exit code (0 when nothing at all is said) and/or text in its output. The patterns
 * are JavaScript regular expressions searched in stdout with the `m` flag (^ and $ match at line ends). A list of
 * exit codes accepts any of them: a read whose program says "found nothing" with its status (grep and `journalctl
 * --grep` exit 1, `systemctl status` of a stopped unit 3) still reads the vehicle as it is.
 */
export const CommandExpectSchema = z
  .object({
    exitCode: z.union([ExitCodeSchema, z.array(ExitCodeSchema).min(1)]).optional(),
    stdoutMatches: RegexTextSchema.optional(),
    stdoutLacks: RegexTextSchema.optional(),
  })
  .strict();
export type CommandExpect = z.infer<typeof CommandExpectSchema>;

/** Exit codes as said to a technician: "0", or "0 or 1" for a list. */
export function exitCodes(codes: readonly number[]): string {
  return codes.length <= 1 ? String(codes[0] ?? '') : `${codes.slice(0, -1).join(', ')} or ${String(codes.at(-1))}`;
}

/**
 * What a procedure's command does to the vehicle as the workstation judges it (commandEffect). A parameter counts as
 * an unknown value that is not an option, a profile reference as the runbook's value; the runner judges the command
 * again with the run's real values before it sends it.
 */
export function procedureCommandEffect(command: ProcedureCommand): CommandEffect {
  const part = (p: ArgPart): string =>
    typeof p === 'string' ? p : 'param' in p ? 'value' : String(DEFAULT_VEHICLE_PROFILE[p.profile]);
  const args = command.args.map((arg) => (Array.isArray(arg) ? arg.map(part).join('') : part(arg)));
  return commandEffect(command.program, args);
}

/** A command as a technician reads it, references shown as <param> and {profile}. Display only, never executed. */
export function describeCommand(command: ProcedureCommand): string {
  const part = (p: ArgPart): string => (typeof p === 'string' ? p : 'param' in p ? `<${p.param}>` : `{${p.profile}}`);
  const args = command.args.map((arg) => {
    const text = Array.isArray(arg) ? arg.map(part).join('') : part(arg);
    return /^[A-Za-z0-9_./:=@%+,<>{}-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
  });
  return [...(command.sudo ? ['sudo'] : []), command.program, ...args].join(' ');
}
