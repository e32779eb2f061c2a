import type { Program, ProgramContext } from '../shell/program';
import { readSimFile } from '../simFiles';
import { mayRead, nodeAt, walk } from '../simTree';

/**
 * grep and tail (GNU grep 3.8, coreutils 9.1) for the runbook's reads of logs and settings files: what they print
 * and their exit statuses (grep: 0 a line matched, 1 none did, 2 an error, even when something else matched).
 */

type Read = { text: string } | { error: string };

/** A file as the user may read it, with the message a GNU tool prints when it cannot. */
function readFile(c: ProgramContext, tool: string, path: string): Read {
  const node = nodeAt(c.vehicle, path);
  const text = readSimFile(c.vehicle, path, c.nowMs);
  if (node === undefined && text === undefined) {
    return { error: `${tool}: ${path}: No such file or directory\n` };
  }
  if (node?.type === 'dir') {
    return { error: `${tool}: ${path}: Is a directory\n` };
  }
  if (!mayRead(c.vehicle, path, c.user.uid)) {
    return { error: `${tool}: ${path}: Permission denied\n` };
  }
  return { text: text ?? '' };
}

/** A POSIX basic regular expression in JavaScript's syntax: \( \) \{ \} \| \+ \? are the operators there. */
function fromBasic(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] ?? '';
    const next = pattern[i + 1];
    if (ch === '\\' && next !== undefined && '(){}|+?'.includes(next)) {
      out += next;
      i += 1;
    } else if ('(){}|+?'.includes(ch)) {
      out += `\\${ch}`;
    } else if (ch === '\\' && next !== undefined) {
      out += ch + next;
      i += 1;
    } else {
      out += ch;
    }
  }
  return out;
}

type GrepOptions = {
  extended: boolean;
  onlyMatching: boolean;
  recursive: boolean;
  withName: boolean | null;
  ignoreCase: boolean;
  invert: boolean;
  count: boolean;
  quiet: boolean;
  lineNumbers: boolean;
  filesWithMatches: boolean;
  include: string[];
};

const GREP_FLAGS: Record<string, keyof GrepOptions> = {
  E: 'extended',
  o: 'onlyMatching',
  r: 'recursive',
  R: 'recursive',
  i: 'ignoreCase',
  v: 'invert',
  c: 'count',
  q: 'quiet',
  n: 'lineNumbers',
  l: 'filesWithMatches',
};

function grepUsage(message: string): string {
  return `grep: ${message}\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`;
}

function parseGrep(args: readonly string[]): { o: GrepOptions; pattern: string; files: string[] } | string {
  const o: GrepOptions = {
    extended: false,
    onlyMatching: false,
    recursive: false,
    withName: null,
    ignoreCase: false,
    invert: false,
    count: false,
    quiet: false,
    lineNumbers: false,
    filesWithMatches: false,
    include: [],
  };
  const operands: string[] = [];
  let pattern: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--include=')) {
      o.include.push(arg.slice('--include='.length));
    } else if (arg === '-e') {
      pattern = args[++i];
    } else if (/^-[A-Za-z]+$/.test(arg)) {
      for (const flag of arg.slice(1)) {
        const key = GREP_FLAGS[flag];
        if (flag === 'H' || flag === 'h') {
          o.withName = flag === 'H';
        } else if (key === undefined) {
          return grepUsage(`invalid option -- '${flag}'`);
        } else {
          (o[key] as boolean) = true;
        }
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      return grepUsage(`unrecognized option '${arg}'`);
    } else {
      operands.push(arg);
    }
  }
  if (pattern === undefined) {
    pattern = operands.shift();
  }
  if (pattern === undefined) {
    return grepUsage('no pattern given').replace('grep: no pattern given\n', '');
  }
  return { o, pattern, files: operands };
}

function globTest(glob: string, name: string): boolean {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}

