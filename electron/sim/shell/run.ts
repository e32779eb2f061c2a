import type { SimVehicle } from '../SimVehicle';
import type { FdTable, FdTarget, OutputCapture } from './io';
import { ScriptParser, type AndOrList, type Redirect, type SimpleCommand, type Word } from './parse';
import type { Program, ProgramContext, ProgramTable } from './program';
import type { SimUser } from './users';

/** What a script hook may do: write to the shell's descriptors and run scripts in child shells. */
export type ScriptHandle = {
  readonly fds: FdTable;
  write(fds: FdTable, fd: 1 | 2, text: string): void;
  runScript(text: string, fds: FdTable): number;
};

export type ShellEnv = {
  vehicle: SimVehicle;
  nowMs: number;
  programs: ProgramTable;
  output: OutputCapture;
  /** Answers a whole script itself (the batch protocol) or returns null to have it interpreted. */
  scriptHook?: (text: string, handle: ScriptHandle) => number | null;
};

const BIN_DIRS = ['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin'];
/** Builtins the shell itself runs, because they act on the shell (its exit, its descriptors, its lookup, its jobs). */
const SHELL_BUILTINS = new Set(['exit', 'exec', 'command', 'cd', 'wait']);
/** Where `$!` starts counting: the simulator's background jobs get process ids of their own. */
const FIRST_JOB_PID = 30_001;
const NAME_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/**
 * One level of `sh`: its variables, last status, descriptors and background jobs. A `sh -c` inside makes a child
 * Shell. The simulator never waits, so a background job (`cmd &`) runs to its end at once, in a copy of the shell
 * as a subshell does, and `wait` hands back the status it ended with: what a vehicle's sh shows once it has waited.
 */
export class Shell {
  private readonly vars: Map<string, string>;
  private status = 0;
  private exitStatus: number | null = null;
  private readonly jobs = new Map<number, number>();
  private lastJob: number | null = null;

  constructor(
    private readonly env: ShellEnv,
    private readonly user: SimUser,
    private fds: FdTable,
    inherited?: ReadonlyMap<string, string>,
  ) {
    this.vars = inherited
      ? new Map(inherited)
      : new Map([
          ['HOME', user.home],
          ['USER', user.name],
          ['LOGNAME', user.name],
          ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
          ['SHELL', '/bin/sh'],
          ['PWD', user.home],
        ]);
  }

  run(text: string): number {
    const hooked = this.env.scriptHook?.(text, this.handle());
    if (hooked !== undefined && hooked !== null) {
      return hooked;
    }
    const parser = new ScriptParser(text);
    for (;;) {
      const line = parser.nextLine();
      if (line.kind === 'eof') {
        return this.status;
      }
      if (line.kind === 'error') {
        this.write(this.fds, 2, `sh: ${line.line}: ${line.message}\n`);
        return 2;
      }
      for (const list of line.lists) {
        this.runList(list);
        if (this.exitStatus !== null) {
          return this.exitStatus;
        }
      }
    }
  }

  private handle(): ScriptHandle {
    return {
      fds: this.fds,
      write: (fds, fd, text) => this.write(fds, fd, text),
      runScript: (text, fds) => new Shell(this.env, this.user, fds).run(text),
    };
  }

  private write(fds: FdTable, fd: 1 | 2, text: string): void {
    this.env.output.write(fds[fd], text);
  }

  private runList(list: AndOrList): void {
    if (list.background) {
      // A subshell: its assignments and its `exit` stay its own.
      const job = new Shell(this.env, this.user, this.fds, this.vars);
      job.runList({ ...list, background: false });
      const pid = FIRST_JOB_PID + this.jobs.size;
      this.jobs.set(pid, job.exitStatus ?? job.status);
      this.lastJob = pid;
      this.status = 0;
      return;
    }
    this.status = this.runSimple(list.first);
    for (const { op, command } of list.rest) {
      if (this.exitStatus !== null) {
        return;
      }
      if ((op === '&&') === (this.status === 0)) {
        this.status = this.runSimple(command);
      }
    }
  }

