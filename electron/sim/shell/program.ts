import type { SimVehicle } from '../SimVehicle';
import type { SimUser } from './users';

export type ProgramIo = {
  out: (text: string) => void;
  err: (text: string) => void;
};

/** What a simulated program sees: the vehicle, who runs it, one instant of time, and its two output streams. */
export type ProgramContext = {
  vehicle: SimVehicle;
  user: SimUser;
  /** The vehicle's time for the whole exec, so that one answer never mixes two instants. */
  nowMs: number;
  io: ProgramIo;
  /** The script line being run: dash's builtins name it in their messages (`sh: 3: printf: ...`). */
  line: number;
  /** Runs `text` in a child shell with this program's descriptors (`sh -c`); returns its exit status. */
  runScript: (text: string, user?: SimUser) => number;
  /** Runs an executable by argv, as sudo and timeout do; null when the vehicle has no such program. */
  runProgram: (argv: readonly string[], user?: SimUser) => number | null;
};

export type Program = {
  run(args: readonly string[], context: ProgramContext): number;
  /** Where the binary lives; absent for shell builtins, which sudo and timeout cannot run. */
  path?: string;
  /** dash runs it itself although a binary exists too (echo, printf): `command -v` prints the bare name. */
  shellBuiltin?: boolean;
};

export type ProgramTable = ReadonlyMap<string, Program>;