export const grep: Program = {
  path: '/usr/bin/grep',
  run(args, c) {
    const parsed = parseGrep(args);
    if (typeof parsed === 'string') {
      c.io.err(parsed);
      return 2;
    }
    const { o, pattern, files } = parsed;
    let regex: RegExp;
    try {
      regex = new RegExp(o.extended ? pattern : fromBasic(pattern), o.ignoreCase ? 'gi' : 'g');
    } catch {
      c.io.err('grep: Unmatched ( or \\(\n');
      return 2;
    }
    const targets = files.length > 0 ? files : ['-'];
    const paths: string[] = [];
    let errors = false;
    for (const target of targets) {
      if (o.recursive && nodeAt(c.vehicle, target)?.type === 'dir') {
        if (!mayRead(c.vehicle, target, c.user.uid)) {
          c.io.err(`grep: ${target}: Permission denied\n`);
          errors = true;
          continue;
        }
        const below = walk(c.vehicle, target).filter((p) => nodeAt(c.vehicle, p)?.type === 'file');
        paths.push(
          ...below.filter(
            (p) => o.include.length === 0 || o.include.some((g) => globTest(g, p.split('/').pop() ?? '')),
          ),
        );
      } else {
        paths.push(target);
      }
    }
    const withName = o.withName ?? (o.recursive || paths.length > 1);
    let matched = false;
    for (const path of paths) {
      const read = path === '-' ? { text: '' } : readFile(c, 'grep', path);
      if ('error' in read) {
        c.io.err(read.error);
        errors = true;
        continue;
      }
      const prefix = withName ? `${path}:` : '';
      const lines = read.text.split('\n');
      if (lines.at(-1) === '') {
        lines.pop();
      }
      let count = 0;
      lines.forEach((line, index) => {
        regex.lastIndex = 0;
        const hit = regex.test(line) !== o.invert;
        if (!hit) {
          return;
        }
        count += 1;
        if (o.quiet || o.count || o.filesWithMatches) {
          return;
        }
        const number = o.lineNumbers ? `${index + 1}:` : '';
        if (o.onlyMatching && !o.invert) {
          // matchAll starts where test() left the pattern: from the line's start again.
          regex.lastIndex = 0;
          for (const m of line.matchAll(regex)) {
            if (m[0] !== '') {
              c.io.out(`${prefix}${number}${m[0]}\n`);
            }
          }
        } else {
          c.io.out(`${prefix}${number}${line}\n`);
        }
      });
      matched ||= count > 0;
      if (o.count && !o.quiet) {
        c.io.out(`${prefix}${count}\n`);
      } else if (o.filesWithMatches && count > 0 && !o.quiet) {
        c.io.out(`${path}\n`);
      }
    }
    // GNU grep: an error makes the status 2 unless -q found a match.
    return errors && !(o.quiet && matched) ? 2 : matched ? 0 : 1;
  },
};

export const tail: Program = {
  path: '/usr/bin/tail',
  run(args, c) {
    let lines = 10;
    const files: string[] = [];
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      const count =
        arg === '-n'
          ? args[++i]
          : (/^-n(\d+)$/.exec(arg)?.[1] ?? /^--lines=(\d+)$/.exec(arg)?.[1] ?? /^-(\d+)$/.exec(arg)?.[1]);
      if (count !== undefined) {
        if (!/^\d+$/.test(count)) {
          c.io.err(`tail: invalid number of lines: '${count}'\n`);
          return 1;
        }
        lines = Number(count);
      } else if (arg.startsWith('-') && arg !== '-') {
        // -f would wait for lines forever; the simulator answers an exec once.
        c.io.err(`tail: invalid option -- '${arg.slice(1, 2)}'\nTry 'tail --help' for more information.\n`);
        return 1;
      } else {
        files.push(arg);
      }
    }
    let status = 0;
    files.forEach((path, index) => {
      const read = readFile(c, 'tail', path);
      if ('error' in read) {
        c.io.err(read.error.replace(`tail: ${path}:`, `tail: cannot open '${path}' for reading:`));
        status = 1;
        return;
      }
      if (files.length > 1) {
        c.io.out(`${index > 0 ? '\n' : ''}==> ${path} <==\n`);
      }
      const all = read.text.endsWith('\n') ? read.text.slice(0, -1).split('\n') : read.text.split('\n');
      const kept = lines === 0 || read.text === '' ? [] : all.slice(-lines);
      c.io.out(kept.length > 0 ? `${kept.join('\n')}${read.text.endsWith('\n') ? '\n' : ''}` : '');
    });
    return status;
  },
};