  private runSimple(command: SimpleCommand): number {
    const words = [...command.words];
    const assignments: [string, string][] = [];
    for (let first = words[0]; first !== undefined && assignmentName(first) !== null; first = words[0]) {
      words.shift();
      const joined = this.expandJoined(first);
      const name = assignmentName(first) ?? '';
      assignments.push([name, joined.slice(name.length + 1)]);
    }
    const fields = words.flatMap((word) => this.expand(word));
    const fds = this.redirect(command, this.fds);
    if (fds === null) {
      return 2;
    }
    const [name, ...args] = fields;
    // Assignments before a command only reach that command's environment, which no simulated program reads.
    if (name === undefined) {
      for (const [key, value] of assignments) {
        this.vars.set(key, value);
      }
      return 0;
    }
    if (SHELL_BUILTINS.has(name)) {
      return this.builtin(name, args, fds, command);
    }
    const program = this.lookup(name);
    if (!program) {
      this.write(fds, 2, `sh: ${command.line}: ${name}: not found\n`);
      return 127;
    }
    return program.run(args, this.context(fds, this.user, command.line));
  }

  private lookup(name: string): Program | undefined {
    if (!name.includes('/')) {
      return this.env.programs.get(name);
    }
    const slash = name.lastIndexOf('/');
    const program = this.env.programs.get(name.slice(slash + 1));
    return program?.path !== undefined && BIN_DIRS.includes(name.slice(0, slash)) ? program : undefined;
  }

  private context(fds: FdTable, user: SimUser, line: number): ProgramContext {
    return {
      vehicle: this.env.vehicle,
      user,
      nowMs: this.env.nowMs,
      line,
      io: { out: (text) => this.write(fds, 1, text), err: (text) => this.write(fds, 2, text) },
      runScript: (text, asUser) => new Shell(this.env, asUser ?? user, fds).run(text),
      runProgram: (argv, asUser) => {
        const [name, ...args] = argv;
        const program = name === undefined ? undefined : this.lookup(name);
        return program?.path === undefined ? null : program.run(args, this.context(fds, asUser ?? user, line));
      },
    };
  }

  private builtin(name: string, args: string[], fds: FdTable, command: SimpleCommand): number {
    switch (name) {
      case 'exit': {
        const arg = args[0];
        if (arg !== undefined && !/^\d+$/.test(arg)) {
          this.write(fds, 2, `sh: ${command.line}: exit: Illegal number: ${arg}\n`);
          this.exitStatus = 2;
          return 2;
        }
        this.exitStatus = arg === undefined ? this.status : Number(arg) & 255;
        return this.exitStatus;
      }
      case 'exec': {
        if (args.length === 0) {
          // `exec 2>&1` and friends: the redirections stay for the rest of the script.
          this.fds = fds;
          return 0;
        }
        const [target, ...rest] = args;
        const program = target === undefined ? undefined : this.lookup(target);
        if (!program) {
          this.write(fds, 2, `sh: ${command.line}: exec: ${target ?? ''}: not found\n`);
          this.exitStatus = 127;
          return 127;
        }
        this.exitStatus = program.run(rest, this.context(fds, this.user, command.line));
        return this.exitStatus;
      }
      case 'command':
        return this.commandBuiltin(args, fds, command);
      case 'wait':
        return this.waitBuiltin(args);
      default:
        // cd: the simulated file system has no directories to move between.
        return 0;
    }
  }

  /** dash's `wait`: the status of the last job named (every job has ended already); 127, silently, for a stranger. */
  private waitBuiltin(args: string[]): number {
    let status = 0;
    for (const arg of args) {
      status = (/^\d+$/.test(arg) ? this.jobs.get(Number(arg)) : undefined) ?? 127;
    }
    return status;
  }

  private commandBuiltin(args: string[], fds: FdTable, command: SimpleCommand): number {
    if (args[0] !== '-v') {
      const [name, ...rest] = args;
      if (name === undefined) {
        return 0;
      }
      const program = this.lookup(name);
      if (!program) {
        this.write(fds, 2, `sh: ${command.line}: ${name}: not found\n`);
        return 127;
      }
      return program.run(rest, this.context(fds, this.user, command.line));
    }
    let status = 0;
    for (const name of args.slice(1)) {
      const program = this.lookup(name);
      if (SHELL_BUILTINS.has(name) || (program && (program.path === undefined || program.shellBuiltin === true))) {
        this.write(fds, 1, `${name}\n`);
      } else if (program?.path !== undefined) {
        this.write(fds, 1, name.includes('/') ? `${name}\n` : `${program.path}\n`);
      } else {
        status = 127;
      }
    }
    return status;
  }

