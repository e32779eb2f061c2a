import type { Program } from '../shell/program';
import { ROOT, simUser } from '../shell/users';

/** Programs that run other commands: sh -c, sudo and timeout. */

export const sh: Program = {
  path: '/usr/bin/sh',
  run(args, { io, vehicle, runScript }) {
    const [first, second] = args;
    if (first === '-c') {
      if (second === undefined) {
        io.err('sh: 0: -c requires an argument\n');
        return 2;
      }
      return runScript(second);
    }
    if (first === undefined) {
      return 0; // Reads its stdin, which is /dev/null.
    }
    const script = vehicle.state.files[first];
    if (script === undefined) {
      io.err(`sh: 0: cannot open ${first}: No such file\n`);
      return 2;
    }
    return runScript(script);
  },
};

const SUDO_USAGE =
  'usage: sudo -h | -K | -k | -V\n' +
  'usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n' +
  'usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]\n' +
  'usage: sudo [-ABbEHkNnPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]\n' +
  'usage: sudo -e [-ABkNnS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] file ...\n';

export const sudo: Program = {
  path: '/usr/bin/sudo',
  run(args, { io, user, vehicle, runProgram }) {
    let nonInteractive = false;
    let target = 'root';
    let i = 0;
    for (; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg === '--') {
        i += 1;
        break;
      }
      if (!arg.startsWith('-')) {
        break;
      }
      if (arg === '-n' || arg === '--non-interactive') {
        nonInteractive = true;
      } else if (arg === '-u') {
        target = args[++i] ?? '';
      } else if (arg !== '-E' && arg !== '-H') {
        io.err(`sudo: invalid option -- '${arg.slice(1, 2)}'\n${SUDO_USAGE}`);
        return 1;
      }
    }
    const command = args.slice(i);
    if (command.length === 0) {
      io.err(SUDO_USAGE);
      return 1;
    }
    if (vehicle.state.access.sudo === 'password' && user.uid !== 0) {
      io.err(
        nonInteractive
          ? 'sudo: a password is required\n'
          : 'sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n',
      );
      return 1;
    }
    if (target !== 'root' && target !== user.name) {
      io.err(`sudo: unknown user ${target}\nsudo: error initializing audit plugin sudoers_audit\n`);
      return 1;
    }
    const status = runProgram(command, target === 'root' ? ROOT : simUser(vehicle, target));
    if (status === null) {
      io.err(`sudo: ${command[0] ?? ''}: command not found\n`);
      return 1;
    }
    return status;
  },
};

/** The simulator never hangs, so timeout only checks its arguments and runs the command. */
export const timeout: Program = {
  path: '/usr/bin/timeout',
  run(args, { io, runProgram }) {
    let i = 0;
    for (; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg === '-s' || arg === '-k' || arg === '--signal' || arg === '--kill-after') {
        i += 1;
      } else if (!arg.startsWith('-') || arg === '--') {
        i += arg === '--' ? 1 : 0;
        break;
      }
    }
    const [duration, ...command] = args.slice(i);
    if (duration === undefined || command.length === 0) {
      io.err(`timeout: missing operand\nTry 'timeout --help' for more information.\n`);
      return 125;
    }
    if (!/^\d+(\.\d+)?[smhd]?$/.test(duration)) {
      io.err(`timeout: invalid time interval '${duration}'\nTry 'timeout --help' for more information.\n`);
      return 125;
    }
    const status = runProgram(command);
    if (status === null) {
      io.err(`timeout: failed to run command '${command[0] ?? ''}': No such file or directory\n`);
      return 127;
    }
    return status;
  },
};