  /** Applies a command's redirections to a copy of the descriptors; null (after dash's message) when one fails. */
  private redirect(command: SimpleCommand, base: FdTable): FdTable | null {
    let fds: { 1: FdTarget; 2: FdTarget } = { ...base };
    for (const redirect of command.redirects) {
      const next = this.applyRedirect(redirect, fds, command.line);
      if (next === null) {
        return null;
      }
      fds = next;
    }
    return fds;
  }

  private applyRedirect(redirect: Redirect, fds: FdTable, line: number): FdTable | null {
    const target = this.expandJoined(redirect.target);
    const set = (fd: number, to: FdTarget): FdTable => (fd === 1 || fd === 2 ? { ...fds, [fd]: to } : fds);
    switch (redirect.op) {
      case '>&':
      case '<&':
        if (target === '-') {
          return set(redirect.fd, { kind: 'null' });
        }
        if (target === '1' || target === '2') {
          return set(redirect.fd, fds[target]);
        }
        if (/^\d+$/.test(target)) {
          return set(redirect.fd, { kind: 'null' });
        }
        this.write(fds, 2, `sh: ${line}: Syntax error: Bad fd number\n`);
        return null;
      case '<':
      case '<>':
        if (target === '/dev/null' || this.env.vehicle.state.files[target] !== undefined) {
          return fds;
        }
        this.write(fds, 2, `sh: ${line}: cannot open ${target}: No such file\n`);
        return null;
      case '>':
      case '>|':
      case '>>': {
        if (target === '/dev/null') {
          return set(redirect.fd, { kind: 'null' });
        }
        if (this.user.uid !== 0 && !isUserWritable(target, this.user)) {
          this.write(fds, 2, `sh: ${line}: cannot create ${target}: Permission denied\n`);
          return null;
        }
        const files = this.env.vehicle.state.files;
        files[target] = redirect.op === '>>' ? (files[target] ?? '') : '';
        return set(redirect.fd, { kind: 'file', path: target });
      }
    }
  }

  private param(name: string): string {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return '4242';
      case '!':
        return this.lastJob === null ? '' : String(this.lastJob);
      case '#':
        return '0';
      case '0':
        return 'sh';
      default:
        return this.vars.get(name) ?? '';
    }
  }

  /** A word as one string (assignments and redirection targets are not split into fields). */
  private expandJoined(word: Word): string {
    return word.map((part) => (part.kind === 'text' ? part.text : this.param(part.name))).join('');
  }

  /** A word as fields: unquoted parameter values split on blanks; a word of nothing but empty expansions vanishes. */
  private expand(word: Word): string[] {
    const fields: string[] = [];
    let current = '';
    let hasField = false;
    for (const part of word) {
      const value = part.kind === 'text' ? part.text : this.param(part.name);
      if (part.kind === 'text' || part.quoted) {
        current += value;
        hasField ||= part.quoted || value !== '';
        continue;
      }
      const pieces = value.split(/[ \t\n]+/);
      pieces.forEach((piece, index) => {
        if (index > 0 && hasField) {
          fields.push(current);
          current = '';
          hasField = false;
        }
        current += piece;
        hasField ||= piece !== '';
      });
    }
    if (hasField) {
      fields.push(current);
    }
    return fields;
  }
}

function assignmentName(word: Word): string | null {
  const first = word[0];
  if (first?.kind !== 'text' || first.quoted) {
    return null;
  }
  return NAME_ASSIGNMENT.exec(first.text)?.[1] ?? null;
}

function isUserWritable(path: string, user: SimUser): boolean {
  return path.startsWith('/tmp/') || path.startsWith('/dev/shm/') || path.startsWith(`${user.home}/`);
}
